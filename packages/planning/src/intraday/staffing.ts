import type { PlannedActivity } from '../schedule/week.ts';
import { scheduleIntervalMin } from '../schedule/week.ts';
import { addSlotMinutes, unionRanges } from './slots.ts';

export interface IntradayStaffingInput {
  /** 15-minute slots in the day: 92, 96 or 100. */
  intervals: number;
  required: readonly number[];
  /** Each agent's activities on the day's timeline (minutes from its local midnight). */
  agents: readonly { agentId: string; activities: readonly PlannedActivity[] }[];
  /** Approved exceptions: the agent is busy with something else then. */
  exceptions: readonly { agentId: string; start: number; end: number }[];
  /** Agents scheduled to work now who are not logged in. */
  absent: ReadonlySet<string>;
  /** The slot from which the absent agents' work is lost (the current one). */
  absentFromSlot: number;
}

export interface IntradayStaffing {
  /** Agents in a work activity per slot, as fractions of the slot. */
  scheduled: number[];
  /** The part of `scheduled` the agents' approved exceptions take. */
  excepted: number[];
  /** The part of `scheduled` lost to absent agents from `absentFromSlot` on, exceptions aside. */
  absent: number[];
  /** scheduled − excepted − absent: productive agents per slot. */
  net: number[];
  /** net − required; negative where short. */
  gap: number[];
}

/** The intraday staffing gap: scheduled productive agents per slot, net of exceptions and absences, against the requirement. */
export function intradayStaffing(input: IntradayStaffingInput): IntradayStaffing {
  const { intervals } = input;
  // Minutes per slot, summed as integers and divided once so fractions of a slot stay exact.
  const scheduled = new Array<number>(intervals).fill(0);
  const excepted = new Array<number>(intervals).fill(0);
  const absent = new Array<number>(intervals).fill(0);
  const exceptionsOf = new Map<string, { start: number; end: number }[]>();
  for (const e of input.exceptions) {
    const list = exceptionsOf.get(e.agentId) ?? [];
    list.push(e);
    exceptionsOf.set(e.agentId, list);
  }
  for (const agent of input.agents) {
    // Overlapping exceptions (or work activities) must not count a minute twice.
    const work = unionRanges(agent.activities.filter((a) => a.kind === 'work'));
    const exceptions = unionRanges(exceptionsOf.get(agent.agentId) ?? []);
    const isAbsent = input.absent.has(agent.agentId);
    for (const w of work) {
      addSlotMinutes(scheduled, w.start, w.end);
      if (isAbsent) addSlotMinutes(absent, w.start, w.end, 1, input.absentFromSlot);
      for (const e of exceptions) {
        const start = Math.max(w.start, e.start);
        const end = Math.min(w.end, e.end);
        if (end <= start) continue;
        addSlotMinutes(excepted, start, end);
        if (isAbsent) addSlotMinutes(absent, start, end, -1, input.absentFromSlot);
      }
    }
  }
  const toAgents = (minutes: number[]) => minutes.map((m) => m / scheduleIntervalMin);
  const out = { scheduled: toAgents(scheduled), excepted: toAgents(excepted), absent: toAgents(absent) };
  const net = scheduled.map((s, t) => (s - excepted[t]! - absent[t]!) / scheduleIntervalMin);
  return { ...out, net, gap: net.map((n, t) => n - (input.required[t] ?? 0)) };
}
