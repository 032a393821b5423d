export default function Planning() {
  return (
    <section>
      <h1>Planning</h1>
      <p className="muted">Forecasts, staffing requirements and what-ifs for each queue arrive here with the planning release.</p>
    </section>
  );
}
