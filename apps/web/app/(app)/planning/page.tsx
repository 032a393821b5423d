import Link from 'next/link';

export default function Planning() {
  return (
    <section>
      <h1>Planning</h1>
      <p className="muted">Forecasts, staffing requirements and what-ifs for each queue arrive here with the planning release.</p>
      <p>
        Meanwhile: <Link href="/reports">historical reports</Link> with drill-down to every interaction, and 
        <Link href="/self-service">self-service analytics</Link> by intent.
      </p>
    </section>
  );
}
