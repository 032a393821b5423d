import Papa from 'papaparse';
import { z } from 'zod';
import type { ImportProblem } from './center-import.ts';

/**
 * Interval history from the system a center used before (docs/center-import.md, "Importing
 * history"), so a new tenant's first forecast has weeks to learn from. Pure: the caller reads
 * the file and supplies the tenant's clock, built on @switchboard/calendar, which contracts
 * may not import (scripts/check-dependencies.ts).
 */

const columns = ['interval_start', 'queue', 'offered', 'answered', 'abandoned', 'aht_s'] as const;
type HistoryColumn = (typeof columns)[number];

const STEP_MINUTES = 15;
const MINUTE_MS = 60_000;
const STEP_MS = STEP_MINUTES * MINUTE_MS;
const intervalLengths: readonly number[] = [15, 30, 60];

/** The tenant's local clock, as @switchboard/calendar sees it (the host builds it from localDaySlots). */
export interface LocalClock {
  timezone: string;
  /**
   * Where local `date` at `minute` past midnight (a multiple of 15) starts: its first instant
   * and how many times the day has it (2 in a repeated hour), or null where the clock skips it.
   */
  at(date: string, minute: number): { start: Date; occurrences: number } | null;
}

/** One 15-minute interval of imported history: a row of 30 or 60 minutes becomes 2 or 4 of them. */
export interface HistoryInterval {
  queue_id: string;
  /** ISO instant (UTC) on a 15-minute boundary. */
  interval_start: string;
  offered: number;
  answered: number;
  abandoned: number;
  /** aht_s × answered, in milliseconds. */
  handle_ms_sum: number;
}

/** What an import holds for one queue. */
export interface HistoryQueueSummary {
  queue_id: string;
  /** The interval length read from the spacing of the queue's rows. */
  interval_minutes: number;
  rows: number;
  /** 15-minute intervals stored. */
  intervals: number;
  /** Start of the first row and of the last one (ISO). */
  first: string;
  last: string;
  offered: number;
  /** Local times in a repeated (fall-back) hour, read as its first occurrence. */
  repeated_local_times: number;
}

interface Instant {
  ms: number;
  /** A local time the day has twice: it was read as the first. */
  repeated: boolean;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const fail = (ctx: z.RefinementCtx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** An ISO instant with `Z` or an offset, or a local date and time read on the tenant's clock. */
function instantCell(clock: LocalClock) {
  return z.string().transform((cell, ctx): Instant => {
    const m = DATE_TIME.exec(cell);
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m?.[i] ?? 0)) as [number, number, number, number, number, number];
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    // Date.UTC rolls 2026-02-30 over into March: a date must come back as itself.
    if (!m || new Date(wall).getUTCDate() !== d || mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) {
      return fail(ctx, `"${cell}" is not a date and time: YYYY-MM-DD HH:MM in ${clock.timezone}, or an instant with its offset (2026-03-02T09:00Z)`);
    }
    const zone = m[8];
    const fraction = Number(m[7] ?? 0);
    if (zone) {
      const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) ?? [];
      const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om ?? 0)) * MINUTE_MS : 0;
      const ms = wall - offset;
      if (ms % STEP_MS !== 0 || fraction !== 0) return fail(ctx, `${cell} is not on a 15-minute boundary`);
      return { ms, repeated: false };
    }
    if (mi % STEP_MINUTES !== 0 || s !== 0 || fraction !== 0) return fail(ctx, `${cell} is not on the 15-minute grid (:00, :15, :30, :45)`);
    const date = cell.slice(0, 10);
    const slot = clock.at(date, h * 60 + mi);
    if (!slot) {
      return fail(ctx, `${date} ${cell.slice(11, 16)} does not exist in ${clock.timezone}: the clocks skip it (daylight saving time begins)`);
    }
    return { ms: slot.start.getTime(), repeated: slot.occurrences > 1 };
  });
}

const count = z.string().transform((cell, ctx) => {
  if (cell === '') return fail(ctx, 'required');
  if (!/^[+-]?\d+$/.test(cell)) return fail(ctx, `"${cell}" is not a whole number`);
  const n = Number(cell);
  return n < 0 ? fail(ctx, `${cell} is negative: counts are 0 or more`) : n;
});

