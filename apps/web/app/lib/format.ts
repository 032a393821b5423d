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

/** A KPI value in its unit. Counts that are not whole (hours) keep one decimal. */
export function formatKpi(unit: 'count' | 'ratio' | 'seconds', value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  if (unit === 'ratio') return formatPercent(value);
  if (unit === 'seconds') return formatDuration(value);
  return Number.isInteger(value) ? formatCount(value) : value.toFixed(1);
}

/** A bucket start as people read it, in the tenant's time zone. */
export function formatBucket(iso: string, grain: string, timezone: string): string {
  const d = new Date(iso);
  if (grain === 'day' || grain === 'week') {
    return d.toLocaleDateString('en-US', { timeZone: timezone, weekday: 'short', month: 'short', day: 'numeric' });
  }
  return d.toLocaleString('en-US', { timeZone: timezone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** A measured quantity that is not a count (forecast contacts, FTE, Erlangs) with fixed decimals. */
export function formatDecimal(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? DASH
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
