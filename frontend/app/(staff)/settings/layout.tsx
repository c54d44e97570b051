import { RoleGate, Tabs } from "../../../components/RoleGate";

const tabs = [
  { href: "/settings", label: "Clinic" },
  { href: "/settings/appointment-types", label: "Appointment types" },
  { href: "/settings/chairs", label: "Chairs" },
  { href: "/settings/hours", label: "Hours" },
  { href: "/settings/closures", label: "Closures & time off" },
  { href: "/settings/questionnaire", label: "Questionnaire" },
];

/** The clinic's settings: admins and dentists (the API lets only admins change the clinic's details). */
export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <RoleGate capability="settings">
      <Tabs label="Settings" tabs={tabs} />
      {children}
    </RoleGate>
  );
}
