import { Shell } from "../../components/Shell";

export default function StaffLayout({ children }: { children: React.ReactNode }) {
  return <Shell>{children}</Shell>;
}
