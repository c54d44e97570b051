import type { Metadata } from "next";
import { MedicalHistoryForm } from "./MedicalHistoryForm";

export const metadata: Metadata = { title: "Medical history" };

/** The patient's form at /medical-history/<token> (the API and the dev server answer every token with this page). */
export default function MedicalHistoryPage() {
  return <MedicalHistoryForm />;
}
