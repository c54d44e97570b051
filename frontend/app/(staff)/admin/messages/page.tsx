import type { Metadata } from "next";
import { MessagesScreen } from "./MessagesScreen";

export const metadata: Metadata = { title: "Reminders and SMS" };

export default function MessagesPage() {
  return <MessagesScreen />;
}
