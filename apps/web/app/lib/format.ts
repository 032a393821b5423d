/** How numbers read on every screen; "—" stands for "nothing to compute from", never for 0. */

const integer = new Intl.NumberFormat('en-US');

export const DASH = '—';

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? DASH : integer.format(Math.round(value));
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? DASH : `${(value * 100).toFixed(digits)}%`;
}

/** Seconds as "42 s", "3:05" or "1:02:09". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return DASH;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
