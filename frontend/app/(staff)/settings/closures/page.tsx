import type { Metadata } from "next";
import { ClosuresScreen } from "./ClosuresScreen";

export const metadata: Metadata = { title: "Closures and time off" };

export default function ClosuresPage() {
  return <ClosuresScreen />;
}
