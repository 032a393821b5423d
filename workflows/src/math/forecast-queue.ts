import { applyOverrides, forecastAht, forecastSeries, type DetectedDay, type Holiday, type Override, type SpecialDay } from '@switchboard/planning';
import type { ForecastIntervalRow, ForecastMethodRow, IntervalActual } from '@switchboard/telemetry';
import { localDateRange, localDayHours, localDaySlots, toLocalSlot, type LocalDate, type SlotMinutes } from '@switchboard/calendar';

/**
 * One queue's forecast from its 15-minute actuals: pure, so it can run in a worker thread
 * and be tested without a store. Volume and AHT per local 15-minute clock slot of each
 * target day (the methods see 96 a day), stored per real interval: 92 on a spring-forward
 * day, 100 on a fall-back day, where the repeated hour gets its clock slots' forecast twice.
 */

export const SLOT_MINUTES: SlotMinutes = 15;
const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;

interface QueueOverride {
  fromDate: string;
  toDate: string;
  fromMinute: number | null;
  toMinute: number | null;
  kind: 'set' | 'multiply';
  value: number;
  label: string;
}

export interface QueueForecastInput {
  queueId: string;
  channel: string;
  timezone: string;
  /** Rollup rows before the training cut-off, any order. */
  history: readonly IntervalActual[];
  startDate: string;
  horizonDays: number;
  specialDays: readonly SpecialDay[];
  /** Public holidays of the tenant's region over history and targets. */
  holidays: readonly Holiday[];
  /** Multiplier of a holiday when history has none to learn from. */
  holidayDefault: number;
  /** Days the planner said were normal after they were detected. */
  normalDays: readonly string[];
  overrides: readonly QueueOverride[];
}

export interface QueueForecast {
  intervals: ForecastIntervalRow[];
  methods: ForecastMethodRow[];
  /** Closures and unusual days the volume forecast found in this queue's history. */
  detected: DetectedDay[];
}

interface LocalDay {
  offered: number[];
  handled: number[];
  handleSeconds: number[];
}

/** How many real intervals each clock slot of a day has: 2 in a repeated hour, 0 in a skipped one. */
function slotOccurrences(date: LocalDate, timezone: string): number[] {
  const counts = new Array<number>(SLOTS_PER_DAY).fill(0);
  for (const s of localDaySlots(date, timezone, SLOT_MINUTES)) counts[s.slot]!++;
  return counts;
}

/** History as local days of 96 clock slots (days on or after `before` left out). */
export function toLocalDays(history: readonly IntervalActual[], timezone: string, before: LocalDate): Map<LocalDate, LocalDay> {
  const days = new Map<LocalDate, LocalDay>();
  for (const row of history) {
    const { date, slot } = toLocalSlot(new Date(row.interval_start), timezone, SLOT_MINUTES);
    if (date >= before) continue;
    let day = days.get(date);
    if (!day) {
      day = {
        offered: new Array<number>(SLOTS_PER_DAY).fill(0),
        handled: new Array<number>(SLOTS_PER_DAY).fill(0),
        handleSeconds: new Array<number>(SLOTS_PER_DAY).fill(0),
      };
      days.set(date, day);
    }
    day.offered[slot]! += row.offered;
    day.handled[slot]! += row.handled;
    day.handleSeconds[slot]! += row.handle_ms_sum / 1000;
  }
  // A repeated hour's clock slots hold two intervals' contacts: the methods learn a rate per
  // 15 minutes, so they see the mean of the two.
  for (const [date, day] of days) {
    if (localDayHours(date, timezone) <= 24) continue;
    slotOccurrences(date, timezone).forEach((n, slot) => {
      if (n < 2) return;
      day.offered[slot]! /= n;
      day.handled[slot]! /= n;
      day.handleSeconds[slot]! /= n;
    });
  }
  return days;
}

const toOverride = (o: QueueOverride): Override => ({
  from: o.fromDate,
  to: o.toDate,
  fromInterval: o.fromMinute === null ? 0 : Math.floor(o.fromMinute / SLOT_MINUTES),
  toInterval: o.toMinute === null ? SLOTS_PER_DAY : Math.ceil(o.toMinute / SLOT_MINUTES),
  kind: o.kind,
  value: o.value,
  label: o.label,
});

export function forecastQueue(input: QueueForecastInput): QueueForecast {
  const localDays = toLocalDays(input.history, input.timezone, input.startDate);
  // A day without a single offered contact was a closed day: the methods infer opening days.
  const observed = [...localDays.entries()].filter(([, d]) => d.offered.some((v) => v > 0)).sort(([a], [b]) => (a < b ? -1 : 1));
  const targets = localDateRange(input.startDate, input.horizonDays);

  const volume = forecastSeries(
    {
      history: observed.map(([date, d]) => ({ date, values: d.offered })),
      targets,
      specialDays: input.specialDays,
      holidays: input.holidays,
      holidayDefault: input.holidayDefault,
      normalDays: input.normalDays,
    },
    // Methods are chosen on 30-minute error, the grain staffing is usually read at.
    { method: 'auto', scoringBucket: 2 },
  );
  const aht = forecastAht({
    history: observed.map(([date, d]) => ({ date, handled: d.handled, handleSeconds: d.handleSeconds })),
    targets,
    specialDays: input.specialDays,
  });
  const overridden = applyOverrides(volume.days, input.overrides.map(toOverride));

  const intervals: ForecastIntervalRow[] = [];
  overridden.forEach((day, t) => {
    for (const { start, slot } of localDaySlots(day.date, input.timezone, SLOT_MINUTES)) {
      intervals.push({
        queue_id: input.queueId,
        channel: input.channel,
        interval_start: start.toISOString(),
        volume: day.values[slot]!,
        volume_lo80: day.lo80[slot]!,
        volume_hi80: day.hi80[slot]!,
        volume_statistical: volume.days[t]!.values[slot]!,
        aht_s: aht[t]?.[slot] ?? 0,
        overridden: day.overriddenBy[slot] === null ? 0 : 1,
      });
    }
  });
  return {
    intervals,
    methods: [
      {
        queue_id: input.queueId,
        measure: 'volume',
        method: volume.method,
        backtest_wape: volume.wape === null || !Number.isFinite(volume.wape) ? null : volume.wape,
        candidates: JSON.stringify(volume.backtestWape),
        blends: JSON.stringify(volume.blends),
      },
      { queue_id: input.queueId, measure: 'aht', method: 'weekday-interval-ratio', backtest_wape: null, candidates: '{}', blends: '[]' },
    ],
    detected: volume.detected,
  };
}
