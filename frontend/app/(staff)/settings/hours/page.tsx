import type { Metadata } from "next";
import { HoursScreen } from "./HoursScreen";

export const metadata: Metadata = { title: "Opening and working hours" };

export default function HoursPage() {
  return <HoursScreen />;
}
