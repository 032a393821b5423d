import { daysBetween, localBuckets, localDateSpan, sameDaysLastWeek, shiftLocalDays, type TimeRange } from '@switchboard/calendar';
import {
  addQueueSums,
  agentWorkSums,
  agentKpis,
  applyServiceLevelThreshold,
  emptyQueueSums,
  queueKpis,
  surveyKpis,
  type AgentStateSums,
  type KpiDefinition,
  type KpiUnit,
  type QueueSums,
  type SurveySums,
} from '@switchboard/kpis';
import {
  getAgentReport,
  getAgentStateReport,
  getImportedQueueReport,
  getQueueReport,
  getSurveySums,
  reportGrains,
  type DrillMetric,
  type ReportGrain,
} from '@switchboard/telemetry';
import { z } from 'zod';
import type { ApiServices } from '../context.ts';
import type { Access } from '../trpc.ts';

export const reportDimensions = ['queue', 'channel', 'agent', 'team'] as const;
export type ReportDimension = (typeof reportDimensions)[number];

const MAX_DAYS = 400;
const MAX_INTRADAY_DAYS = 62;

export const ReportInput = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    grain: z.enum(reportGrains),
    dimension: z.enum(reportDimensions),
    /** Only these queues, channels, agents or teams (by key); absent: all in scope. */
    keys: z.array(z.string().min(1).max(64)).max(1000).optional(),
    compare: z.boolean().default(true),
  })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
  .refine((r) => daysBetween(r.from, r.to) + 1 <= MAX_DAYS, { message: `a report covers at most ${MAX_DAYS} days`, path: ['from'] })
  .refine((r) => ['day', 'week'].includes(r.grain) || daysBetween(r.from, r.to) + 1 <= MAX_INTRADAY_DAYS, {
    message: `intraday grains cover at most ${MAX_INTRADAY_DAYS} days: pick day or week for longer ranges`,
    path: ['grain'],
  });
export type ReportInput = z.infer<typeof ReportInput>;

/** A column of a report: a KPI of the catalogue and the events its numbers drill into. */
export interface ReportColumn {
  id: string;
  label: string;
  unit: KpiUnit;
  better: 'higher' | 'lower' | 'neither';
  formula: string;
  /** Clicking a number lists these events; absent for time-in-state figures. */
  drill?: DrillMetric;
}

type Kpis = Record<string, number | null>;

export interface ReportRow {
  key: string;
  label: string;
  kpis: Kpis;
  previous?: Kpis;
  /** 15-minute intervals of imported history in the row's figures (absent when none), so screens can mark them. */
  importedIntervals?: number;
}

export interface ReportPoint {
  bucket: string;
  kpis: Kpis;
  previous?: Kpis;
  importedIntervals?: number;
}

export interface Report {
  dimension: ReportDimension;
  grain: ReportGrain;
  timezone: string;
  window: { from: string; to: string };
  previousWindow: { from: string; to: string } | null;
  columns: ReportColumn[];
  rows: ReportRow[];
  total: ReportRow;
  series: ReportPoint[];
}

function column(kpi: KpiDefinition<never>, drill?: DrillMetric): ReportColumn {
  return { id: kpi.id, label: kpi.label, unit: kpi.unit, better: kpi.better, formula: kpi.formula, ...(drill ? { drill } : {}) };
}

const queueColumns: ReportColumn[] = [
  column(queueKpis.offered, 'offered'),
  column(queueKpis.answered, 'answered'),
  column(queueKpis.abandoned, 'abandoned'),
  column(queueKpis.short_abandoned, 'short_abandoned'),
  column(queueKpis.service_level, 'waits'),
  column(queueKpis.asa_s, 'answered'),
  column(queueKpis.abandon_rate, 'waits'),
  column(queueKpis.max_wait_s, 'waits'),
  column(queueKpis.handled, 'handled'),
  column(queueKpis.aht_s, 'handled'),
  column(queueKpis.avg_talk_s, 'handled'),
  column(queueKpis.avg_hold_s, 'handled'),
  column(queueKpis.avg_wrapup_s, 'handled'),
  column(queueKpis.transfer_rate, 'transferred'),
  column(surveyKpis.csat),
];

