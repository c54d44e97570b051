"use client";
// The signed-in part of the app: finds the session again after a reload, sends anyone without one
// to the sign-in page (which brings them back to the page they asked for), and shows the menu their
// role may use.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, type ReactNode } from "react";
import { can, useSessionStore } from "../store/sessionStore";

interface MenuItem { href: string; label: string; show: (role: string) => boolean }

const menu: MenuItem[] = [
  { href: "/calendar", label: "Calendar", show: () => true },
  { href: "/patients", label: "Patients", show: () => true },
  { href: "/takings", label: "Takings", show: (role) => can(role, "takings") },
  { href: "/settings", label: "Settings", show: (role) => can(role, "settings") },
  { href: "/admin", label: "Admin", show: (role) => can(role, "admin") },
];

/** The page to come back to after signing in: the path with its query. */
function here(): string {
  return typeof window === "undefined" ? "/" : window.location.pathname + window.location.search;
}

export function Shell({ children }: { children: ReactNode }) {
  const { status, user, restore, signOut } = useSessionStore();
  const router = useRouter();
  const pathname = usePathname();
  const signingOut = useRef(false);

  useEffect(() => {
    void restore();
  }, [restore]);

  useEffect(() => {
    if (status === "signed-out") router.replace(signingOut.current ? "/sign-in" : `/sign-in?next=${encodeURIComponent(here())}`);
  }, [status, router]);

  if (status !== "signed-in" || !user) {
    return <main id="main"><p className="loading" role="status">Loading…</p></main>;
  }

  const onSignOut = async () => {
    signingOut.current = true;
    await signOut();
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <Link className="brand" href="/calendar">DentalClinic</Link>
        <nav aria-label="Main">
          <ul>
            {menu.filter((m) => m.show(user.role)).map((m) => (
              <li key={m.href}>
                <Link href={m.href} aria-current={pathname === m.href || pathname.startsWith(m.href + "/") ? "page" : undefined}>{m.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user">
          <span>{user.name} <span className="badge">{user.role}</span></span>
          <button type="button" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
