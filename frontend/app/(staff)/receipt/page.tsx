import type { Metadata } from "next";
import { Suspense } from "react";
import { ReceiptScreen } from "./ReceiptScreen";

export const metadata: Metadata = { title: "Receipt" };

/** /receipt?id=<payment id>: the printable receipt of a payment. */
export default function ReceiptPage() {
  return (
    <Suspense>
      <ReceiptScreen />
    </Suspense>
  );
}
