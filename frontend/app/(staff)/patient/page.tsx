import type { Metadata } from "next";
import { Suspense } from "react";
import { PatientScreen } from "./PatientScreen";

export const metadata: Metadata = { title: "Patient" };

/** /patient?id=<patient id> (a static export has no server-side dynamic routes). */
export default function PatientPage() {
  return (
    <Suspense>
      <PatientScreen />
    </Suspense>
  );
}
