import { RoleGate, Tabs } from "../../../components/RoleGate";

const tabs = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/backups", label: "Backups" },
  { href: "/admin/messages", label: "Reminders & SMS" },
];

/** The admin UI: admins only; anyone else is sent away. */
export default function AdminLayout({ children }: { children: React.ReactNode }) {
  return (
    <RoleGate capability="admin">
      <Tabs label="Admin" tabs={tabs} />
      {children}
    </RoleGate>
  );
}