/** Seconds; empty where nothing was answered (no handle time to average). */
const seconds = z.string().transform((cell, ctx) => {
  if (cell === '') return null;
  if (!/^[+-]?\d+(\.\d+)?$/.test(cell)) return fail(ctx, `"${cell}" is not a number of seconds`);
  const n = Number(cell);
  return n < 0 ? fail(ctx, `${cell} is negative`) : n;
});

function rowSchema(clock: LocalClock, knownQueues: ReadonlySet<string>) {
  const known = [...knownQueues].sort();
  const hint =
    known.length === 0 ? 'the tenant has no queues yet' : `the tenant's queues are ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}`;
  return z
    .object({
      interval_start: instantCell(clock),
      queue: z.string().transform((cell, ctx) => {
        if (cell === '') return fail(ctx, 'required');
        return knownQueues.has(cell) ? cell : fail(ctx, `unknown queue "${cell}": ${hint}`);
      }),
      offered: count,
      answered: count,
      abandoned: count,
      aht_s: seconds,
    })
    .superRefine((r, ctx) => {
      if (r.answered + r.abandoned > r.offered) {
        ctx.addIssue({ code: 'custom', path: ['offered'], message: `answered + abandoned (${r.answered + r.abandoned}) is more than offered (${r.offered})` });
      }
      if (r.answered > 0 && r.aht_s === null) ctx.addIssue({ code: 'custom', path: ['aht_s'], message: 'required where answered is more than 0' });
    });
}

type Line = { row: number; cells: Record<HistoryColumn, string> };

/**
 * Rows as a spreadsheet numbers them (the header is row 1, blank rows count), read without
 * papaparse's `header` option, which would rename a repeated column instead of reporting it.
 */
function readRows(text: string, file: string): { records: Line[]; problems: ImportProblem[]; headerOk: boolean } {
  const parsed = Papa.parse<string[]>(text, { delimiter: ',' });
  const [first = [], ...rows] = parsed.data;
  const header = first.map((h) => h.trim().toLowerCase());
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') problems.push({ file, row: 1, message: `column ${i + 1} has no header` });
    else if (seen.has(h)) problems.push({ file, row: 1, column: h, message: `column "${h}" appears twice` });
    else if (!(columns as readonly string[]).includes(h)) {
      const hint = h.includes(';') ? 'columns are separated by commas, not semicolons' : `the columns are ${columns.join(', ')}`;
      problems.push({ file, row: 1, column: h, message: `unknown column "${h}": ${hint}` });
    }
    seen.add(h);
  });
  for (const c of columns) if (!seen.has(c)) problems.push({ file, row: 1, column: c, message: `missing column "${c}"` });
  if (problems.length > 0) return { records: [], problems, headerOk: false };

  const broken = new Set<number>();
  for (const { row, message } of parsed.errors) {
    if (row === undefined) problems.push({ file, message });
    else {
      broken.add(row);
      problems.push({ file, row: row + 1, message });
    }
  }
  const records: Line[] = [];
  rows.forEach((cells, i) => {
    const row = i + 2;
    if (broken.has(i + 1) || cells.every((cell) => cell.trim() === '')) return;
    if (cells.length !== header.length) {
      const hint = cells.length > header.length ? ' (a value with a comma needs quotes)' : '';
      problems.push({ file, row, message: `${cells.length} cells but the header has ${header.length}${hint}` });
      return;
    }
    const byName = Object.fromEntries(header.map((h, c) => [h, cells[c]!.trim()])) as Record<HistoryColumn, string>;
    records.push({ row, cells: byName });
  });
  return { records, problems, headerOk: true };
}

/** The most common gap between a queue's rows, the shorter one on a tie. */
function usualGap(gaps: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const g of gaps) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts].sort(([a, na], [b, nb]) => nb - na || a - b)[0]![0];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Reads a history CSV (`interval_start, queue, offered, answered, abandoned, aht_s`) into
 * 15-minute intervals, checking it as a whole: every problem with its row and column, and no
 * intervals while there is one. Each queue's interval length (15, 30 or 60 minutes) is the
 * usual spacing of its rows; a missing row is an interval without contacts, a row closer to
 * its predecessor than that (or off its grid) is a problem. A 30- or 60-minute row is spread
 * evenly over its 15-minute intervals. A local time the clock skips is a problem; one it
 * repeats is read as its first occurrence.
 */
