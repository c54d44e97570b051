import type { Metadata } from "next";
import { Suspense } from "react";
import { CalendarScreen } from "./CalendarScreen";

export const metadata: Metadata = { title: "Calendar" };

/** /calendar?date=YYYY-MM-DD[&patient=<id> to book for that patient]. */
export default function CalendarPage() {
  return (
    <Suspense>
      <CalendarScreen />
    </Suspense>
  );
}
