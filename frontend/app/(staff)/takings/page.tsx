import type { Metadata } from "next";
import { Suspense } from "react";
import { TakingsScreen } from "./TakingsScreen";

export const metadata: Metadata = { title: "Takings" };

/** /takings?date=YYYY-MM-DD: the day's takings (admins and dentists). */
export default function TakingsPage() {
  return (
    <Suspense>
      <TakingsScreen />
    </Suspense>
  );
}
