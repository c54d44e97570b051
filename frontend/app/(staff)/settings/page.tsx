import type { Metadata } from "next";
import { ClinicSettingsScreen } from "./ClinicSettingsScreen";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return <ClinicSettingsScreen />;
}
