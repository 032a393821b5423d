import { dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import { createSeededRandom, drawNormal, drawPoisson } from '../src/random.ts';
import type { Day, IsoDate } from '../src/forecast/types.ts';

/**
 * Synthetic centres the forecaster's settings are chosen and tested on: one seeded series per
 * week shape, with the events real histories carry unflagged (closures on open weekdays,
 * outages, promotions). `bench/centres.ts` is a separate generator the bench reports on, so
 * the reported figures are not those of the data the settings were tuned on.
 */
export type WeekShape = 'mon-fri' | 'sun-thu' | 'short-friday' | 'seven-day' | 'always-open' | 'night';

export interface CentreOptions {
  shape: WeekShape;
  seed: number;
  firstDate: IsoDate;
  weeks: number;
  /** Intervals per day on the grid (the grid is the whole day for always-open and night queues). */
  intervals?: number;
  dailyVolume?: number;
  /** Unflagged closures on open weekdays (days absent or all zero), outages (day at 0–40%) and promotions (×1.5–2.2). */
  closures?: number;
  outages?: number;
  promotions?: number;
}

export interface Centre {
  days: Day[];
  /** What the generator did on each unusual day, for tests to check detection against. */
  events: Map<IsoDate, 'closed' | 'outage' | 'promotion'>;
  /** Which intervals of a weekday the centre is open. */
  openIntervals: (weekday: number) => boolean[];
}

const weekdayFactors: Record<WeekShape, number[]> = {
  'mon-fri': [0, 1.3, 1.1, 1, 1, 0.9, 0],
  'sun-thu': [1.3, 1.1, 1, 1, 0.9, 0, 0],
  'short-friday': [0, 1.2, 1.05, 1, 1, 0.6, 0],
  'seven-day': [0.45, 1.25, 1.1, 1, 1, 0.95, 0.6],
  'always-open': [0.7, 1.15, 1.05, 1, 1, 1.05, 0.8],
  night: [0.9, 1.1, 1, 1, 1, 1.15, 1],
};

/** Share of the day's volume in interval i of a weekday; 0 where the centre is closed. */
function createShape(shape: WeekShape, intervals: number, random: () => number): (weekday: number) => number[] {
  const hoursPerInterval = 24 / intervals;
  const peaks = [9.5 + random() * 2, 13.5 + random() * 2, 18 + random()];
  const curve = (hour: number) => 0.2 + Math.exp(-0.5 * ((hour - peaks[0]!) / 1.3) ** 2) + 0.7 * Math.exp(-0.5 * ((hour - peaks[1]!) / 1.5) ** 2);
  return (weekday) =>
    Array.from({ length: intervals }, (_, i) => {
      const hour = (i + 0.5) * hoursPerInterval;
      switch (shape) {
        case 'always-open':
          return 0.08 + curve(hour) + 0.3 * Math.exp(-0.5 * ((hour - peaks[2]!) / 1.5) ** 2);
        case 'night':
          // Open 20:00–06:00: the early hours of a date belong to the night that began the day before.
          return hour >= 20 ? 0.5 + (hour - 20) * 0.3 : hour < 6 ? 1.6 - hour * 0.25 : 0;
        case 'short-friday':
          return hour < 8 || hour >= (weekday === 5 ? 13 : 20) ? 0 : curve(hour);
        default:
          return hour < 8 || hour >= 20 ? 0 : curve(hour);
      }
    });
}

export function createCentre(options: CentreOptions): Centre {
  const random = createSeededRandom(options.seed);
  const intervals = options.intervals ?? 48;
  const dailyVolume = options.dailyVolume ?? 2000;
  const shapeOf = createShape(options.shape, intervals, random);
  const factors = weekdayFactors[options.shape].map((f) => f * (1 + 0.08 * drawNormal(random)));
  const trend = (random() - 0.5) * 0.4;
  const first = dayNumberOf(options.firstDate);
  const total = options.weeks * 7;
  const openDays: number[] = [];
  for (let n = first; n < first + total; n++) if (factors[weekdayOfDayNumber(n)]! > 0) openDays.push(n);

  const events = new Map<IsoDate, 'closed' | 'outage' | 'promotion'>();
  // Events stay out of the first four weeks, where the fit has nothing to compare them with.
  const pick = () => openDays[20 + Math.floor(random() * (openDays.length - 20))]!;
  for (const [count, kind] of [
    [options.closures ?? 0, 'closed'],
    [options.outages ?? 0, 'outage'],
    [options.promotions ?? 0, 'promotion'],
  ] as const) {
    for (let k = 0; k < count; k++) events.set(dateOfDayNumber(pick()), kind);
  }

  const days: Day[] = [];
  let afterClosure = false;
  for (const n of openDays) {
    const date = dateOfDayNumber(n);
    const weekday = weekdayOfDayNumber(n);
    const event = events.get(date);
    if (event === 'closed') {
      afterClosure = true;
      if (random() < 0.5) days.push({ date, values: new Array<number>(intervals).fill(0) });
      continue;
    }
    const shape = shapeOf(weekday);
    const shapeTotal = shape.reduce((s, v) => s + v, 0);
    let level = dailyVolume * factors[weekday]! * (1 + (trend * (n - first)) / total) * Math.exp(0.04 * drawNormal(random));
    if (afterClosure) level *= 1.25;
    afterClosure = false;
    if (event === 'promotion') level *= 1.5 + random() * 0.7;
    let values = shape.map((s) => drawPoisson(random, (level * s) / shapeTotal));
    if (event === 'outage') {
      const cut = Math.floor(random() * intervals);
      values = values.map((v, i) => (i >= cut ? Math.round(v * random() * 0.2) : v));
    }
    days.push({ date, values });
  }
  return { days, events, openIntervals: (weekday) => shapeOf(weekday).map((s) => s > 0) };
}