const agentColumns: ReportColumn[] = [
  column(queueKpis.answered, 'answered'),
  column(queueKpis.handled, 'handled'),
  column(queueKpis.aht_s, 'handled'),
  column(queueKpis.avg_talk_s, 'handled'),
  column(queueKpis.avg_hold_s, 'handled'),
  column(queueKpis.avg_wrapup_s, 'handled'),
  column(queueKpis.transfer_rate, 'transferred'),
  column(queueKpis.hold_rate, 'held'),
  column(agentKpis.occupancy),
  column(agentKpis.utilisation),
  column(agentKpis.staffed_hours),
  column(surveyKpis.csat),
];

/** Imported history of queues (before each one's live data): volumes only. */
interface ImportedSums {
  intervals: number;
  offered: number;
  answered: number;
  abandoned: number;
}

/** Everything a row of any dimension is computed from. */
interface Sums {
  queue: QueueSums;
  states: AgentStateSums;
  survey: SurveySums;
  imported: ImportedSums;
}

function emptySums(): Sums {
  return {
    queue: emptyQueueSums(),
    states: {},
    survey: { csat_responses: 0, csat_satisfied: 0, csat_sum: 0 },
    imported: { intervals: 0, offered: 0, answered: 0, abandoned: 0 },
  };
}

function addSums(a: Sums, b: Partial<Sums>): Sums {
  const states = { ...a.states };
  for (const [state, ms] of Object.entries(b.states ?? {})) states[state] = (states[state] ?? 0) + (ms ?? 0);
  const survey = b.survey
    ? {
        csat_responses: a.survey.csat_responses + b.survey.csat_responses,
        csat_satisfied: a.survey.csat_satisfied + b.survey.csat_satisfied,
        csat_sum: a.survey.csat_sum + b.survey.csat_sum,
      }
    : a.survey;
  const imported = b.imported
    ? {
        intervals: a.imported.intervals + b.imported.intervals,
        offered: a.imported.offered + b.imported.offered,
        answered: a.imported.answered + b.imported.answered,
        abandoned: a.imported.abandoned + b.imported.abandoned,
      }
    : a.imported;
  return { queue: b.queue ? addQueueSums(a.queue, b.queue) : a.queue, states, survey, imported };
}

/**
 * Imported history has volumes only: it counts in these columns, and every other KPI (service
 * level, waits, handle time) is computed from live data alone rather than diluted by contacts
 * without waits or handle times.
 */
const importedVolumeKpis = new Set(['offered', 'answered', 'abandoned']);

function computeKpis(columns: ReportColumn[], sums: Sums): Kpis {
  const out: Kpis = {};
  const { offered, answered, abandoned } = sums.imported;
  const withImported = {
    ...sums.queue,
    offered: sums.queue.offered + offered,
    answered: sums.queue.answered + answered,
    abandoned: sums.queue.abandoned + abandoned,
  };
  for (const c of columns) {
    if (c.id in queueKpis) out[c.id] = queueKpis[c.id as keyof typeof queueKpis].compute(importedVolumeKpis.has(c.id) ? withImported : sums.queue);
    else if (c.id in agentKpis) out[c.id] = agentKpis[c.id as keyof typeof agentKpis].compute(sums.states);
    else if (c.id in surveyKpis) out[c.id] = surveyKpis[c.id as keyof typeof surveyKpis].compute(sums.survey);
  }
  return out;
}

class Accumulator {
  readonly byKey = new Map<string, Sums>();
  readonly byBucket = new Map<string, Sums>();
  total = emptySums();

