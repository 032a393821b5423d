import type { ActivityKind } from '@switchboard/contracts';
import { chance, integer, pick, uniform, type Rng } from './rng.ts';
import { MINUTE_MS } from './time.ts';

/** One activity of a published schedule (instants in ms), as the host's schedule API lists them. */
export interface ScheduleActivity {
  agent: string;
  kind: ActivityKind;
  start: number;
  end: number;
  /** The center-local date of the shift the activity belongs to. */
  shiftDate: string;
}

const NONE: readonly ScheduleActivity[] = Object.freeze([]);

/**
 * The published schedules a simulation follows, by shift date and agent. The caller fills it
 * (the CLI from the host's API) and may replace dates while a live run goes on: `version`
 * moves when something changed, and an agent whose activities are unchanged keeps the same
 * array, so the simulation re-plans only the agents a change touched.
 */
export class ScheduleBook {
  readonly #dates = new Map<string, Map<string, readonly ScheduleActivity[]>>();
  #version = 0;

  get version(): number {
    return this.#version;
  }

  /**
   * Replaces what is known of `dates` with the activities of those shift dates in
   * `activities`; activities of other dates are ignored. True when anything changed.
   */
  replace(dates: readonly string[], activities: readonly ScheduleActivity[]): boolean {
    const wanted = new Set(dates);
    const fresh = new Map<string, Map<string, ScheduleActivity[]>>();
    for (const a of activities) {
      if (!wanted.has(a.shiftDate)) continue;
      let byAgent = fresh.get(a.shiftDate);
      if (!byAgent) fresh.set(a.shiftDate, (byAgent = new Map()));
      let list = byAgent.get(a.agent);
      if (!list) byAgent.set(a.agent, (list = []));
      list.push(a);
    }
    let changed = false;
    for (const date of wanted) {
      const before = this.#dates.get(date);
      const after = new Map<string, readonly ScheduleActivity[]>();
      for (const [agent, list] of fresh.get(date) ?? []) {
        list.sort((a, b) => a.start - b.start || a.end - b.end);
        const old = before?.get(agent);
        const same = old !== undefined && old.length === list.length && old.every((o, i) => sameActivity(o, list[i]!));
        after.set(agent, same ? old : list);
        if (!same) changed = true;
      }
      for (const agent of before?.keys() ?? []) if (!after.has(agent)) changed = true;
      if (after.size > 0) this.#dates.set(date, after);
      else this.#dates.delete(date);
    }
    if (changed) this.#version++;
    return changed;
  }

  /** The agent's activities of a shift date in time order; empty when none is published. */
  activitiesOf(shiftDate: string, agent: string): readonly ScheduleActivity[] {
    return this.#dates.get(shiftDate)?.get(agent) ?? NONE;
  }
}

function sameActivity(a: ScheduleActivity, b: ScheduleActivity): boolean {
  return a.kind === b.kind && a.start === b.start && a.end === b.end;
}

/** How often people depart from their schedule. Each is a probability. */
export interface Deviations {
  /** A scheduled shift whose agent never logs in. */
  noShow: number;
  /** A log-in 1–10 minutes after the scheduled start (otherwise 0–3 minutes before it). */
  lateLogin: number;
  /** A log-in 5–15 minutes before the scheduled start. */
  earlyLogin: number;
  /** A break or lunch overrun by 3–15 minutes (otherwise back within −½…+1½ minutes). */
  longBreak: number;
  /** A day on which one team's desktops fail for 10–25 minutes (state `meeting`, reason `system_outage`). */
  outageDay: number;
}

export const defaultDeviations: Deviations = { noShow: 0.02, lateLogin: 0.15, earlyLogin: 0.05, longBreak: 0.1, outageDay: 0.2 };

/** The bounds of each deviation, in seconds; tests hold the emitted events to them. */
export const deviationBounds = {
  lateLoginS: [60, 600],
  earlyLoginS: [300, 900],
  onTimeLoginS: [0, 180],
  logoutS: [0, 150],
  auxStartS: [0, 60],
  longBreakS: [180, 900],
  breakReturnS: [-30, 90],
  meetingEndS: [0, 90],
  outageS: [600, 1500],
  /** Local clock minutes an outage may start in. */
  outageStartMin: [9 * 60, 16 * 60],
} as const;

/** A gap shorter than this between two activities is worked through, not logged out for. */
const SESSION_GAP_MS = 30 * MINUTE_MS;

export type AuxState = 'break' | 'lunch' | 'meeting' | 'training';

/** Something an agent does away from contacts, from a published schedule (or an outage). */
export interface ScheduledAux {
  kind: AuxState;
  reason: string;
  /** The scheduled length. */
  minutes: number;
  /** Once this passes the activity is no longer taken (an agent busy throughout, or arriving after it). */
  until: number;
  /** Meetings end at `until` whenever the agent joined; breaks last `minutes` from when they began. */
  fixed: boolean;
  /** Added to the end: the lateness of coming back. */
  overrunMs: number;
}

