import { isLocalDate } from '@switchboard/calendar';
import type { CompiledShift } from './shifts.ts';
import type { Placement } from './coverage.ts';

/**
 * A requirement read from CSV `interval_start,required`: 15-minute rows on the wall clock, no offset (the schedule CLI
 * applies no time zone), one or more days. A shift lies within the rows its day lists and starts on that day's first
 * row plus a multiple of its start step, so it never crosses midnight.
 */

export const requirementIntervalMin = 15;

export class RequirementInputError extends Error {}

interface RequirementDay {
  date: string;
  /** Minutes after midnight of each listed interval, ascending. */
  minutes: number[];
  required: number[];
}

export interface Requirement {
  days: RequirementDay[];
  /** Every listed interval in order (day by day): the coverage model's horizon. */
  required: number[];
}

const timestamp = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.0+)?)?$/;

export function parseRequirementCsv(text: string): Requirement {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.replace(/^\uFEFF/, '').trim();
  if (header !== 'interval_start,required') throw new RequirementInputError('line 1: expected the header "interval_start,required"');
  const byDate = new Map<string, Map<number, number>>();
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `line ${i + 2}`;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== 2) throw new RequirementInputError(`${where}: expected 2 columns, found ${cells.length}`);
    const [start, value] = cells as [string, string];
    const match = timestamp.exec(start);
    if (!match) {
      const hint = /(Z|[+-]\d{2}:?\d{2})$/.test(start) ? ' without an offset: the CLI reads wall-clock local time and applies no time zone' : '';
      throw new RequirementInputError(`${where}: "${start}" is not a local time like 2024-05-01T07:15${hint}`);
    }
    const [, date, hh, mm, ss] = match as unknown as [string, string, string, string, string | undefined];
    const minute = Number(hh) * 60 + Number(mm);
    if (!isLocalDate(date) || Number(hh) > 23 || Number(mm) > 59) throw new RequirementInputError(`${where}: "${start}" is not a valid date and time`);
    if (minute % requirementIntervalMin !== 0 || Number(ss ?? 0) !== 0)
      throw new RequirementInputError(`${where}: "${start}" does not start a 15-minute interval (:00, :15, :30 or :45)`);
    if (!/^\d+$/.test(value)) throw new RequirementInputError(`${where}: required "${value}" must be a whole number of agents ≥ 0`);
    const day = byDate.get(date) ?? new Map<number, number>();
    if (day.has(minute)) throw new RequirementInputError(`${where}: ${start} is listed twice`);
    day.set(minute, Number(value));
    byDate.set(date, day);
  });
  if (byDate.size === 0) throw new RequirementInputError('no intervals: the file has a header and nothing else');
  const days = [...byDate.keys()].sort().map((date) => {
    const rows = [...byDate.get(date)!].sort((a, b) => a[0] - b[0]);
    return { date, minutes: rows.map((r) => r[0]), required: rows.map((r) => r[1]) };
  });
  return { days, required: days.flatMap((d) => d.required) };
}

/**
 * Every start of every shift type on every day: the day's first listed interval plus a multiple of the type's step,
 * with the whole shift on listed intervals of that day.
 */
export function listDayPlacements(requirement: Requirement, shifts: readonly CompiledShift[]): Placement[] {
  const placements: Placement[] = [];
  let offset = 0;
  for (const day of requirement.days) {
    const index = new Map(day.minutes.map((m, i) => [m, i]));
    const first = day.minutes[0]!;
    const last = day.minutes[day.minutes.length - 1]!;
    shifts.forEach((shift, k) => {
      const lengthMin = shift.length * requirementIntervalMin;
      for (let start = first; start + lengthMin <= last + requirementIntervalMin; start += shift.step * requirementIntervalMin) {
        let listed = true;
        for (let m = start; m < start + lengthMin && listed; m += requirementIntervalMin) listed = index.has(m);
        if (listed) placements.push({ shift: k, start: offset + index.get(start)! });
      }
    });
    offset += day.minutes.length;
  }
  return placements;
}

/** The day and wall-clock minute of a horizon interval. */
export function locateInterval(requirement: Requirement, interval: number): { date: string; minute: number } {
  let rest = interval;
  for (const day of requirement.days) {
    if (rest < day.minutes.length) return { date: day.date, minute: day.minutes[rest]! };
    rest -= day.minutes.length;
  }
  throw new RangeError(`interval ${interval} is past the requirement's last day`);
}
