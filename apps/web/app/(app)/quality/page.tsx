import Link from 'next/link';

export default function Quality() {
  return (
    <section>
      <h1>Quality</h1>
      <p className="muted">Evaluation forms, automatically scored interactions, calibration and disputes arrive here with the quality release.</p>
      <p>
        Meanwhile: <Link href="/reports">historical reports</Link> with drill-down to every interaction, and
        <Link href="/self-service">self-service analytics</Link> by intent.
      </p>
    </section>
  );
}
