import { describe, expect, it } from 'vitest';
import { listDayPlacements, parseRequirementCsv, RequirementInputError } from './requirements.ts';
import { compileShiftTypes, ShiftRuleError, ShiftSet } from './shifts.ts';

const eight = {
  name: '8h',
  length_min: 480,
  start_step_min: 30,
  breaks: [
    { length_min: 15, earliest_offset_min: 60, latest_offset_min: 150 },
    { length_min: 30, earliest_offset_min: 180, latest_offset_min: 300, paid: false },
  ],
};

const firstIssue = (input: unknown) => {
  const parsed = ShiftSet.safeParse(input);
  if (parsed.success) throw new Error('expected the shift set to be refused');
  return { path: parsed.error.issues[0]!.path.join('.'), message: parsed.error.issues[0]!.message };
};

describe('shift types', () => {
  it('compiles minutes into intervals; cost defaults to paid hours, unpaid breaks excluded', () => {
    const [shift] = compileShiftTypes({ shifts: [eight] }, 15);
    expect(shift).toMatchObject({ length: 32, step: 2, paidHours: 7.5, cost: 7.5, placement: 'implicit' });
    expect(shift!.breaks).toEqual([
      { length: 1, earliest: 4, latest: 10, paid: true },
      { length: 2, earliest: 12, latest: 20, paid: false },
    ]);
    expect(compileShiftTypes({ shifts: [{ ...eight, cost: 100 }] }, 15)[0]!.cost).toBe(100);
  });

  it('refuses rules that cannot hold, naming the field', () => {
    expect(firstIssue({ shifts: [{ ...eight, breaks: [{ length_min: 30, earliest_offset_min: 300, latest_offset_min: 460 }] }] })).toEqual({
      path: 'shifts.0.breaks.0.latest_offset_min',
      message: 'a break starting at +460 min would end after the 480-minute shift',
    });
    expect(firstIssue({ shifts: [{ ...eight, breaks: [{ length_min: 15, earliest_offset_min: 200, latest_offset_min: 100 }] }] }).path).toBe(
      'shifts.0.breaks.0.latest_offset_min',
    );
    expect(firstIssue({ shifts: [eight, eight] })).toEqual({ path: 'shifts', message: 'shift names must be unique' });
    expect(firstIssue({ shifts: [] }).message).toBe('shifts must list at least one shift type');
    expect(firstIssue({ shifts: [{ ...eight, start_step_min: 0 }] })).toEqual({ path: 'shifts.0.start_step_min', message: 'start_step_min must be > 0' });
    expect(() => compileShiftTypes({ shifts: [{ ...eight, length_min: 470 }] }, 15)).toThrow(
      new ShiftRuleError('shifts[0].length_min', '470 is not a multiple of the 15-minute interval'),
    );
  });

  it('enumerates overlapping break windows as combinations and refuses too many of them', () => {
    const overlapping = {
      name: '6h',
      length_min: 360,
      start_step_min: 15,
      breaks: [
        { length_min: 15, earliest_offset_min: 60, latest_offset_min: 90 },
        { length_min: 15, earliest_offset_min: 75, latest_offset_min: 105 },
      ],
    };
    const [shift] = compileShiftTypes({ shifts: [overlapping] }, 15);
    expect(shift!.placement).toBe('explicit');
    // Starts 4–6 and 5–7 (in intervals), never the same interval: 3 × 3 − 2 clashes.
    expect(shift!.combinations).toEqual([
      [4, 5],
      [4, 6],
      [4, 7],
      [5, 6],
      [5, 7],
      [6, 5],
      [6, 7],
    ]);
    const wide = { ...overlapping, breaks: [0, 1, 2].map(() => ({ length_min: 15, earliest_offset_min: 0, latest_offset_min: 300 })) };
    expect(() => compileShiftTypes({ shifts: [wide] }, 15)).toThrow(/overlap and allow more than 400 placements per start/);
  });
});

describe('requirement CSV', () => {
  const csv = (rows: string[]) => ['interval_start,required', ...rows].join('\n');

  it('reads days of wall-clock intervals and lists the shifts that fit within each day', () => {
    const requirement = parseRequirementCsv(
      csv(['2024-05-02T07:00,1', '2024-05-01T07:00,2', '2024-05-01T07:15,3', '2024-05-01 07:30,4', '2024-05-01T07:45:00,5', '2024-05-02T07:15,6']),
    );
    expect(requirement.days.map((d) => [d.date, d.minutes, d.required])).toEqual([
      ['2024-05-01', [420, 435, 450, 465], [2, 3, 4, 5]],
      ['2024-05-02', [420, 435], [1, 6]],
    ]);
    expect(requirement.required).toEqual([2, 3, 4, 5, 1, 6]);
    const shifts = compileShiftTypes({ shifts: [{ name: 'half', length_min: 30, start_step_min: 30 }] }, 15);
    // Day 1: starts at 07:00 and 07:30; day 2: 07:00 only. Nothing crosses from one day to the next.
    expect(listDayPlacements(requirement, shifts)).toEqual([
      { shift: 0, start: 0 },
      { shift: 0, start: 2 },
      { shift: 0, start: 4 },
    ]);
  });

  it('keeps shifts off intervals the file leaves out', () => {
    const requirement = parseRequirementCsv(csv(['2024-05-01T07:00,1', '2024-05-01T07:15,1', '2024-05-01T08:00,1', '2024-05-01T08:15,1']));
    const shifts = compileShiftTypes({ shifts: [{ name: 'half', length_min: 30, start_step_min: 15 }] }, 15);
    expect(listDayPlacements(requirement, shifts)).toEqual([
      { shift: 0, start: 0 },
      { shift: 0, start: 2 },
    ]);
  });

  it.each([
    ['interval,required\n2024-05-01T07:00,1', 'line 1: expected the header "interval_start,required"'],
    [csv(['2024-05-01T07:00+02:00,1']), 'line 2: "2024-05-01T07:00+02:00" is not a local time like 2024-05-01T07:15 without an offset'],
    [csv(['2024-05-01T07:10,1']), 'line 2: "2024-05-01T07:10" does not start a 15-minute interval'],
    [csv(['2024-02-30T07:00,1']), 'line 2: "2024-02-30T07:00" is not a valid date and time'],
    [csv(['2024-05-01T07:00,1.5']), 'line 2: required "1.5" must be a whole number of agents ≥ 0'],
    [csv(['2024-05-01T07:00,-1']), 'line 2: required "-1" must be a whole number of agents ≥ 0'],
    [csv(['2024-05-01T07:00,1', '2024-05-01T07:00,2']), 'line 3: 2024-05-01T07:00 is listed twice'],
    [csv(['2024-05-01T07:00,1,2']), 'line 2: expected 2 columns, found 3'],
    [csv([]), 'no intervals'],
  ])('refuses %j', (text, message) => {
    expect(() => parseRequirementCsv(text)).toThrow(RequirementInputError);
    expect(() => parseRequirementCsv(text)).toThrow(message);
  });
});
