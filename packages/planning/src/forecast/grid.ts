import { dayNumberOf } from '@switchboard/calendar';
import type { Day, IsoDate } from './types.ts';

/** A regular intraday grid: `count` intervals of `intervalMinutes`, the first starting at `firstMinute`. */
export interface IntervalGrid {
  intervalMinutes: number;
  firstMinute: number;
  count: number;
}

/** How the input wrote its timestamps, so the output can write them the same way. */
export interface TimestampFormat {
  separator: 'T' | ' ';
  seconds: boolean;
  /** `Z`, a fixed offset like `+01:00`, or empty for local times. */
  suffix: string;
}

export interface IntervalSeries {
  grid: IntervalGrid;
  format: TimestampFormat;
  /** Observed days in date order; grid intervals without a row are 0 (exports often skip empty intervals). */
  days: Day[];
  /** Dates whose local clock ran an hour twice (a change of clocks): each repeated interval holds the mean of its two rows. */
  repeatedHours: IsoDate[];
  /** The rows' offsets changed (summer and winter time): `format` writes local times without one. */
  offsetsVary: boolean;
}

/** A problem in the input, with the 1-based line it is on. */
export class SeriesInputError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})([T ])(\d{2}):(\d{2})(:(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/;

interface Row {
  line: number;
  date: IsoDate;
  minute: number;
  value: number;
  suffix: string;
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

/**
 * Reads `interval_start,value` CSV text into days on the grid the rows imply: the interval
 * length is the largest step every start time is a multiple of, and a day runs from the
 * earliest to the latest start time seen on any day.
 */
export function parseIntervalCsv(text: string): IntervalSeries {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split(',') ?? [];
  if (header.length !== 2 || header[0]!.trim() !== 'interval_start') {
    throw new SeriesInputError(1, 'expected a header "interval_start,<value column>"');
  }
  const rows: Row[] = [];
  let format: TimestampFormat | null = null;
  let offsetsVary = false;
  for (let i = 1; i < lines.length; i++) {
    const lineText = lines[i]!;
    if (lineText.trim() === '') continue;
    const line = i + 1;
    const cells = lineText.split(',');
    if (cells.length !== 2) throw new SeriesInputError(line, `expected 2 columns, found ${cells.length}`);
    const match = TIMESTAMP.exec(cells[0]!.trim());
    if (!match) throw new SeriesInputError(line, `"${cells[0]}" is not a timestamp like 2003-03-03T07:00:00`);
    const [, date, separator, hours, minutes, , seconds, suffix] = match;
    const hour = Number(hours);
    const minute = Number(minutes);
    if (hour > 23 || minute > 59 || (seconds !== undefined && seconds !== '00')) {
      throw new SeriesInputError(line, `"${cells[0]}" is not a whole-minute time of day`);
    }
    try {
      dayNumberOf(date!);
    } catch {
      throw new SeriesInputError(line, `"${date}" is not a calendar date`);
    }
    const rowFormat: TimestampFormat = { separator: separator as 'T' | ' ', seconds: seconds !== undefined, suffix: suffix ?? '' };
    if (format === null) format = rowFormat;
    else if ((format.suffix === '') !== (rowFormat.suffix === '')) {
      throw new SeriesInputError(line, `time zone "${rowFormat.suffix}" differs from the first row's "${format.suffix}"; give every row an offset, or none`);
    } else if (format.suffix !== rowFormat.suffix) {
      // Offsets that change (summer and winter time): the series is read on the local clock, and written without an offset.
      offsetsVary = true;
    }
    const valueText = cells[1]!.trim();
    const value = Number(valueText);
    if (valueText === '' || !Number.isFinite(value) || value < 0) throw new SeriesInputError(line, `"${cells[1]}" is not a non-negative number`);
    rows.push({ line, date: date!, minute: hour * 60 + minute, value, suffix: suffix ?? '' });
  }
  if (rows.length === 0 || format === null) throw new SeriesInputError(lines.length, 'no data rows');

  const firstMinute = Math.min(...rows.map((r) => r.minute));
  const lastMinute = Math.max(...rows.map((r) => r.minute));
  let step = 0;
  for (const r of rows) step = greatestCommonDivisor(step, r.minute - firstMinute);
  const grid: IntervalGrid = { intervalMinutes: step || 1440, firstMinute, count: step ? (lastMinute - firstMinute) / step + 1 : 1 };

  const byDate = new Map<IsoDate, number[]>();
  const first = new Map<string, Row>();
  const repeats = new Map<IsoDate, Row[]>();
  for (const r of rows) {
    const key = `${r.date} ${r.minute}`;
    const earlier = first.get(key);
    if (earlier) {
      repeats.set(r.date, [...(repeats.get(r.date) ?? []), r]);
      // A clock change repeats local times under another offset; the same offset twice is a duplicate.
      if (earlier.suffix !== '' && earlier.suffix === r.suffix) throw new SeriesInputError(r.line, 'repeats an earlier interval');
      continue;
    }
    first.set(key, r);
    let values = byDate.get(r.date);
    if (!values) byDate.set(r.date, (values = new Array<number>(grid.count).fill(0)));
    values[(r.minute - firstMinute) / grid.intervalMinutes] = r.value;
  }
  // Repeats are a clock change only within one hour of one day, each once, at night, where
  // clocks go back (between 23:00 and 04:00 local in every zone that changes).
  for (const [date, repeated] of repeats) {
    const minutes = repeated.map((r) => r.minute);
    const atNight = minutes.every((m) => m < 240) || minutes.every((m) => m >= 1380);
    if (!atNight || Math.max(...minutes) - Math.min(...minutes) >= 60 || new Set(minutes).size !== minutes.length) {
      throw new SeriesInputError(repeated[0]!.line, 'repeats an earlier interval');
    }
    const values = byDate.get(date)!;
    for (const r of repeated) {
      const i = (r.minute - firstMinute) / grid.intervalMinutes;
      values[i] = (values[i]! + r.value) / 2;
    }
  }
  const days = [...byDate].map(([date, values]) => ({ date, values })).sort((a, b) => (a.date < b.date ? -1 : 1));
  return { grid, format: offsetsVary ? { ...format, suffix: '' } : format, days, repeatedHours: [...repeats.keys()].sort(), offsetsVary };
}

/** The timestamp of interval `index` of `date`, written like the input's. */
export function formatIntervalStart(format: TimestampFormat, grid: IntervalGrid, date: IsoDate, index: number): string {
  const minute = grid.firstMinute + index * grid.intervalMinutes;
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return `${date}${format.separator}${hh}:${mm}${format.seconds ? ':00' : ''}${format.suffix}`;
}