  add(key: string, bucket: string | null, part: Partial<Sums>): void {
    this.byKey.set(key, addSums(this.byKey.get(key) ?? emptySums(), part));
    if (bucket !== null) this.byBucket.set(bucket, addSums(this.byBucket.get(bucket) ?? emptySums(), part));
    this.total = addSums(this.total, part);
  }
}

/**
 * Rows of the window and of the compared one (read together, see getQueueReport), for a
 * dimension, accumulated by key and by bucket.
 */
async function accumulate(
  services: ApiServices,
  access: Access,
  input: ReportInput,
  window: TimeRange,
  previousWindow: TimeRange | null,
): Promise<{ current: Accumulator; previous: Accumulator | null }> {
  const { directory, tenantId } = access;
  const params = { tenantId, from: window.from, to: window.to, previous: previousWindow, grain: input.grain, timezone: directory.timezone };
  const wanted = input.keys ? new Set(input.keys) : null;
  const current = new Accumulator();
  const previous = previousWindow ? new Accumulator() : null;
  const accOf = (row: { previous: boolean }) => (row.previous ? previous! : current);

  if (input.dimension === 'queue' || input.dimension === 'channel') {
    const queues = new Map(directory.queues.map((q) => [q.key, q]));
    const keyOf = (queueId: string, channel: string) => (input.dimension === 'queue' ? queueId : channel);
    const [rows, imported, surveys] = await Promise.all([
      getQueueReport(services.telemetry, params),
      getImportedQueueReport(services.telemetry, params),
      getSurveySums(services.telemetry, params),
    ]);
    for (const r of rows) {
      const key = keyOf(r.queue_id, r.channel);
      if (wanted && !wanted.has(key)) continue;
      // A queue that sends events but is not configured is still reported, at the shortest threshold.
      const thresholdS = queues.get(r.queue_id)?.slThresholdS ?? 10;
      accOf(r).add(key, r.bucket, { queue: applyServiceLevelThreshold(r.sums, thresholdS) });
    }
    for (const { previous, bucket, queue_id, ...volumes } of imported) {
      // Imported rows carry no channel: the queue's own.
      const key = keyOf(queue_id, queues.get(queue_id)?.channel ?? '');
      if (wanted && !wanted.has(key)) continue;
      accOf({ previous }).add(key, bucket, { imported: volumes });
    }
    for (const s of surveys) {
      const channel = queues.get(s.queue_id)?.channel ?? '';
      const key = keyOf(s.queue_id, channel);
      if (!s.queue_id || (wanted && !wanted.has(key))) continue;
      accOf(s).add(key, null, { survey: s });
    }
    return { current, previous };
  }

  const agents = directory.agents.filter((a) => access.agentKeys === null || access.agentKeys.has(a.key));
  const teamOf = new Map(agents.map((a) => [a.key, a.teamKey]));
  const keyOf = (agentKey: string) => (input.dimension === 'agent' ? agentKey : (teamOf.get(agentKey) ?? ''));
  const agentIds = access.agentKeys === null ? undefined : [...access.agentKeys];
  const [work, states, surveys] = await Promise.all([
    getAgentReport(services.telemetry, { ...params, agentIds }),
    getAgentStateReport(services.telemetry, { ...params, agentIds }),
    getSurveySums(services.telemetry, params),
  ]);
  const inScope = (agentKey: string) => {
    if (access.agentKeys !== null && !access.agentKeys.has(agentKey)) return false;
    return !wanted || wanted.has(keyOf(agentKey));
  };
  for (const w of work) {
    if (!inScope(w.agent_id)) continue;
    accOf(w).add(keyOf(w.agent_id), w.bucket, { queue: agentWorkSums([w]) });
  }
  for (const s of states) {
    if (!inScope(s.agent_id)) continue;
    accOf(s).add(keyOf(s.agent_id), s.bucket, { states: { [s.state]: s.state_ms } });
  }
  for (const s of surveys) {
    if (!s.agent_id || !inScope(s.agent_id)) continue;
    accOf(s).add(keyOf(s.agent_id), null, { survey: s });
  }
  return { current, previous };
}