export function parseHistoryCsv(
  text: string,
  options: { knownQueues: ReadonlySet<string>; clock: LocalClock; file?: string },
): { intervals: HistoryInterval[]; queues: HistoryQueueSummary[] } | { problems: ImportProblem[] } {
  const file = options.file ?? 'history.csv';
  const { records, problems, headerOk } = readRows(text, file);
  if (!headerOk) return { problems };
  if (records.length === 0 && problems.length === 0) return { problems: [{ file, message: 'no rows after the header' }] };

  const schema = rowSchema(options.clock, options.knownQueues);
  const byQueue = new Map<string, (z.output<typeof schema> & { row: number })[]>();
  // Queues with a row already reported: too few good rows to read a length from says nothing more.
  const withBadRows = new Set<string>();
  for (const { row, cells } of records) {
    const parsed = schema.safeParse(cells);
    if (!parsed.success) {
      withBadRows.add(cells.queue);
      for (const issue of parsed.error.issues) problems.push({ file, row, column: String(issue.path[0]), message: issue.message });
      continue;
    }
    const list = byQueue.get(parsed.data.queue) ?? [];
    list.push({ row, ...parsed.data });
    byQueue.set(parsed.data.queue, list);
  }

  const intervals: HistoryInterval[] = [];
  const queues: HistoryQueueSummary[] = [];
  for (const [queue, unsorted] of [...byQueue].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rows = unsorted.toSorted((a, b) => a.interval_start.ms - b.interval_start.ms || a.row - b.row);
    const distinct: typeof rows = [];
    for (const r of rows) {
      const previous = distinct.at(-1);
      if (previous?.interval_start.ms !== r.interval_start.ms) {
        distinct.push(r);
        continue;
      }
      const hint = r.interval_start.repeated ? ` (a local time in the repeated hour is read as its first occurrence: give the second with its UTC offset)` : '';
      problems.push({
        file,
        row: r.row,
        column: 'interval_start',
        message: `queue ${queue} has ${iso(r.interval_start.ms)} already, on row ${previous.row}${hint}`,
      });
    }
    if (distinct.length < 2) {
      if (withBadRows.has(queue)) continue;
      const message = `queue ${queue} has one interval: its length (15, 30 or 60 minutes) is read from the spacing of two or more`;
      problems.push({ file, row: distinct[0]!.row, column: 'interval_start', message });
      continue;
    }
    const gaps = distinct.slice(1).map((r, i) => (r.interval_start.ms - distinct[i]!.interval_start.ms) / MINUTE_MS);
    const length = usualGap(gaps);
    if (!intervalLengths.includes(length)) {
      const message = `queue ${queue}'s rows are mostly ${length} minutes apart: intervals must be 15, 30 or 60 minutes`;
      problems.push({ file, row: distinct[0]!.row, column: 'interval_start', message });
      continue;
    }
    gaps.forEach((gap, i) => {
      if (gap >= length && gap % length === 0) return;
      const message = `${gap} minutes after row ${distinct[i]!.row}, but queue ${queue}'s intervals are ${length} minutes: one queue's rows must all be the same length`;
      problems.push({ file, row: distinct[i + 1]!.row, column: 'interval_start', message });
    });
    // Once there is a problem only problems are returned: spreading rows would be wasted.
    if (problems.length > 0) continue;

    const parts = length / STEP_MINUTES;
    let offered = 0;
    for (const r of distinct) {
      offered += r.offered;
      const handleMs = (r.aht_s ?? 0) * r.answered * 1000;
      for (let k = 0; k < parts; k++) {
        intervals.push({
          queue_id: queue,
          interval_start: iso(r.interval_start.ms + k * STEP_MS),
          offered: r.offered / parts,
          answered: r.answered / parts,
          abandoned: r.abandoned / parts,
          handle_ms_sum: handleMs / parts,
        });
      }
    }
    queues.push({
      queue_id: queue,
      interval_minutes: length,
      rows: distinct.length,
      intervals: distinct.length * parts,
      first: iso(distinct[0]!.interval_start.ms),
      last: iso(distinct.at(-1)!.interval_start.ms),
      offered,
      repeated_local_times: distinct.filter((r) => r.interval_start.repeated).length,
    });
  }
  if (problems.length > 0) {
    const order = (p: ImportProblem) => (p.column === undefined ? -1 : (columns as readonly string[]).indexOf(p.column));
    return { problems: problems.toSorted((a, b) => (a.row ?? 0) - (b.row ?? 0) || order(a) - order(b)) };
  }
  return { intervals, queues };
}
