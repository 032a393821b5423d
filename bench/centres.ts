/**
 * Synthetic contact-centre call-volume histories for the forecast benchmark: about 24 centres
 * that differ in country (public holidays from date-holidays), week shape (Mon–Fri, Mon–Sat,
 * Sun–Thu, 7-day, 24/7, night queues that run past midnight, short Fridays), grid (15, 30, 60
 * minutes), opening hours, volume (150 to 40,000 calls a day), weekday and intraday pattern,
 * trend and seasonality, and how the export shows closed days (absent or all zeros).
 *
 * The forecaster is tuned on another generator, so this one was designed separately, from how
 * real centres behave rather than from that generator: demand belongs to a business day that
 * may span two calendar dates; days with shorter hours carry compressed demand; closures push
 * a backlog onto the next open day; calendars have unflagged side effects (Christmas Eve, the
 * days between Christmas and New Year, Israeli holiday eves, Diwali and Holi, which date-holidays
 * does not list for India); and histories hold unflagged outages, mailings, level shifts and
 * missing days. Everything is drawn from one seeded stream per centre, so a seed reproduces the
 * whole set and the centre names stay the same across seeds.
 */
import { dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import { createSeededRandom, drawNormal, drawPoisson, type Day } from '@switchboard/planning';
import Holidays from 'date-holidays';

export interface BenchCentre {
  name: string;
  /** date-holidays country code (optionally CC-REGION) whose public holidays shaped the data, or null if none. */
  holidays: string | null;
  intervalMinutes: 15 | 30 | 60;
  /** Chronological observed days on one fixed intraday grid (every day the same number of intervals). */
  days: Day[];
}

/** Opening hours of one business day in clock hours from its own midnight; a close past 24 runs into the next date. */
type Hours = readonly [open: number, close: number] | null;

/** office: business lines with two peaks; consumer: three peaks incl. evening; round-the-clock: 24/7; night: an out-of-hours queue. */
type Profile = 'office' | 'consumer' | 'round-the-clock' | 'night';

/** How the export shows closed dates: every calendar date, only the weekly open weekdays, or only dates with traffic. */
type EmptyDays = 'all-dates' | 'business-days' | 'traffic-only';

interface CentreSpec {
  name: string;
  holidays: string | null;
  intervalMinutes: 15 | 30 | 60;
  profile: Profile;
  /** Indexed by weekday (0 = Sunday). */
  hours: readonly Hours[];
  /** First working day of the week: Sunday in Israel and the Gulf. */
  workweek: 'mon' | 'sun';
  onHoliday: 'closed' | 'reduced';
  emptyDays: EmptyDays;
  /** Mean calls per open day, drawn log-uniformly. */
  volume: readonly [number, number];
  /** Nominal last date; the seed moves it 0–3 days later. */
  lastDate: string;
  /** Nominal history length; the seed moves it ±3 weeks within 30–70. */
  weeks: number;
  /** Expected unflagged anomalies per year (0 = clean). */
  anomalies: number;
  /** A permanent step of 8–20% somewhere mid-history (new client, IVR change, channel shift). */
  levelShift?: boolean;
  /** Bills or statements land early in the month, lifting days 1–5. */
  billingCycle?: boolean;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Weekly hours from keys like 'mon-fri', 'sat' or 'daily'. */
function week(spec: Record<string, readonly [number, number]>): Hours[] {
  const hours: Hours[] = [null, null, null, null, null, null, null];
  for (const [key, value] of Object.entries(spec)) {
    const [from, to = from] = key === 'daily' ? ['sun', 'sat'] : key.split('-');
    let day = DAY_NAMES.indexOf(from!);
    const last = DAY_NAMES.indexOf(to!);
    if (day < 0 || last < 0) throw new Error(`bad weekday range ${key}`);
    for (;;) {
      hours[day] = value;
      if (day === last) break;
      day = (day + 1) % 7;
    }
  }
  return hours;
}

// End dates put a different holiday period in each centre's last 4–8 weeks (noted per line).
const SPECS: readonly CentreSpec[] = [
  // Thanksgiving, Veterans Day, Columbus Day.
  {
    name: 'us-mon-fri-30m',
    holidays: 'US',
    intervalMinutes: 30,
    profile: 'office',
    hours: week({ 'mon-fri': [8, 20] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'traffic-only',
    volume: [2000, 5000],
    lastDate: '2025-12-12',
    weeks: 60,
    anomalies: 3,
  },
  // Thanksgiving and Black Friday, Christmas, New Year.
  {
    name: 'us-retail-7d-15m',
    holidays: 'US',
    intervalMinutes: 15,
    profile: 'consumer',
    hours: week({ 'mon-fri': [7.5, 22], 'sat-sun': [9, 21] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [8000, 18000],
    lastDate: '2026-01-09',
    weeks: 52,
    anomalies: 6,
  },
  // Independence Day on a Saturday with a Friday substitute.
  {
    name: 'us-24x7-60m',
    holidays: 'US',
    intervalMinutes: 60,
    profile: 'round-the-clock',
    hours: week({ daily: [0, 24] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [14000, 25000],
    lastDate: '2026-07-17',
    weeks: 66,
    anomalies: 3,
    levelShift: true,
  },
  // Veterans Day, Thanksgiving 2026.
  {
    name: 'us-mon-sat-15m',
    holidays: 'US',
    intervalMinutes: 15,
    profile: 'office',
    hours: week({ 'mon-fri': [8, 21], sat: [9, 17] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'all-dates',
    volume: [800, 1500],
    lastDate: '2026-11-27',
    weeks: 48,
    anomalies: 0,
    billingCycle: true,
  },
  {
    name: 'night-7d-15m',
    holidays: null,
    intervalMinutes: 15,
    profile: 'night',
    hours: week({ daily: [20, 32] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [300, 800],
    lastDate: '2025-08-29',
    weeks: 40,
    anomalies: 3,
  },
  // Good Friday and Easter Monday 2026.
  {
    name: 'gb-mon-fri-15m',
    holidays: 'GB',
    intervalMinutes: 15,
    profile: 'office',
    hours: week({ 'mon-fri': [8, 18] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'business-days',
    volume: [3000, 8000],
    lastDate: '2026-04-24',
    weeks: 44,
    anomalies: 3,
    billingCycle: true,
  },
  // Christmas, Boxing Day, New Year.
  {
    name: 'gb-mon-sat-30m',
    holidays: 'GB',
    intervalMinutes: 30,
    profile: 'consumer',
    hours: week({ 'mon-fri': [8, 20], sat: [9, 17] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'traffic-only',
    volume: [1000, 3000],
    lastDate: '2026-01-16',
    weeks: 56,
    anomalies: 7,
  },
  // St Andrew's Day substitute (Monday 1 December 2025).
  {
    name: 'gb-sct-mon-fri-60m',
    holidays: 'GB-SCT',
    intervalMinutes: 60,
    profile: 'office',
    hours: week({ 'mon-fri': [9, 17] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'all-dates',
    volume: [200, 400],
    lastDate: '2025-12-19',
    weeks: 36,
    anomalies: 3,
  },
  // Summer bank holiday.
  {
    name: 'gb-24x7-30m',
    holidays: 'GB',
    intervalMinutes: 30,
    profile: 'round-the-clock',
    hours: week({ daily: [0, 24] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [10000, 25000],
    lastDate: '2025-09-12',
    weeks: 62,
    anomalies: 7,
  },
  // Early May and Spring bank holidays 2026.
  {
    name: 'gb-7d-60m',
    holidays: 'GB',
    intervalMinutes: 60,
    profile: 'consumer',
    hours: week({ daily: [8, 22] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [4000, 9000],
    lastDate: '2026-06-05',
    weeks: 34,
    anomalies: 0,
  },
  // May Day, Ascension, Whit Monday 2026.
  {
    name: 'de-short-fri-15m',
    holidays: 'DE',
    intervalMinutes: 15,
    profile: 'office',
    hours: week({ 'mon-thu': [8, 18], fri: [8, 14] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'traffic-only',
    volume: [1500, 4000],
    lastDate: '2026-05-29',
    weeks: 50,
    anomalies: 3,
  },
  // Christmas, the days between the years, New Year.
  {
    name: 'de-mon-sat-30m',
    holidays: 'DE',
    intervalMinutes: 30,
    profile: 'consumer',
    hours: week({ 'mon-fri': [7, 20], sat: [9, 14] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'business-days',
    volume: [5000, 12000],
    lastDate: '2026-01-09',
    weeks: 70,
    anomalies: 7,
    levelShift: true,
    billingCycle: true,
  },
  // Whit Monday and Corpus Christi (Bavaria) 2025.
  {
    name: 'de-by-mon-fri-60m',
    holidays: 'DE-BY',
    intervalMinutes: 60,
    profile: 'office',
    hours: week({ 'mon-fri': [8, 17] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'all-dates',
    volume: [400, 1000],
    lastDate: '2025-06-27',
    weeks: 30,
    anomalies: 0,
  },
  // German Unity Day.
  {
    name: 'de-24x7-15m',
    holidays: 'DE',
    intervalMinutes: 15,
    profile: 'round-the-clock',
    hours: week({ daily: [0, 24] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [6000, 15000],
    lastDate: '2025-10-24',
    weeks: 46,
    anomalies: 3,
  },
  // Gandhi Jayanti, Diwali.
  {
    name: 'in-mon-sat-30m',
    holidays: 'IN',
    intervalMinutes: 30,
    profile: 'consumer',
    hours: week({ 'mon-sat': [9, 21] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'traffic-only',
    volume: [10000, 30000],
    lastDate: '2025-10-31',
    weeks: 58,
    anomalies: 7,
  },
  // Republic Day 2026.
  {
    name: 'in-24x7-60m',
    holidays: 'IN',
    intervalMinutes: 60,
    profile: 'round-the-clock',
    hours: week({ daily: [0, 24] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [15000, 27000],
    lastDate: '2026-02-13',
    weeks: 40,
    anomalies: 3,
    billingCycle: true,
  },
  // Holi, Good Friday, Ambedkar Jayanti 2026.
  {
    name: 'in-7d-15m',
    holidays: 'IN',
    intervalMinutes: 15,
    profile: 'consumer',
    hours: week({ daily: [8, 22] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [3000, 8000],
    lastDate: '2026-04-30',
    weeks: 32,
    anomalies: 0,
  },
  // Rosh Hashanah, Yom Kippur, Sukkot, Simchat Torah 2025.
  {
    name: 'il-sun-thu-15m',
    holidays: 'IL',
    intervalMinutes: 15,
    profile: 'office',
    hours: week({ 'sun-thu': [8, 18] }),
    workweek: 'sun',
    onHoliday: 'closed',
    emptyDays: 'traffic-only',
    volume: [1000, 3000],
    lastDate: '2025-10-30',
    weeks: 54,
    anomalies: 3,
  },
  // Passover and Independence Day 2026.
  {
    name: 'il-short-fri-30m',
    holidays: 'IL',
    intervalMinutes: 30,
    profile: 'consumer',
    hours: week({ 'sun-thu': [8, 20], fri: [8, 13] }),
    workweek: 'sun',
    onHoliday: 'closed',
    emptyDays: 'all-dates',
    volume: [2000, 6000],
    lastDate: '2026-05-07',
    weeks: 45,
    anomalies: 7,
    billingCycle: true,
  },
  // The autumn holidays of 2026, several of them on a Saturday.
  {
    name: 'il-24x7-60m',
    holidays: 'IL',
    intervalMinutes: 60,
    profile: 'round-the-clock',
    hours: week({ daily: [0, 24] }),
    workweek: 'sun',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [5000, 12000],
    lastDate: '2026-10-15',
    weeks: 68,
    anomalies: 3,
  },
  {
    name: 'gulf-sun-thu-30m',
    holidays: null,
    intervalMinutes: 30,
    profile: 'office',
    hours: week({ 'sun-thu': [8, 20] }),
    workweek: 'sun',
    onHoliday: 'closed',
    emptyDays: 'business-days',
    volume: [600, 1500],
    lastDate: '2026-03-06',
    weeks: 38,
    anomalies: 7,
  },
  {
    name: 'small-mon-fri-30m',
    holidays: null,
    intervalMinutes: 30,
    profile: 'office',
    hours: week({ 'mon-fri': [9, 17.5] }),
    workweek: 'mon',
    onHoliday: 'closed',
    emptyDays: 'traffic-only',
    volume: [200, 320],
    lastDate: '2025-07-25',
    weeks: 40,
    anomalies: 3,
  },
  {
    name: 'app-7d-15m',
    holidays: null,
    intervalMinutes: 15,
    profile: 'consumer',
    hours: week({ daily: [7, 23] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'all-dates',
    volume: [10000, 24000],
    lastDate: '2026-08-28',
    weeks: 64,
    anomalies: 7,
    levelShift: true,
  },
  // Nights before working days (Sunday to Thursday evenings), 22:00–06:00.
  {
    name: 'night-sun-thu-60m',
    holidays: null,
    intervalMinutes: 60,
    profile: 'night',
    hours: week({ 'sun-thu': [22, 30] }),
    workweek: 'mon',
    onHoliday: 'reduced',
    emptyDays: 'business-days',
    volume: [220, 450],
    lastDate: '2026-09-11',
    weeks: 36,
    anomalies: 3,
  },
];

/** Weekday factors by position from the first working day (0) to the second weekend day (6); for night queues, the night's start. */
const WEEK_PATTERNS: Record<Profile, readonly number[]> = {
  office: [1.18, 1.05, 1, 0.97, 0.88, 0.5, 0.3],
  consumer: [1.16, 1.05, 1, 0.98, 0.93, 0.74, 0.64],
  'round-the-clock': [1.1, 1.03, 1, 0.98, 0.95, 0.84, 0.8],
  night: [0.95, 0.92, 0.92, 0.97, 1.15, 1.25, 1],
};

// Festival days that shape Indian volumes but are not in date-holidays' IN calendar.
const DIWALI = new Set(['2024-10-31', '2025-10-20', '2026-11-08'].map(dayNumberOf));
const HOLI = new Set(['2024-03-25', '2025-03-14', '2026-03-04'].map(dayNumberOf));

type Random = () => number;

const uniform = (random: Random, low: number, high: number) => low + (high - low) * random();
const logUniform = (random: Random, low: number, high: number) => Math.exp(uniform(random, Math.log(low), Math.log(high)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const yearOf = (n: number) => Number(dateOfDayNumber(n).slice(0, 4));

/** Independent, well-mixed streams per centre from one seed. */
function centreSeed(seed: number, index: number): number {
  let h = (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

interface Peak {
  role: 'morning' | 'afternoon' | 'evening' | 'late';
  at: number;
  width: number;
  weight: number;
}

interface Shape {
  peaks: Peak[];
  baseline: number;
  /** Demand that never sleeps (24/7 and night queues). */
  floor: number;
  /** When callers go to bed and get up, in hours (sleep may pass 24). */
  sleep: number;
  wake: number;
  /** The queue that built up before opening arrives in the first 15 minutes. */
  surge: number;
}

function drawShape(spec: CentreSpec, random: Random): Shape {
  const peak = (role: Peak['role'], at: readonly [number, number], width: readonly [number, number], weight: readonly [number, number]): Peak => ({
    role,
    at: uniform(random, ...at),
    width: uniform(random, ...width),
    weight: uniform(random, ...weight),
  });
  const latestClose = Math.max(...spec.hours.map((h) => h?.[1] ?? 0));
  switch (spec.profile) {
    case 'office':
      return {
        peaks: [
          peak('morning', [9.6, 10.6], [0.9, 1.4], [1, 1]),
          peak('afternoon', [13.8, 15], [1, 1.6], [0.6, 0.95]),
          // Lines open into the evening get a small after-work peak.
          ...(latestClose >= 19 ? [peak('evening', [17.8, 18.8], [0.8, 1.2], [0.15, 0.35])] : []),
        ],
        baseline: uniform(random, 0.12, 0.2),
        floor: 0,
        sleep: uniform(random, 22.5, 23.5),
        wake: uniform(random, 6.3, 7.3),
        surge: uniform(random, 1, 1.5),
      };
    case 'consumer':
    case 'round-the-clock':
      return {
        peaks: [
          peak('morning', [10, 11.5], [1, 1.5], [1, 1]),
          peak('afternoon', [14, 15.5], [1, 1.7], [0.7, 1]),
          peak('evening', [18.8, 20.3], [0.9, 1.4], [0.35, 0.7]),
        ],
        baseline: uniform(random, 0.08, 0.18),
        floor: spec.profile === 'round-the-clock' ? uniform(random, 0.02, 0.04) : 0,
        sleep: uniform(random, 23, 24.5),
        wake: uniform(random, 6, 7.5),
        surge: spec.profile === 'consumer' ? uniform(random, 1, 1.3) : 1,
      };
    case 'night':
      return {
        peaks: [
          peak('evening', [20.3, 21.3], [1, 1.6], [1, 1]),
          peak('late', [23.3, 24.3], [0.7, 1], [0.25, 0.45]),
          peak('morning', [6.8, 7.6], [0.6, 0.9], [0.45, 0.8]),
        ],
        baseline: uniform(random, 0.1, 0.15),
        floor: uniform(random, 0.1, 0.18),
        sleep: uniform(random, 24.3, 25.5),
        wake: uniform(random, 5.5, 6.5),
        surge: 1,
      };
  }
}

/** Relative demand at a clock hour: peaks on a baseline, damped while callers sleep. */
function demandAt(shape: Shape, peaks: readonly Peak[], clock: number): number {
  const x = clock < 12 ? clock + 24 : clock;
  const asleep = sigmoid((x - shape.sleep) / 0.9) * sigmoid((shape.wake + 24 - x) / 0.6);
  let sum = shape.baseline;
  for (const p of peaks) {
    const gap = Math.abs(clock - p.at) % 24;
    const d = Math.min(gap, 24 - gap);
    sum += p.weight * Math.exp(-0.5 * (d / p.width) ** 2);
  }
  return shape.floor + (1 - asleep) * sum;
}

/** One business day's peaks: the week's first day starts strong, the last fades, weekends and holidays start late. */
function peaksOfDay(shape: Shape, profile: Profile, position: number, holiday: boolean, random: Random): Peak[] {
  return shape.peaks.map((base) => {
    const p = { ...base };
    if (profile !== 'night') {
      if (position === 0 && !holiday && p.role === 'morning') p.weight *= 1.12;
      if (position === 4 && !holiday && p.role !== 'morning') p.weight *= p.role === 'evening' ? 0.8 : 0.9;
      if (position >= 5 || holiday) {
        if (p.role === 'morning') p.at += 0.7;
        if (p.role === 'afternoon') p.weight *= 0.85;
        if (p.role === 'evening') p.weight *= position === 6 || holiday ? 1.2 : 0.8;
      }
    }
    // Day-to-day wobble: no two Mondays look quite alike.
    p.at += 0.1 * drawNormal(random);
    p.weight *= Math.exp(0.06 * drawNormal(random));
    return p;
  });
}

/** Demand per slot of a business day with the given hours, summing to 1. */
function slotShares(shape: Shape, peaks: readonly Peak[], hours: readonly [number, number], step: number, surge: number): number[] {
  const count = Math.round((hours[1] - hours[0]) / step);
  const shares = Array.from({ length: count }, (_, t) => demandAt(shape, peaks, (hours[0] + (t + 0.5) * step) % 24));
  if (shares.length > 0) shares[0]! *= surge;
  const total = shares.reduce((s, v) => s + v, 0);
  return shares.map((v) => v / total);
}

/** Relative demand inside the given hours at the centre's grid resolution, before any day-to-day variation. */
function hoursMass(shape: Shape, hours: readonly [number, number], step: number): number {
  let sum = 0;
  for (let h = hours[0]; h < hours[1] - 1e-9; h += step) sum += demandAt(shape, shape.peaks, (h + step / 2) % 24);
  return sum;
}

function publicHolidays(code: string, from: number, to: number): Map<number, string> {
  const calendar = new Holidays(code);
  const found = new Map<number, string>();
  for (let year = yearOf(from); year <= yearOf(to); year++) {
    for (const holiday of calendar.getHolidays(year)) {
      // Dates read 'YYYY-MM-DD hh:mm:ss' with an offset for holidays that start the evening before (IL); the date is the day off.
      const n = dayNumberOf(holiday.date.slice(0, 10));
      if (holiday.type === 'public' && n >= from && n <= to && !found.has(n)) found.set(n, holiday.name);
    }
  }
  return found;
}

interface DayPlan {
  hours: Hours;
  factor: number;
  /** A reduced-volume holiday: callers behave as on a Sunday. */
  holiday: boolean;
  /** Closed for a holiday, or a telephony outage; the next open day gets a backlog. */
  closure: 'holiday' | 'outage' | null;
  backlog: number;
}

/** Unflagged side effects of the calendar that date-holidays' public list does not carry. */
function calendarEffect(spec: CentreSpec, n: number, holidays: ReadonlyMap<number, string>, random: Random): { factor: number; closeBy: number | null } {
  const country = spec.holidays?.slice(0, 2);
  const monthDay = dateOfDayNumber(n).slice(5);
  const allDay = spec.profile === 'round-the-clock' || spec.profile === 'night';
  if ((country === 'US' || country === 'GB' || country === 'DE') && (monthDay === '12-24' || monthDay === '12-31')) {
    return allDay ? { factor: uniform(random, 0.6, 0.8), closeBy: null } : { factor: uniform(random, 0.8, 1), closeBy: 14 };
  }
  if ((country === 'GB' || country === 'DE') && monthDay >= '12-27' && monthDay <= '12-30') return { factor: uniform(random, 0.78, 0.92), closeBy: null };
  if (country === 'US' && holidays.get(n - 1) === 'Thanksgiving Day') {
    // Black Friday: retail lines get busier, business lines go quiet.
    const range: Record<Profile, readonly [number, number]> = { office: [0.65, 0.85], consumer: [1.05, 1.25], 'round-the-clock': [0.9, 1.05], night: [1, 1] };
    return { factor: uniform(random, ...range[spec.profile]), closeBy: null };
  }
  // Israel winds down on the eve of a holiday (Erev Chag), much like a Friday.
  if (country === 'IL' && holidays.has(n + 1))
    return allDay ? { factor: uniform(random, 0.6, 0.8), closeBy: null } : { factor: uniform(random, 0.8, 1), closeBy: 13 };
  if (country === 'IN') {
    if (DIWALI.has(n)) return { factor: uniform(random, 0.3, 0.5), closeBy: null };
    if (DIWALI.has(n - 1)) return { factor: uniform(random, 0.7, 0.85), closeBy: null };
    if (HOLI.has(n)) return { factor: uniform(random, 0.5, 0.7), closeBy: null };
  }
  return { factor: 1, closeBy: null };
}

function buildCentre(spec: CentreSpec, random: Random): BenchCentre {
  const step = spec.intervalMinutes / 60;
  for (const h of spec.hours) {
    if (h && (!Number.isInteger(h[0] / step) || !Number.isInteger(h[1] / step))) throw new Error(`${spec.name}: hours ${h.join('–')} are off the grid`);
  }
  const last = dayNumberOf(spec.lastDate) + Math.floor(random() * 4);
  const weeks = Math.min(70, Math.max(30, spec.weeks + Math.round(uniform(random, -3, 3))));
  const first = last - weeks * 7 + 1;
  const runsPastMidnight = spec.hours.some((h) => h !== null && h[1] > 24);
  const gridStart = runsPastMidnight ? 0 : Math.min(...spec.hours.map((h) => h?.[0] ?? 24));
  const gridEnd = runsPastMidnight ? 24 : Math.max(...spec.hours.map((h) => h?.[1] ?? 0));
  const intervals = Math.round((gridEnd - gridStart) / step);

  const shape = drawShape(spec, random);
  // Callers adapt to shorter hours, so a short day keeps more than its share of a full day's demand.
  const fullMass = Math.max(...spec.hours.map((h) => (h ? hoursMass(shape, h, step) : 0)));
  const compression = (hours: readonly [number, number]) => (hoursMass(shape, hours, step) / fullMass) ** 0.75;
  const firstWorkday = spec.workweek === 'sun' ? 0 : 1;
  const positionOf = (n: number) => (weekdayOfDayNumber(n) - firstWorkday + 7) % 7;
  const weekday = Array.from({ length: 7 }, (_, w) => WEEK_PATTERNS[spec.profile][(w - firstWorkday + 7) % 7]! * Math.exp(0.05 * drawNormal(random)));
  weekday[firstWorkday]! *= uniform(random, 0.97, 1.08);
  const openWeekdays = spec.hours.flatMap((h, w) => (h ? [weekday[w]! * compression(h)] : []));
  const weekdayScale = openWeekdays.length / openWeekdays.reduce((s, v) => s + v, 0);

  const volume = logUniform(random, ...spec.volume);
  const growth = uniform(random, -0.3, 0.3);
  const seasonAmplitude = uniform(random, 0.02, 0.08);
  const seasonPeak = random() * 365.25;
  const shift = spec.levelShift
    ? { from: first + Math.floor(weeks * 7 * uniform(random, 0.3, 0.7)), factor: 1 + (random() < 0.5 ? -1 : 1) * uniform(random, 0.08, 0.2) }
    : null;
  const billing = spec.billingCycle ? uniform(random, 0.05, 0.12) : 0;
  const noiseSigma = uniform(random, 0.03, 0.1);
  // Day-level deviations persist a little (weather, news, a slow queue), as in real data.
  const noisePersistence = uniform(random, 0, 0.5);
  const overdispersion = uniform(random, 0.02, 0.06);
  const backlogLow = uniform(random, 0.1, 0.2);
  const backlogHigh = Math.min(0.35, backlogLow + uniform(random, 0.05, 0.15));

  // Business days run from the day before the first date, whose night may spill into it.
  const holidays = spec.holidays ? publicHolidays(spec.holidays, first - 1, last + 1) : new Map<number, string>();
  const plans = new Map<number, DayPlan>();
  for (let n = first - 1; n <= last; n++) {
    const plan: DayPlan = { hours: spec.hours[weekdayOfDayNumber(n)]!, factor: 1, holiday: false, closure: null, backlog: 0 };
    if (holidays.has(n)) {
      if (spec.onHoliday === 'reduced') {
        plan.factor = uniform(random, 0.3, 0.7);
        plan.holiday = true;
      } else if (plan.hours) {
        plan.hours = null;
        plan.closure = 'holiday';
      }
    } else if (spec.holidays) {
      const effect = calendarEffect(spec, n, holidays, random);
      plan.factor = effect.factor;
      if (effect.closeBy !== null && plan.hours && plan.hours[0] < effect.closeBy && plan.hours[1] > effect.closeBy)
        plan.hours = [plan.hours[0], effect.closeBy];
    }
    plans.set(n, plan);
  }

  // Unflagged anomalies, on ordinary open days (not a holiday, its eve or the day after a closure): a handful a year, sometimes one in the evaluated weeks.
  const ordinary = [...plans.entries()]
    .filter(([n, p]) => n >= first && p.hours && !p.holiday && p.factor === 1 && plans.get(n - 1)!.closure === null)
    .map(([n]) => n);
  const anomalyDays: number[] = [];
  const count = Math.round(((spec.anomalies * weeks) / 52) * uniform(random, 0.6, 1.4));
  for (let i = 0; i < count; i++) anomalyDays.push(ordinary[Math.floor(random() * ordinary.length)]!);
  const recent = ordinary.filter((n) => n > last - 42);
  if (spec.anomalies > 0 && recent.length > 0 && random() < 0.6) anomalyDays.push(recent[Math.floor(random() * recent.length)]!);
  const used = new Set<number>();
  const partialOutages = new Set<number>();
  const missing = new Set<number>();
  for (const n of anomalyDays) {
    if (used.has(n) || used.has(n - 1) || used.has(n + 1)) continue;
    const plan = plans.get(n)!;
    const kind = random();
    if (kind < 0.35) {
      // A mailing or promotion: the peak on the day it lands, then fading over up to 4 days.
      const length = 1 + Math.floor(random() ** 1.5 * 4);
      const peak = uniform(random, 1.4, 2.5);
      for (let k = 0; k < length; k++) {
        const day = plans.get(n + k);
        if (day) day.factor *= Math.max(1.4, peak * 0.85 ** k);
        used.add(n + k);
      }
    } else if (kind < 0.5) {
      plan.factor *= uniform(random, 0.003, 0.03);
      plan.closure = 'outage';
    } else if (kind < 0.8) {
      partialOutages.add(n);
    } else {
      missing.add(n);
      if (random() < 0.3) missing.add(n + 1);
    }
    used.add(n);
  }

  // Calls that could not get through come back on the next open day.
  let backlog = 0;
  for (let n = first - 1; n <= last; n++) {
    const plan = plans.get(n)!;
    if (plan.closure === 'holiday') backlog = backlog === 0 ? uniform(random, backlogLow, backlogHigh) : Math.min(0.35, backlog + uniform(random, 0.02, 0.06));
    else if (plan.closure === 'outage') backlog = Math.max(backlog, uniform(random, 0.05, 0.2));
    else if (plan.hours && backlog > 0) {
      plan.factor *= 1 + backlog;
      backlog = 0;
    }
  }

  // Expected calls per interval of each calendar date, from the business days that cover it.
  const mid = (first + last) / 2;
  const means = new Map<number, number[]>();
  for (let n = first; n <= last; n++) means.set(n, new Array<number>(intervals).fill(0));
  let noise = drawNormal(random) * noiseSigma;
  for (let n = first - 1; n <= last; n++) {
    noise = noisePersistence * noise + Math.sqrt(1 - noisePersistence ** 2) * noiseSigma * drawNormal(random);
    const plan = plans.get(n)!;
    if (!plan.hours) continue;
    const dayOfMonth = Number(dateOfDayNumber(n).slice(8));
    const level =
      volume *
      (1 + growth) ** ((n - mid) / 365.25) *
      (1 + seasonAmplitude * Math.cos((2 * Math.PI * (n - seasonPeak)) / 365.25)) *
      (shift && n >= shift.from ? shift.factor : 1) *
      (dayOfMonth <= 5 ? 1 + (billing * (6 - dayOfMonth)) / 5 : 1) *
      weekday[weekdayOfDayNumber(n)]! *
      weekdayScale *
      compression(plan.hours) *
      Math.exp(noise - noiseSigma ** 2 / 2) *
      plan.factor;
    const continuous = spec.profile === 'round-the-clock' || spec.profile === 'night';
    const surge = continuous ? 1 : 1 + ((shape.surge - 1) * 15) / spec.intervalMinutes;
    const shares = slotShares(shape, peaksOfDay(shape, spec.profile, positionOf(n), plan.holiday, random), plan.hours, step, surge);
    shares.forEach((share, t) => {
      const hour = plan.hours![0] + t * step;
      const offset = Math.floor(hour / 24);
      const row = means.get(n + offset);
      if (row) row[Math.round((hour - offset * 24 - gridStart) / step)]! += level * share;
    });
  }

  // A telephony fault takes out 1–5 hours (at most half the day); some callers retry in the two hours after it clears.
  for (const n of partialOutages) {
    const row = means.get(n)!;
    const open = row.flatMap((m, i) => (m > 0 ? [i] : []));
    const length = Math.min(Math.floor(open.length / 2), Math.round(uniform(random, 1, 5) / step));
    if (length < 1) continue;
    const start = open[Math.floor(random() * (open.length - length))]!;
    let lost = 0;
    for (let i = start; i < start + length; i++) {
      lost += row[i]!;
      row[i] = 0;
    }
    const after = open.filter((i) => i >= start + length).slice(0, Math.round(2 / step));
    const afterTotal = after.reduce((s, i) => s + row[i]!, 0);
    const retried = lost * uniform(random, 0.2, 0.5);
    for (const i of after) row[i]! += (retried * row[i]!) / afterTotal;
  }

  const normallyOpen = (n: number) => spec.hours[weekdayOfDayNumber(n)] !== null || (spec.hours[weekdayOfDayNumber(n - 1)]?.[1] ?? 0) > 24;
  const days: Day[] = [];
  for (let n = first; n <= last; n++) {
    const row = means.get(n)!;
    if (missing.has(n)) continue;
    if (spec.emptyDays === 'business-days' && !normallyOpen(n)) continue;
    if (spec.emptyDays === 'traffic-only' && row.every((m) => m === 0)) continue;
    const values = row.map((m) => (m > 0 ? drawPoisson(random, m * Math.exp(overdispersion * drawNormal(random) - overdispersion ** 2 / 2)) : 0));
    days.push({ date: dateOfDayNumber(n), values });
  }
  return { name: spec.name, holidays: spec.holidays, intervalMinutes: spec.intervalMinutes, days };
}

/** About 24 synthetic centres, deterministic for a seed; the names and structure are the same for every seed. */
export function createBenchCentres(seed: number): BenchCentre[] {
  return SPECS.map((spec, index) => buildCentre(spec, createSeededRandom(centreSeed(seed, index))));
}
