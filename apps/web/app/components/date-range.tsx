'use client';

/** From and to local dates (inclusive); a cleared field keeps its last value. */
export function DateRange({ from, to, onChange }: { from: string; to: string; onChange: (range: { from: string; to: string }) => void }) {
  return (
    <>
      <label>
        From <input type="date" value={from} max={to} onChange={(e) => e.target.value && onChange({ from: e.target.value, to })} />
      </label>
      <label>
        To <input type="date" value={to} min={from} onChange={(e) => e.target.value && onChange({ from, to: e.target.value })} />
      </label>
    </>
  );
}
