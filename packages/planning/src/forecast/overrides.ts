import type { IsoDate } from './types.ts';

/**
 * A planner's correction to the statistical forecast: every interval from `fromInterval`
 * (inclusive) to `toInterval` (exclusive, default end of day) of each date from `from` to
 * `to` (inclusive) is set to `value` or multiplied by it. Later overrides win.
 */
export interface Override {
  from: IsoDate;
  to: IsoDate;
  fromInterval?: number;
  toInterval?: number;
  kind: 'set' | 'multiply';
  value: number;
  label: string;
}

export interface ForecastDay {
  date: IsoDate;
  values: number[];
  lo80: number[];
  hi80: number[];
}

export interface OverriddenDay extends ForecastDay {
  /** Per interval: the label of the last override that changed it, or null. */
  overriddenBy: (string | null)[];
}

/**
 * Applies overrides after the statistical forecast. The interval is scaled with the value
 * so its relative width survives; a value set where the forecast was 0 gets a zero-width interval.
 */
export function applyOverrides(days: readonly ForecastDay[], overrides: readonly Override[]): OverriddenDay[] {
  return days.map((day) => {
    const out: OverriddenDay = {
      date: day.date,
      values: [...day.values],
      lo80: [...day.lo80],
      hi80: [...day.hi80],
      overriddenBy: day.values.map(() => null),
    };
    for (const o of overrides) {
      if (day.date < o.from || day.date > o.to) continue;
      const end = Math.min(o.toInterval ?? out.values.length, out.values.length);
      for (let i = Math.max(0, o.fromInterval ?? 0); i < end; i++) {
        const before = out.values[i]!;
        const after = o.kind === 'set' ? o.value : before * o.value;
        const scale = before > 0 ? after / before : null;
        out.values[i] = after;
        out.lo80[i] = scale === null ? after : out.lo80[i]! * scale;
        out.hi80[i] = scale === null ? after : out.hi80[i]! * scale;
        out.overriddenBy[i] = o.label;
      }
    }
    return out;
  });
}
