import { serviceLevelThresholdsS, SHORT_ABANDON_MS, type ServiceLevelThresholdS } from '@switchboard/contracts';
import { adherenceKpis } from './adherence.ts';

/**
 * The KPI catalogue: every metric Switchboard shows is defined here once, with its
 * formula in words, and computed from additive sums (never from averages of averages).
 * Screens, exports and docs/kpis.md all read these definitions.
 */

/** Additive per-queue sums, as the `queue_interval_15m` rollup and the live queries return them. */
export interface QueueSums {
  offered: number;
  answered: number;
  /** Answered within each supported threshold, keyed by seconds. */
  answered_within: Record<ServiceLevelThresholdS, number>;
  /**
   * Answered within the threshold of each row's own queue (see `applyServiceLevelThreshold`):
   * additive, so the service level of several queues with different thresholds is exact.
   */
  answered_in_sl: number;
  abandoned: number;
  short_abandoned: number;
  wait_answered_ms_sum: number;
  wait_abandoned_ms_sum: number;
  wait_ms_max: number;
  handled: number;
  talk_ms_sum: number;
  hold_ms_sum: number;
  wrapups: number;
  wrapup_ms_sum: number;
  holds: number;
  transferred: number;
}

/** Time per agent state, in milliseconds, summed over agents and intervals. */
export type AgentStateSums = Partial<Record<string, number>>;

export interface BotSums {
  sessions: number;
  contained: number;
  escalated: number;
  abandoned: number;
  turns_sum: number;
  duration_ms_sum: number;
}

export interface SurveySums {
  csat_responses: number;
  csat_satisfied: number;
  csat_sum: number;
}

export type KpiUnit = 'count' | 'ratio' | 'seconds';

export interface KpiDefinition<S, O = undefined> {
  id: string;
  label: string;
  unit: KpiUnit;
  /** Which way is good: drives colours and alert defaults. */
  better: 'higher' | 'lower' | 'neither';
  /** The formula in words, as printed in docs/kpis.md and in tooltips. */
  formula: string;
  description: string;
  /** `null` when the formula has no denominator (nothing happened). */
  compute(sums: S, options: O): number | null;
}

/** numerator / denominator, or null when there is nothing to divide by. */
function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** Contacts whose wait ended (answered or abandoned), short abandons excluded: the SL and abandonment base. */
function waitsEnded(s: QueueSums): number {
  return s.answered + s.abandoned - s.short_abandoned;
}

function handleMs(s: QueueSums): number {
  return s.talk_ms_sum + s.hold_ms_sum + s.wrapup_ms_sum;
}

