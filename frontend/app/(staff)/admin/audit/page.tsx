import type { Metadata } from "next";
import { AuditScreen } from "./AuditScreen";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return <AuditScreen />;
}
