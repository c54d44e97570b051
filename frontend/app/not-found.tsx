import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="center-page">
      <div className="card">
        <h1>Page not found</h1>
        <p>There is no page at this address.</p>
        <p><Link href="/calendar">Go to the calendar</Link></p>
      </div>
    </main>
  );
}
