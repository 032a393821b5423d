import { botKpis, type BotSums } from '@switchboard/kpis';
import { getBotIntentReport, reportGrains } from '@switchboard/telemetry';
import { z } from 'zod';
import type { ApiServices } from '../context.ts';
import type { Access } from '../trpc.ts';
import { daysBetween, localBuckets, localDateSpan } from '@switchboard/calendar';

export const BotReportInput = z
  .object({ from: z.iso.date(), to: z.iso.date(), grain: z.enum(reportGrains).default('day') })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
  .refine((r) => daysBetween(r.from, r.to) + 1 <= 400, { message: 'a report covers at most 400 days', path: ['from'] });

const empty = (): BotSums => ({ sessions: 0, contained: 0, escalated: 0, abandoned: 0, turns_sum: 0, duration_ms_sum: 0 });
function add(a: BotSums, b: BotSums): BotSums {
  return {
    sessions: a.sessions + b.sessions,
    contained: a.contained + b.contained,
    escalated: a.escalated + b.escalated,
    abandoned: a.abandoned + b.abandoned,
    turns_sum: a.turns_sum + b.turns_sum,
    duration_ms_sum: a.duration_ms_sum + b.duration_ms_sum,
  };
}
const kpisOf = (s: BotSums) => ({
  sessions: s.sessions,
  contained: s.contained,
  escalated: s.escalated,
  abandoned: s.abandoned,
  containment: botKpis.containment.compute(s),
  escalationRate: botKpis.escalation_rate.compute(s),
  abandonRate: botKpis.bot_abandon_rate.compute(s),
  avgTurns: botKpis.avg_turns.compute(s),
});

/** Self-service: containment, escalation reasons and abandonment per intent, with a trend per bucket. */
export async function getBotReport(services: ApiServices, access: Access, input: z.infer<typeof BotReportInput>) {
  const timezone = access.directory.timezone;
  const window = localDateSpan(input.from, input.to, timezone);
  const rows = await getBotIntentReport(services.telemetry, { tenantId: access.tenantId, ...window, grain: input.grain, timezone });
  const byIntent = new Map<string, BotSums>();
  const byBucket = new Map<string, BotSums>();
  const reasons = new Map<string, Map<string, number>>();
  let total = empty();
  for (const r of rows) {
    byIntent.set(r.intent, add(byIntent.get(r.intent) ?? empty(), r));
    byBucket.set(r.bucket, add(byBucket.get(r.bucket) ?? empty(), r));
    total = add(total, r);
    if (r.escalated > 0) {
      const perIntent = reasons.get(r.intent) ?? new Map<string, number>();
      perIntent.set(r.escalation_reason, (perIntent.get(r.escalation_reason) ?? 0) + r.escalated);
      reasons.set(r.intent, perIntent);
    }
  }
  const labels = new Map(access.directory.intents.map((i) => [i.key, i.label]));
  const allReasons = new Map<string, number>();
  for (const perIntent of reasons.values()) for (const [reason, n] of perIntent) allReasons.set(reason, (allReasons.get(reason) ?? 0) + n);
  return {
    timezone,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    total: kpisOf(total),
    intents: [...byIntent]
      .map(([intent, sums]) => ({
        intent,
        label: intent ? (labels.get(intent) ?? intent) : '(no intent recognised)',
        ...kpisOf(sums),
        reasons: [...(reasons.get(intent) ?? [])].map(([reason, escalated]) => ({ reason, escalated })).sort((a, b) => b.escalated - a.escalated),
      }))
      .sort((a, b) => b.sessions - a.sessions),
    reasons: [...allReasons].map(([reason, escalated]) => ({ reason, escalated })).sort((a, b) => b.escalated - a.escalated),
    series: localBuckets(input.from, input.to, input.grain, timezone).map((start) => {
      const bucket = start.toISOString();
      return { bucket, ...kpisOf(byBucket.get(bucket) ?? empty()) };
    }),
  };
}
