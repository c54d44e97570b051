import type { Metadata } from "next";
import { ChairsScreen } from "./ChairsScreen";

export const metadata: Metadata = { title: "Chairs" };

export default function ChairsPage() {
  return <ChairsScreen />;
}
