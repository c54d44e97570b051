"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** The clinic opens on the calendar (the calendar's layout sends anyone not signed in to sign in). */
export default function Home() {
  const router = useRouter();
  useEffect(() => router.replace("/calendar"), [router]);
  return <main id="main"><p className="loading" role="status">Loading…</p></main>;
}
