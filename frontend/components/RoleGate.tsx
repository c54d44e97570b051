"use client";
// Screens for some roles only: anyone else is sent to the calendar (the API refuses them anyway).
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { can, useSessionStore } from "../store/sessionStore";

type Capability = Parameters<typeof can>[1];

export function RoleGate({ capability, children }: { capability: Capability; children: ReactNode }) {
  const user = useSessionStore((s) => s.user);
  const router = useRouter();
  const allowed = can(user?.role, capability);
  useEffect(() => {
    if (user && !allowed) router.replace("/calendar?denied=" + capability);
  }, [user, allowed, router, capability]);
  if (!allowed) return <p className="alert warn" role="status">This part of the app is for {capability === "admin" ? "admins" : "admins and dentists"} only.</p>;
  return <>{children}</>;
}

export interface Tab { href: string; label: string }

/** The sub-menu of a section (admin, settings). */
export function Tabs({ label, tabs }: { label: string; tabs: Tab[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="tabs">
      <ul>
        {tabs.map((t) => (
          <li key={t.href}>
            <Link href={t.href} aria-current={pathname === t.href ? "page" : undefined}>{t.label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
