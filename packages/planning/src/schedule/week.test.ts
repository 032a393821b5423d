import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import type { AgentContract } from './assign.ts';
import { loadSolver } from './solver.ts';
import { compileTemplates, coverageOfActivities, listWeekPlacements, planWeek, shiftActivities, weekTimeline, type ShiftTemplate } from './week.ts';

let highs: Highs;
beforeAll(async () => {
  highs = await loadSolver();
});

const eightHours: ShiftTemplate = {
  id: 'day-8h',
  name: 'Day 8h',
  lengthMin: 480,
  startStepMin: 60,
  earliestStartMin: 7 * 60,
  latestStartMin: 12 * 60,
  weekdays: [1, 2, 3, 4, 5],
  breaks: [
    { kind: 'lunch', lengthMin: 30, earliestOffsetMin: 180, latestOffsetMin: 270, paid: false },
    { kind: 'break', lengthMin: 15, earliestOffsetMin: 60, latestOffsetMin: 120, paid: true },
  ],
};

const night: ShiftTemplate = {
  id: 'night',
  name: 'Night',
  lengthMin: 480,
  startStepMin: 60,
  earliestStartMin: 0,
  latestStartMin: 23 * 60,
  weekdays: [0, 1, 2, 3, 4, 5, 6],
  breaks: [],
};

describe('the week timeline', () => {
  it('runs 23- and 25-hour days at clock changes, and starts only at clock times the day has', () => {
    // New York springs forward on Sunday 2026-03-08 (02:00 → 03:00) and falls back on Sunday 2026-11-01.
    const spring = weekTimeline('2026-03-02', 'America/New_York');
    expect(spring.intervals).toBe(7 * 96 - 4);
    expect(spring.dayStarts[6]! / 60).toBe(6 * 24);
    expect(spring.dayStarts[7]! / 60).toBe(7 * 24 - 1);
    expect(weekTimeline('2026-10-26', 'America/New_York').intervals).toBe(7 * 96 + 4);

    const placements = listWeekPlacements({ weekStart: '2026-03-02', timezone: 'America/New_York', templates: [night] }, compileTemplates([night]));
    const sunday = placements.filter((p) => p.start * 15 >= spring.dayStarts[6]!);
    // Sunday has no 02:00, and its 17:00–23:00 starts would run past the week's end.
    expect(sunday.map((p) => (p.start * 15 - spring.dayStarts[6]!) / 60)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });
});

describe('shift activities', () => {
  it('splits work around breaks in time order, whatever order the template lists them in', () => {
    const activities = shiftActivities(eightHours, 420, [420 + 60, 420 + 240]);
    expect(activities).toEqual([
      { kind: 'work', start: 420, end: 480 },
      { kind: 'break', start: 480, end: 495 },
      { kind: 'work', start: 495, end: 660 },
      { kind: 'lunch', start: 660, end: 690 },
      { kind: 'work', start: 690, end: 900 },
    ]);
    expect(coverageOfActivities(64, activities).slice(28, 61)).toEqual([
      ...new Array(4).fill(1),
      0,
      ...new Array(11).fill(1),
      0,
      0,
      ...new Array(14).fill(1),
      0,
    ]);
  });
});

describe('a week for named agents', () => {
  const required = (weekStart: string, timezone: string, perHour: (weekday: number, hour: number) => number) => {
    const { origin, intervals } = weekTimeline(weekStart, timezone);
    return Array.from({ length: intervals }, (_, t) => {
      const at = new Date(origin.getTime() + t * 15 * 60_000);
      const local = new Date(at.toLocaleString('en-US', { timeZone: timezone }));
      return perHour(local.getDay(), local.getHours());
    });
  };
  const agent = (id: string, extra: Partial<AgentContract> = {}): AgentContract => ({
    id,
    groups: ['voice'],
    minHours: 30,
    maxHours: 40,
    minRestMin: 11 * 60,
    maxConsecutiveDays: 5,
    minDaysOff: 2,
    ...extra,
  });

  it('covers a weekday requirement with named agents, every rule held and the figures consistent with the coverage', () => {
    // Two agents 08:00–17:00 and three 10:00–15:00 on weekdays, in Berlin.
    const need = required('2026-06-01', 'Europe/Berlin', (weekday, hour) =>
      weekday >= 1 && weekday <= 5 ? (hour >= 10 && hour < 15 ? 3 : hour >= 8 && hour < 17 ? 2 : 0) : 0,
    );
    const agents = ['a', 'b', 'c', 'd'].map((id) => agent(id));
    const plan = planWeek(highs, {
      weekStart: '2026-06-01',
      timezone: 'Europe/Berlin',
      groups: [{ id: 'voice', required: need }],
      templates: [eightHours],
      agents,
      timeLimitS: 20,
    });
    expect(plan.violations).toEqual([]);
    expect(plan.shifts.length).toBeGreaterThanOrEqual(15);
    // Nobody works twice a day, and each works 4 or 5 weekdays (30–40 paid hours of 7.5).
    for (const a of agents) {
      const mine = plan.shifts.filter((s) => s.agent === a.id);
      expect(new Set(mine.map((s) => s.day)).size).toBe(mine.length);
      expect(mine.length * 7.5).toBeGreaterThanOrEqual(30);
      expect(mine.length * 7.5).toBeLessThanOrEqual(40);
    }
    const scheduled = coverageOfActivities(
      need.length,
      plan.shifts.flatMap((s) => s.activities),
    );
    expect(plan.coverage[0]!.scheduled).toEqual(scheduled);
    let shortfall = 0;
    need.forEach((r, t) => (shortfall += Math.max(0, r - scheduled[t]!)));
    expect(plan.figures.shortfall).toBe(shortfall);
    expect(plan.figures.paidHours).toBe(plan.shifts.length * 7.5);
    expect(plan.figures.cost).toBe(plan.figures.paidHours);
    expect(plan.figures.efficiency).toBeCloseTo(plan.figures.requiredHours / plan.figures.paidHours, 10);
    expect(plan.figures.lpBound).toBeGreaterThan(0);
    expect(plan.figures.gap).toBeGreaterThanOrEqual(-1e-9);
  });

  it('schedules overnight shifts across midnight and names the template and day each starts on', () => {
    const need = required('2026-06-01', 'UTC', (_, hour) => (hour >= 22 || hour < 6 ? 1 : 0));
    const plan = planWeek(highs, {
      weekStart: '2026-06-01',
      timezone: 'UTC',
      groups: [{ id: 'voice', required: need }],
      templates: [night],
      agents: ['n1', 'n2'].map((id) => agent(id, { minHours: 24, maxHours: 40, maxConsecutiveDays: 6, minDaysOff: 1 })),
      timeLimitS: 20,
    });
    expect(plan.violations).toEqual([]);
    const crossing = plan.shifts.filter((s) => Math.floor(s.start / 1440) !== Math.floor((s.end - 1) / 1440));
    expect(crossing.length).toBeGreaterThan(0);
    for (const s of crossing) expect(s.day).toBe(Math.floor(s.start / 1440));
  });
});