export const queueKpis = {
  offered: {
    id: 'offered',
    label: 'Offered',
    unit: 'count',
    better: 'neither',
    formula: 'count of interaction.offered',
    description: 'Contacts offered to the queue (a transfer offers the contact again to its new queue).',
    compute: (s) => s.offered,
  },
  answered: {
    id: 'answered',
    label: 'Answered',
    unit: 'count',
    better: 'higher',
    formula: 'count of interaction.answered',
    description: 'Contacts an agent accepted.',
    compute: (s) => s.answered,
  },
  abandoned: {
    id: 'abandoned',
    label: 'Abandoned',
    unit: 'count',
    better: 'lower',
    formula: 'count of interaction.abandoned',
    description: 'Contacts that left the queue before an answer, short abandons included.',
    compute: (s) => s.abandoned,
  },
  short_abandoned: {
    id: 'short_abandoned',
    label: 'Short abandons',
    unit: 'count',
    better: 'neither',
    formula: `count of interaction.abandoned with wait < ${SHORT_ABANDON_MS / 1000} s`,
    description: 'Abandons too quick for any agent to have answered (misdials, instant hang-ups); excluded from SL and abandonment rate.',
    compute: (s) => s.short_abandoned,
  },
  service_level: {
    id: 'service_level',
    label: 'Service level',
    unit: 'ratio',
    better: 'higher',
    formula: "answered within the queue's threshold / (answered + abandoned − short abandons)",
    description: "Share of contacts answered within their queue's threshold (e.g. 80% in 20 s), among those whose wait ended.",
    compute: (s) => ratio(s.answered_in_sl, waitsEnded(s)),
  },
  asa_s: {
    id: 'asa_s',
    label: 'ASA',
    unit: 'seconds',
    better: 'lower',
    formula: 'Σ wait of answered contacts / answered',
    description: 'Average speed of answer: mean queue wait of the contacts that were answered.',
    compute: (s) => (s.answered > 0 ? s.wait_answered_ms_sum / s.answered / 1000 : null),
  },
  abandon_rate: {
    id: 'abandon_rate',
    label: 'Abandonment rate',
    unit: 'ratio',
    better: 'lower',
    formula: '(abandoned − short abandons) / (answered + abandoned − short abandons)',
    description: 'Share of contacts whose wait ended with the customer leaving, short abandons excluded.',
    compute: (s) => ratio(s.abandoned - s.short_abandoned, waitsEnded(s)),
  },
  avg_abandon_wait_s: {
    id: 'avg_abandon_wait_s',
    label: 'Avg wait to abandon',
    unit: 'seconds',
    better: 'neither',
    formula: 'Σ wait of abandoned contacts / abandoned',
    description: 'How long customers waited before giving up (a direct reading of patience).',
    compute: (s) => (s.abandoned > 0 ? s.wait_abandoned_ms_sum / s.abandoned / 1000 : null),
  },
  max_wait_s: {
    id: 'max_wait_s',
    label: 'Longest wait',
    unit: 'seconds',
    better: 'lower',
    formula: 'max wait of answered or abandoned contacts',
    description: 'The longest completed wait in the period (the wallboard also shows the longest current wait).',
    compute: (s) => (s.answered + s.abandoned > 0 ? s.wait_ms_max / 1000 : null),
  },
  handled: {
    id: 'handled',
    label: 'Handled',
    unit: 'count',
    better: 'higher',
    formula: 'count of interaction.ended',
    description: 'Conversation segments completed by an agent (a transferred contact counts once per agent).',
    compute: (s) => s.handled,
  },
  aht_s: {
    id: 'aht_s',
    label: 'AHT',
    unit: 'seconds',
    better: 'lower',
    formula: '(Σ talk + Σ hold + Σ wrap-up) / handled',
    description: 'Average handle time: talk, hold and after-contact work per handled contact.',
    compute: (s) => (s.handled > 0 ? handleMs(s) / s.handled / 1000 : null),
  },
  avg_talk_s: {
    id: 'avg_talk_s',
    label: 'Avg talk',
    unit: 'seconds',
    better: 'neither',
    formula: 'Σ talk / handled',
    description: 'Talk part of AHT.',
    compute: (s) => (s.handled > 0 ? s.talk_ms_sum / s.handled / 1000 : null),
  },
  avg_hold_s: {
    id: 'avg_hold_s',
    label: 'Avg hold',
    unit: 'seconds',
    better: 'lower',
    formula: 'Σ hold / handled',
    description: 'Hold part of AHT.',
    compute: (s) => (s.handled > 0 ? s.hold_ms_sum / s.handled / 1000 : null),
  },
  avg_wrapup_s: {
    id: 'avg_wrapup_s',
    label: 'Avg wrap-up',
    unit: 'seconds',
    better: 'lower',
    formula: 'Σ wrap-up / handled',
    description: 'After-contact-work part of AHT.',
    compute: (s) => (s.handled > 0 ? s.wrapup_ms_sum / s.handled / 1000 : null),
  },
  transfer_rate: {
    id: 'transfer_rate',
    label: 'Transfer rate',
    unit: 'ratio',
    better: 'lower',
    formula: 'transferred / handled',
    description: 'Share of handled contacts the agent passed to another queue.',
    compute: (s) => ratio(s.transferred, s.handled),
  },
  hold_rate: {
    id: 'hold_rate',
    label: 'Hold rate',
    unit: 'ratio',
    better: 'lower',
    formula: 'holds / handled',
    description: 'Holds per handled contact.',
    compute: (s) => ratio(s.holds, s.handled),
  },
} satisfies Record<string, KpiDefinition<QueueSums>>;

