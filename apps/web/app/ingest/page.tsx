import { LiveStatus } from './live-status';

export default function IngestStatus() {
  return (
    <main>
      <h1>Ingest status</h1>
      <p className="muted">
        Live telemetry of your contact center: events arriving now and today&apos;s contacts per queue, for the holder of a tenant API key.
      </p>
      <LiveStatus />
    </main>
  );
}
