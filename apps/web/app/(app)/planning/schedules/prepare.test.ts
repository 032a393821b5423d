import { shiftActivities, summariseActivities, weekTimeline, type ShiftTemplate } from '@switchboard/planning';
import { describe, expect, it } from 'vitest';
import { allowedStarts, breakOffsets, checkEdit, getWeek, prepareCoverage, prepareGantt, previewEdit, readShift, type ScheduleView } from './prepare';

const timezone = 'America/New_York';
// A week with the spring clock change on its Sunday (8 March 2026): 23-hour day at the end.
const weekStart = '2026-03-02';

const template: ShiftTemplate = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Full day',
  lengthMin: 480,
  startStepMin: 30,
  earliestStartMin: 7 * 60,
  latestStartMin: 9 * 60,
  weekdays: [1, 2, 3, 4, 5],
  cost: null,
  breaks: [
    { kind: 'lunch', lengthMin: 30, earliestOffsetMin: 210, latestOffsetMin: 270, paid: false },
    { kind: 'break', lengthMin: 15, earliestOffsetMin: 90, latestOffsetMin: 120, paid: true },
  ],
};

/** A view with one agent working Monday 08:00 (break 90 min in, lunch 240 min in), as the API returns it. */
function makeView(): ScheduleView {
  const { origin, intervals } = weekTimeline(weekStart, timezone);
  const start = 8 * 60;
  const planned = shiftActivities(template, start, [start + 90, start + 240]);
  const iso = (m: number) => new Date(origin.getTime() + m * 60_000).toISOString();
  const required = new Array<number>(intervals).fill(0).map((_, t) => (t >= 32 && t < 64 ? 1 : 0));
  const { scheduled, figures } = summariseActivities({ required, lpBound: 8, penalty: 10 }, planned);
  return {
    schedule: {
      id: 's',
      groupId: 'g',
      weekStart,
      timezone,
      status: 'draft',
      revision: 1,
      summary: { figures: { ...figures, penalty: 10, shifts: 1, violations: 0 }, required, scheduled, dayStarts: [], notes: [] },
      publishedAt: null,
      acknowledgeBy: null,
      rejectedReason: null,
    },
    agents: [{ id: 'a1', key: 'agent-001', name: 'Ada', teamKey: 't', teamName: 'Team', skillIds: ['k'], acknowledgedAt: null }],
    skills: [{ id: 'k', name: 'Voice' }],
    activities: planned.map((a, i) => ({
      id: String(i),
      agentId: 'a1',
      kind: a.kind,
      start: iso(a.start),
      end: iso(a.end),
      shiftDate: weekStart,
      templateId: template.id,
    })),
    templates: [template],
  } as ScheduleView;
}

describe('the schedule screen’s model', () => {
  it('knows the week’s days on the local clock, a clock change included', () => {
    const week = getWeek(weekStart, timezone);
    expect(week.dates).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    expect(week.intervals).toBe(7 * 96 - 4);
  });

  it('shades what is short and what is over, zero-height elsewhere', () => {
    expect(prepareCoverage([2, 1, 1], [1, 1, 3])).toEqual([
      { t: 0, required: 2, scheduled: 1, under: [1, 2], over: [2, 2] },
      { t: 1, required: 1, scheduled: 1, under: [1, 1], over: [1, 1] },
      { t: 2, required: 1, scheduled: 3, under: [1, 1], over: [1, 3] },
    ]);
  });

  it('offers the template’s starts on its weekdays only, and each break’s window on quarter hours', () => {
    expect(allowedStarts(template, '2026-03-02')).toEqual([420, 450, 480, 510, 540]);
    expect(allowedStarts(template, '2026-03-07')).toEqual([]);
    expect(breakOffsets(template.breaks[1]!)).toEqual([90, 105, 120]);
  });

  it('reads a stored day back in the editor’s terms, breaks in the template’s order', () => {
    const view = makeView();
    expect(readShift(view, timezone, 'a1', weekStart)).toEqual({ templateId: template.id, startMin: 480, breakOffsetsMin: [90, 240] });
    expect(readShift(view, timezone, 'a1', '2026-03-03')).toBeNull();
  });

  it('previews an edit as the server computes it, and refuses what the server would', () => {
    const view = makeView();
    const week = getWeek(weekStart, timezone);
    const unchanged = previewEdit(view, week, {
      agentId: 'a1',
      shiftDate: weekStart,
      shift: { templateId: template.id, startMin: 480, breakOffsetsMin: [90, 240] },
    })!;
    expect(unchanged.scheduled).toEqual(view.schedule.summary.scheduled);
    expect(unchanged.figures).toEqual(view.schedule.summary.figures);

    const moved = previewEdit(view, week, {
      agentId: 'a1',
      shiftDate: weekStart,
      shift: { templateId: template.id, startMin: 480, breakOffsetsMin: [120, 240] },
    })!;
    expect(moved.scheduled[32 + 6]).toBe(1);
    expect(moved.scheduled[32 + 8]).toBe(0);
    expect(moved.figures.scheduledHours).toBe(view.schedule.summary.figures.scheduledHours);

    const off = previewEdit(view, week, { agentId: 'a1', shiftDate: weekStart, shift: null })!;
    expect(off.scheduled.every((s) => s === 0)).toBe(true);
    expect(off.figures).toMatchObject({ shifts: 0, cost: 0, shortfall: 32 });

    expect(
      checkEdit(view.templates, { agentId: 'a1', shiftDate: weekStart, shift: { templateId: template.id, startMin: 480, breakOffsetsMin: [60, 240] } }),
    ).toEqual(['its break 1 starts 90–120 minutes into the shift, not 60']);
  });

  it('sorts and filters the Gantt’s agents', () => {
    const view = makeView();
    const week = getWeek(weekStart, timezone);
    const [row] = prepareGantt(view, week, { sort: 'start', team: '', skill: '' });
    expect(row!.days[0]).toEqual({ start: '08:00', end: '16:00' });
    expect(row!.days.slice(1)).toEqual([null, null, null, null, null, null]);
    expect(prepareGantt(view, week, { sort: 'name', team: '', skill: 'other' })).toEqual([]);
  });
});