/** One stretch of logged-in time: activities with no time off and no long gap between them. */
interface SessionPlan {
  scheduledStart: number;
  scheduledEnd: number;
  loginAt: number;
  logoutAt: number;
  aux: { at: number; plan: ScheduledAux }[];
}

export interface ShiftPlan {
  noShow: boolean;
  /** Empty for a no-show or a day of time off only. */
  sessions: SessionPlan[];
}

const auxOf: Record<Exclude<ActivityKind, 'work' | 'time_off'>, { kind: AuxState; reason: string; fixed: boolean }> = {
  break: { kind: 'break', reason: 'scheduled_break', fixed: false },
  lunch: { kind: 'lunch', reason: 'lunch', fixed: false },
  meeting: { kind: 'meeting', reason: 'meeting', fixed: true },
  coaching: { kind: 'meeting', reason: 'coaching', fixed: true },
  training: { kind: 'training', reason: 'training', fixed: true },
};

const seconds = (rng: Rng, [min, max]: readonly [number, number]) => integer(rng, min, max) * 1000;

/**
 * How an agent will work one shift date of their published schedule, deviations drawn
 * from `rng`. Each session, and each activity in it, takes the same number of draws
 * whatever is drawn, so one deviation never shifts the draws of the next.
 */
export function planScheduledShift(activities: readonly ScheduleActivity[], rng: Rng, deviations: Deviations): ShiftPlan {
  const noShow = chance(rng, deviations.noShow);
  const sessions: SessionPlan[] = [];
  for (const run of sessionsOf(activities)) {
    const scheduledStart = run[0]!.start;
    const scheduledEnd = Math.max(...run.map((a) => a.end));
    const u = uniform(rng);
    const late = seconds(rng, deviationBounds.lateLoginS);
    const early = seconds(rng, deviationBounds.earlyLoginS);
    const onTime = seconds(rng, deviationBounds.onTimeLoginS);
    const loginAt =
      u < deviations.lateLogin ? scheduledStart + late : u < deviations.lateLogin + deviations.earlyLogin ? scheduledStart - early : scheduledStart - onTime;
    const logoutAt = scheduledEnd + seconds(rng, deviationBounds.logoutS);
    const aux: SessionPlan['aux'] = [];
    for (const a of run) {
      const startJitter = seconds(rng, deviationBounds.auxStartS);
      const long = chance(rng, deviations.longBreak);
      const longOverrun = seconds(rng, deviationBounds.longBreakS);
      const normalOverrun = seconds(rng, deviationBounds.breakReturnS);
      const meetingEnd = seconds(rng, deviationBounds.meetingEndS);
      if (a.kind === 'work' || a.kind === 'time_off') continue;
      const { kind, reason, fixed } = auxOf[a.kind];
      const overrunMs = fixed ? meetingEnd : long ? longOverrun : normalOverrun;
      aux.push({ at: a.start + startJitter, plan: { kind, reason, minutes: (a.end - a.start) / MINUTE_MS, until: a.end, fixed, overrunMs } });
    }
    sessions.push({ scheduledStart, scheduledEnd, loginAt, logoutAt, aux });
  }
  return { noShow, sessions: noShow ? [] : sessions };
}

/** Runs of activities other than time off, split where time off or a long gap falls between them. */
function sessionsOf(activities: readonly ScheduleActivity[]): ScheduleActivity[][] {
  const runs: ScheduleActivity[][] = [];
  let current: ScheduleActivity[] = [];
  let end = -Infinity;
  for (const a of activities) {
    if (a.end <= a.start) continue;
    if (a.kind === 'time_off' || a.start - end >= SESSION_GAP_MS) {
      if (current.length > 0) runs.push(current);
      current = [];
    }
    if (a.kind === 'time_off') {
      end = -Infinity;
      continue;
    }
    current.push(a);
    end = Math.max(end, a.end);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

export interface Outage {
  teamId: string;
  start: number;
  end: number;
}

/** Whether a day has an outage, which team it hits and when (local clock from `midnight`). */
export function drawOutage(rng: Rng, teamIds: readonly string[], midnight: number, deviations: Deviations): Outage | null {
  const happens = chance(rng, deviations.outageDay);
  const teamId = teamIds.length > 0 ? pick(rng, teamIds) : null;
  const [earliest, latest] = deviationBounds.outageStartMin;
  const start = midnight + integer(rng, earliest, latest) * MINUTE_MS;
  const end = start + seconds(rng, deviationBounds.outageS);
  return happens && teamId !== null ? { teamId, start, end } : null;
}
