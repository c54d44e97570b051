import type { Metadata } from "next";
import { AppointmentTypesScreen } from "./AppointmentTypesScreen";

export const metadata: Metadata = { title: "Appointment types" };

export default function AppointmentTypesPage() {
  return <AppointmentTypesScreen />;
}
