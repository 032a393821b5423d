export default function Quality() {
  return (
    <section>
      <h1>Quality</h1>
      <p className="muted">Evaluation forms, automatically scored interactions, calibration and disputes arrive here with the quality release.</p>
    </section>
  );
}
