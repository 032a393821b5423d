import { LiveStatus } from './live-status';

export default function Home() {
  return (
    <main>
      <h1>Switchboard</h1>
      <p className="muted">Live telemetry of your contact center: events arriving now and today&apos;s contacts per queue.</p>
      <LiveStatus />
    </main>
  );
}
