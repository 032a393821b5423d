import { z } from 'zod';

/**
 * Shift types as planners write them (the schedule CLI's JSON and the shift templates): minutes, offsets from the
 * shift's start. `compileShiftTypes` turns them into whole intervals of the requirement's grid and decides how each
 * type's breaks enter the coverage model.
 */

const minutes = (what: string) => z.number({ error: `${what} must be a number of minutes` }).int(`${what} must be whole minutes`);

const BreakRule = z
  .object({
    length_min: minutes('length_min').positive('length_min must be > 0'),
    earliest_offset_min: minutes('earliest_offset_min').min(0, 'earliest_offset_min must be ≥ 0'),
    latest_offset_min: minutes('latest_offset_min').min(0, 'latest_offset_min must be ≥ 0'),
    /** Time off the phone inside the shift; paid unless it says otherwise (a lunch usually is not). */
    paid: z.boolean({ error: 'paid must be true or false' }).default(true),
  })
  .refine((b) => b.earliest_offset_min <= b.latest_offset_min, {
    message: 'earliest_offset_min must be ≤ latest_offset_min (both are the break’s possible starts from the shift’s start)',
    path: ['latest_offset_min'],
  });

const ShiftType = z
  .object({
    name: z.string({ error: 'name must be a string' }).trim().min(1, 'name must not be empty').max(60, 'name must be at most 60 characters'),
    length_min: minutes('length_min')
      .positive('length_min must be > 0')
      .max(24 * 60, 'length_min must be at most 1440 (24 hours)'),
    start_step_min: minutes('start_step_min').positive('start_step_min must be > 0'),
    /** What one shift of this type costs; paid hours when left out. */
    cost: z.number({ error: 'cost must be a number' }).min(0, 'cost must be ≥ 0').optional(),
    breaks: z.array(BreakRule).max(6, 'at most 6 breaks a shift').default([]),
  })
  .superRefine((shift, ctx) => {
    shift.breaks.forEach((b, i) => {
      if (b.latest_offset_min + b.length_min > shift.length_min)
        ctx.addIssue({
          code: 'custom',
          path: ['breaks', i, 'latest_offset_min'],
          message: `a break starting at +${b.latest_offset_min} min would end after the ${shift.length_min}-minute shift`,
        });
    });
    const unpaid = shift.breaks.filter((b) => !b.paid).reduce((sum, b) => sum + b.length_min, 0);
    if (unpaid >= shift.length_min) ctx.addIssue({ code: 'custom', path: ['breaks'], message: 'unpaid breaks fill the whole shift' });
  });

export const ShiftSet = z
  .object({ shifts: z.array(ShiftType).min(1, 'shifts must list at least one shift type') })
  .refine((s) => new Set(s.shifts.map((t) => t.name)).size === s.shifts.length, { message: 'shift names must be unique', path: ['shifts'] });
export type ShiftSet = z.input<typeof ShiftSet>;

/** Past this many break placements per shift start, overlapping break windows are refused rather than enumerated. */
const maxExplicitPlacements = 400;

export class ShiftRuleError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** A shift type in whole intervals of the grid. */
export interface CompiledShift {
  name: string;
  length: number;
  step: number;
  cost: number;
  paidHours: number;
  breaks: { length: number; earliest: number; latest: number; paid: boolean }[];
  /**
   * `implicit`: break windows are disjoint, so each break is placed by its own counting variables (Bechtold–Jacobs)
   * and matched to shifts afterwards. `explicit`: windows overlap (or every break has one place), so each start gets
   * one column per non-overlapping combination of break starts, listed here as offsets.
   */
  placement: 'implicit' | 'explicit';
  combinations: number[][];
}

function toIntervals(value: number, intervalMin: number, path: string): number {
  if (value % intervalMin !== 0) throw new ShiftRuleError(path, `${value} is not a multiple of the ${intervalMin}-minute interval`);
  return value / intervalMin;
}

function listCombinations(breaks: CompiledShift['breaks'], name: string): number[][] {
  const out: number[][] = [];
  const pick = (i: number, chosen: number[]) => {
    if (i === breaks.length) {
      out.push([...chosen]);
      if (out.length > maxExplicitPlacements)
        throw new ShiftRuleError(
          `shift "${name}"`,
          `its break windows overlap and allow more than ${maxExplicitPlacements} placements per start; make the windows disjoint (each break ending before the next may start)`,
        );
      return;
    }
    const b = breaks[i]!;
    for (let offset = b.earliest; offset <= b.latest; offset++) {
      const clash = chosen.some((other, j) => offset < other + breaks[j]!.length && other < offset + b.length);
      if (!clash) pick(i + 1, [...chosen, offset]);
    }
  };
  pick(0, []);
  if (out.length === 0) throw new ShiftRuleError(`shift "${name}"`, 'its breaks cannot all be placed without overlapping one another');
  return out;
}

/** `explicit` forces a column per break combination for every type (to measure the implicit model against). */
export function compileShiftTypes(set: ShiftSet, intervalMin: number, options: { breakPlacement?: 'auto' | 'explicit' } = {}): CompiledShift[] {
  const parsed = ShiftSet.parse(set);
  return parsed.shifts.map((shift, s) => {
    const at = `shifts[${s}]`;
    const breaks = shift.breaks
      .map((b, i) => ({
        length: toIntervals(b.length_min, intervalMin, `${at}.breaks[${i}].length_min`),
        earliest: toIntervals(b.earliest_offset_min, intervalMin, `${at}.breaks[${i}].earliest_offset_min`),
        latest: toIntervals(b.latest_offset_min, intervalMin, `${at}.breaks[${i}].latest_offset_min`),
        paid: b.paid,
      }))
      .sort((a, b) => a.earliest - b.earliest || a.latest - b.latest);
    const disjoint = breaks.every((b, i) => i === 0 || breaks[i - 1]!.latest + breaks[i - 1]!.length <= b.earliest);
    const fixed = breaks.every((b) => b.earliest === b.latest);
    const placement = disjoint && !fixed && options.breakPlacement !== 'explicit' ? 'implicit' : 'explicit';
    const unpaidMin = shift.breaks.filter((b) => !b.paid).reduce((sum, b) => sum + b.length_min, 0);
    const paidHours = (shift.length_min - unpaidMin) / 60;
    return {
      name: shift.name,
      length: toIntervals(shift.length_min, intervalMin, `${at}.length_min`),
      step: toIntervals(shift.start_step_min, intervalMin, `${at}.start_step_min`),
      cost: shift.cost ?? paidHours,
      paidHours,
      breaks,
      placement,
      combinations: placement === 'explicit' ? listCombinations(breaks, shift.name) : [],
    };
  });
}