const productiveStates = ['on_interaction', 'wrap_up'] as const;
const stateMs = (s: AgentStateSums, states: readonly string[]) => states.reduce((sum, state) => sum + (s[state] ?? 0), 0);
/** Every state but offline counts as staffed (logged-in) time. */
const staffedMs = (s: AgentStateSums) => Object.entries(s).reduce((sum, [state, ms]) => (state === 'offline' ? sum : sum + (ms ?? 0)), 0);

export const agentKpis = {
  occupancy: {
    id: 'occupancy',
    label: 'Occupancy',
    unit: 'ratio',
    better: 'neither',
    formula: '(on interaction + wrap-up) / (available + on interaction + wrap-up)',
    description: 'Share of the time agents were ready for work that they spent working contacts.',
    compute: (s) => ratio(stateMs(s, productiveStates), stateMs(s, ['available', ...productiveStates])),
  },
  utilisation: {
    id: 'utilisation',
    label: 'Utilisation',
    unit: 'ratio',
    better: 'higher',
    formula: '(on interaction + wrap-up) / logged-in time (every state but offline)',
    description: 'Share of logged-in time, breaks and meetings included, spent working contacts.',
    compute: (s) => ratio(stateMs(s, productiveStates), staffedMs(s)),
  },
  staffed_hours: {
    id: 'staffed_hours',
    label: 'Staffed hours',
    unit: 'count',
    better: 'neither',
    formula: 'logged-in time / 3,600 s',
    description: 'Agent hours logged in.',
    compute: (s) => staffedMs(s) / 3_600_000,
  },
} satisfies Record<string, KpiDefinition<AgentStateSums>>;

export const botKpis = {
  sessions: {
    id: 'sessions',
    label: 'Bot sessions',
    unit: 'count',
    better: 'neither',
    formula: 'count of bot.session_ended',
    description: 'Self-service sessions that ended in the period.',
    compute: (s) => s.sessions,
  },
  containment: {
    id: 'containment',
    label: 'Containment',
    unit: 'ratio',
    better: 'higher',
    formula: 'contained / sessions',
    description: 'Share of self-service sessions resolved without an agent.',
    compute: (s) => ratio(s.contained, s.sessions),
  },
  escalation_rate: {
    id: 'escalation_rate',
    label: 'Escalation rate',
    unit: 'ratio',
    better: 'lower',
    formula: 'escalated / sessions',
    description: 'Share of sessions handed to a queue.',
    compute: (s) => ratio(s.escalated, s.sessions),
  },
  bot_abandon_rate: {
    id: 'bot_abandon_rate',
    label: 'Bot abandonment',
    unit: 'ratio',
    better: 'lower',
    formula: 'abandoned / sessions',
    description: 'Share of sessions the customer left without resolution or hand-off.',
    compute: (s) => ratio(s.abandoned, s.sessions),
  },
  avg_turns: {
    id: 'avg_turns',
    label: 'Avg turns',
    unit: 'count',
    better: 'neither',
    formula: 'Σ turns / sessions',
    description: 'Customer turns per session.',
    compute: (s) => (s.sessions > 0 ? s.turns_sum / s.sessions : null),
  },
} satisfies Record<string, KpiDefinition<BotSums>>;

export const surveyKpis = {
  csat: {
    id: 'csat',
    label: 'CSAT',
    unit: 'ratio',
    better: 'higher',
    formula: 'CSAT answers of 4 or 5 / CSAT answers',
    description: 'Share of satisfied survey answers (top-two-box on a 1–5 scale).',
    compute: (s) => ratio(s.csat_satisfied, s.csat_responses),
  },
  csat_avg: {
    id: 'csat_avg',
    label: 'Avg CSAT',
    unit: 'count',
    better: 'higher',
    formula: 'Σ CSAT / CSAT answers',
    description: 'Mean CSAT score, 1–5.',
    compute: (s) => (s.csat_responses > 0 ? s.csat_sum / s.csat_responses : null),
  },
} satisfies Record<string, KpiDefinition<SurveySums>>;