function labelOf(access: Access, dimension: ReportDimension, key: string): string {
  const d = access.directory;
  if (dimension === 'queue') return d.queues.find((q) => q.key === key)?.name ?? `${key} (not configured)`;
  if (dimension === 'agent') return d.agents.find((a) => a.key === key)?.displayName ?? key;
  if (dimension === 'team') return d.teams.find((t) => t.key === key)?.name ?? key;
  return key;
}

/**
 * A historical report by queue, channel, team or agent over whole local days, with its
 * totals, a series per bucket for the chart and, when asked, the same days a week earlier.
 * Totals are the KPI formulas applied to summed parts, so they equal their drill-downs, except
 * for imported history (counted in `importedIntervals`), which has no events behind it.
 */
export function getReport(services: ApiServices, access: Access, input: ReportInput): Promise<Report> {
  // Viewers of a tenant asking for the same report share one computation; the scope is
  // part of the key, since it narrows agent rows.
  const agentKeys = access.agentKeys === null ? null : [...access.agentKeys].sort();
  const key = JSON.stringify([access.tenantId, access.scope, agentKeys, input]);
  return services.reports.get(key, () => computeReport(services, access, input));
}

async function computeReport(services: ApiServices, access: Access, input: ReportInput): Promise<Report> {
  const timezone = access.directory.timezone;
  const window = localDateSpan(input.from, input.to, timezone);
  const previousWindow = input.compare ? sameDaysLastWeek(input.from, input.to, timezone) : null;
  const columns = input.dimension === 'queue' || input.dimension === 'channel' ? queueColumns : agentColumns;
  const { current, previous } = await accumulate(services, access, input, window, previousWindow);
  // A bucket a week earlier compares with the one at the same local clock time, not 168 hours
  // on: across a clock change the two differ by an hour. Where the later day skips that time
  // the earlier bucket lands on the next one, and adds to it.
  const previousByBucket = new Map<string, Sums>();
  for (const [bucket, sums] of previous?.byBucket ?? []) {
    const same = shiftLocalDays(new Date(bucket), 7, timezone).toISOString();
    previousByBucket.set(same, addSums(previousByBucket.get(same) ?? emptySums(), sums));
  }
  const withPrevious = (kpis: Kpis, sums: Sums | undefined): { kpis: Kpis; previous?: Kpis } =>
    previous ? { kpis, previous: computeKpis(columns, sums ?? emptySums()) } : { kpis };
  const importedIn = (sums: Sums | undefined) => (sums && sums.imported.intervals > 0 ? { importedIntervals: sums.imported.intervals } : {});

  const keys = [...new Set([...current.byKey.keys(), ...(previous?.byKey.keys() ?? [])])].sort();
  return {
    dimension: input.dimension,
    grain: input.grain,
    timezone,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    previousWindow: previousWindow ? { from: previousWindow.from.toISOString(), to: previousWindow.to.toISOString() } : null,
    columns,
    rows: keys.map((key) => ({
      key,
      label: labelOf(access, input.dimension, key),
      ...withPrevious(computeKpis(columns, current.byKey.get(key) ?? emptySums()), previous?.byKey.get(key)),
      ...importedIn(current.byKey.get(key)),
    })),
    total: { key: '', label: 'Total', ...withPrevious(computeKpis(columns, current.total), previous?.total), ...importedIn(current.total) },
    series: localBuckets(input.from, input.to, input.grain, timezone)
      .map((start) => start.toISOString())
      .map((bucket) => ({
        bucket,
        ...withPrevious(computeKpis(columns, current.byBucket.get(bucket) ?? emptySums()), previousByBucket.get(bucket)),
        ...importedIn(current.byBucket.get(bucket)),
      })),
  };
}