export type QueueKpiId = keyof typeof queueKpis;

/** Every KPI, grouped as docs/kpis.md prints them. */
export const kpiGroups = [
  { title: 'Queues', source: 'queue_interval_15m (last 30 min: queue_interval_1m)', kpis: Object.values(queueKpis) },
  { title: 'Agents', source: 'agent_state_interval_15m', kpis: Object.values(agentKpis) },
  { title: 'Self-service', source: 'bot_intent_interval_15m', kpis: Object.values(botKpis) },
  { title: 'Surveys', source: 'survey.response events', kpis: Object.values(surveyKpis) },
  { title: 'Schedule adherence', source: 'agent.state_changed events against schedule_activities (adherence.ts)', kpis: Object.values(adherenceKpis) },
] as const;

/** Sums with nothing in them, to start an accumulation. */
export function emptyQueueSums(): QueueSums {
  return {
    offered: 0,
    answered: 0,
    answered_within: Object.fromEntries(serviceLevelThresholdsS.map((t) => [t, 0])) as Record<ServiceLevelThresholdS, number>,
    answered_in_sl: 0,
    abandoned: 0,
    short_abandoned: 0,
    wait_answered_ms_sum: 0,
    wait_abandoned_ms_sum: 0,
    wait_ms_max: 0,
    handled: 0,
    talk_ms_sum: 0,
    hold_ms_sum: 0,
    wrapups: 0,
    wrapup_ms_sum: 0,
    holds: 0,
    transferred: 0,
  };
}

/** What an agent's rows hold of the queue sums (agent_interval_15m's columns): the contacts they handled. */
type AgentWorkSums = Pick<QueueSums, 'answered' | 'handled' | 'talk_ms_sum' | 'hold_ms_sum' | 'wrapups' | 'wrapup_ms_sum' | 'holds' | 'transferred'>;

/** Agents' rows summed as queue sums, so the queue KPIs (AHT, hold rate, transfer rate) read them alike. */
export function agentWorkSums(rows: readonly AgentWorkSums[]): QueueSums {
  const out = emptyQueueSums();
  for (const r of rows)
    for (const key of ['answered', 'handled', 'talk_ms_sum', 'hold_ms_sum', 'wrapups', 'wrapup_ms_sum', 'holds', 'transferred'] as const) out[key] += r[key];
  return out;
}

/** Adds `b` into `a` (max for the maximum): totals are sums of their rows. */
export function addQueueSums(a: QueueSums, b: QueueSums): QueueSums {
  const out = emptyQueueSums();
  for (const key of Object.keys(out) as (keyof QueueSums)[]) {
    if (key === 'answered_within') {
      for (const t of serviceLevelThresholdsS) out.answered_within[t] = a.answered_within[t] + b.answered_within[t];
    } else if (key === 'wait_ms_max') {
      out.wait_ms_max = Math.max(a.wait_ms_max, b.wait_ms_max);
    } else {
      out[key] = a[key] + b[key];
    }
  }
  return out;
}

/** All queue KPIs of one row of sums. */
export function computeQueueKpis(sums: QueueSums): Record<QueueKpiId, number | null> {
  return Object.fromEntries(Object.values(queueKpis).map((k) => [k.id, k.compute(sums)])) as Record<QueueKpiId, number | null>;
}

/** The queue's sums with `answered_in_sl` set from its configured threshold (one the rollups keep). */
export function applyServiceLevelThreshold(sums: QueueSums, thresholdS: number): QueueSums {
  const supported: readonly number[] = serviceLevelThresholdsS;
  if (!supported.includes(thresholdS)) throw new Error(`no service-level counts are kept for ${thresholdS} s; use one of ${supported.join(', ')}`);
  return { ...sums, answered_in_sl: sums.answered_within[thresholdS as ServiceLevelThresholdS] };
}
