import { alertSubjectKind } from '@switchboard/contracts';
import { getAlertMemory, applyAlertChanges, listPlanningGroups, type AlertChanges, type AlertIncident, type AlertRule, type Directory } from '@switchboard/db';
import { getCurrentStaffingGaps } from '@switchboard/telemetry';
import { stepAlert, type AlertFigures, type AlertState } from '@switchboard/kpis';
import type { ApiServices } from '../context.ts';
import type { Access } from '../trpc.ts';
import { getRealtime } from './adherence.ts';
import { emitAlertEvent, queueSubject, subjectsOf, teamSubject } from './alerts.ts';
import { getLiveQueueFigures } from './wallboard.ts';

/**
 * One evaluation of a tenant's alert rules, run by the host every few seconds whether or not
 * anyone looks (packages/host alert-evaluator.ts): the live figures of every watched queue
 * and team, one hysteresis step per rule and subject (stepAlert), the states kept in
 * Postgres for the next run, incidents opened and ended, each announced by webhook.
 */

export interface AlertEvaluation {
  fired: AlertIncident[];
  cleared: AlertIncident[];
}

/** Queue figures from the wallboard's shared live load, so evaluating adds almost nothing to it. */
async function queueFigures(services: ApiServices, tenantId: string, directory: Directory, withGaps: boolean): Promise<Map<string, AlertFigures>> {
  const figures = new Map<string, AlertFigures>();
  const short = withGaps ? await agentsShortByQueue(services, tenantId, directory) : new Map<string, number>();
  for (const [key, q] of await getLiveQueueFigures(services, tenantId, directory)) {
    figures.set(queueSubject(key), {
      agents_short: short.get(key) ?? null,
      service_level_30m: q.last30.serviceLevel,
      service_level_today: q.today.serviceLevel,
      longest_wait_s: q.longestWaitS,
      waiting: q.waiting,
      abandon_rate_today: q.today.abandonRate,
    });
  }
  return figures;
}

/** Agents short now in each queue's planning group, from the intraday loop's latest run (queues of no group: none). */
async function agentsShortByQueue(services: ApiServices, tenantId: string, directory: Directory): Promise<Map<string, number>> {
  const [groups, gaps] = await Promise.all([
    listPlanningGroups(services.db, tenantId),
    getCurrentStaffingGaps(services.telemetry, { tenantId, at: services.now() }),
  ]);
  const out = new Map<string, number>();
  for (const group of groups) {
    const gap = gaps.get(group.key);
    if (gap === undefined) continue;
    for (const queue of directory.queues) if (group.queueIds.includes(queue.id) && !out.has(queue.key)) out.set(queue.key, Math.max(0, -gap));
  }
  return out;
}

/** Each watched team's real-time adherence: agents out of adherence past their grace now, and adherence today so far. */
async function teamFigures(services: ApiServices, tenantId: string, directory: Directory, teamKeys: ReadonlySet<string>): Promise<Map<string, AlertFigures>> {
  const access: Access = { tenantId, scope: 'tenant', agentKeys: null, directory };
  const figures = new Map<string, AlertFigures>();
  for (const key of teamKeys) {
    // A team without agents has nobody out of adherence and no adherence to speak of.
    if (!directory.agents.some((a) => a.teamKey === key)) {
      figures.set(teamSubject(key), { agents_out_of_adherence: 0, adherence_today: null });
      continue;
    }
    const realtime = await getRealtime(services, access, { teamKey: key });
    figures.set(teamSubject(key), { agents_out_of_adherence: realtime.counts.out, adherence_today: realtime.today.adherence });
  }
  return figures;
}

/** The rule's own figures, as an incident keeps them. */
function valuesOf(rule: AlertRule, figures: AlertFigures): AlertIncident['values'] {
  return Object.fromEntries(rule.conditions.map((c) => [c.metric, figures[c.metric] ?? null]));
}

/**
 * Steps every enabled rule for every subject it watches and writes the outcome. Incidents whose
 * rule is disabled, or no longer watches their subject, end here too. Two evaluations of one
 * tenant at once open and end each incident once (applyAlertChanges); the host still runs one
 * at a time per tenant.
 */
export async function evaluateTenantAlerts(services: ApiServices, tenantId: string): Promise<AlertEvaluation> {
  const [memory, directory] = await Promise.all([getAlertMemory(services.db, tenantId), services.directory.get(tenantId)]);
  if (!directory) return { fired: [], cleared: [] };
  const now = services.now();
  const rules = memory.rules.filter((r) => r.enabled);
  const watched = rules.map((rule) => ({ rule, subjects: subjectsOf(rule, directory) }));
  const teamKeys = new Set(
    watched.filter((w) => alertSubjectKind(w.rule.conditions) === 'team').flatMap((w) => w.subjects.map((s) => s.slice('team:'.length))),
  );
  const [queues, teams] = await Promise.all([
    watched.some((w) => alertSubjectKind(w.rule.conditions) === 'queue')
      ? queueFigures(
          services,
          tenantId,
          directory,
          rules.some((r) => r.conditions.some((c) => c.metric === 'agents_short')),
        )
      : new Map<string, AlertFigures>(),
    teamKeys.size > 0 ? teamFigures(services, tenantId, directory, teamKeys) : new Map<string, AlertFigures>(),
  ]);

  const key = (ruleId: string, subject: string) => `${ruleId}/${subject}`;
  const stored = new Map(memory.states.map((s) => [key(s.ruleId, s.subject), s]));
  const open = new Map(memory.open.map((i) => [key(i.ruleId, i.subject), i]));
  const changes: AlertChanges = { states: [], fire: [], clear: [] };
  const stillWatched = new Set<string>();
  for (const { rule, subjects } of watched) {
    for (const subject of subjects) {
      const k = key(rule.id, subject);
      stillWatched.add(k);
      const figures = queues.get(subject) ?? teams.get(subject) ?? {};
      const s = stored.get(k);
      const incident = open.get(k);
      const previous: AlertState = {
        firing: incident !== undefined,
        breachingSince: s?.breachingSince?.getTime() ?? null,
        recoveringSince: s?.recoveringSince?.getTime() ?? null,
      };
      const { state, transition } = stepAlert(previous, figures, rule, now.getTime());
      if (transition === 'fire') changes.fire.push({ ruleId: rule.id, subject, severity: rule.severity, values: valuesOf(rule, figures), firedAt: now });
      if (transition === 'clear' && incident) changes.clear.push({ id: incident.id, clearedAt: now });
      if (state.breachingSince !== null || state.recoveringSince !== null) {
        const at = (ms: number | null) => (ms === null ? null : new Date(ms));
        changes.states.push({ ruleId: rule.id, subject, breachingSince: at(state.breachingSince), recoveringSince: at(state.recoveringSince) });
      }
    }
  }
  for (const [k, incident] of open) if (!stillWatched.has(k)) changes.clear.push({ id: incident.id, clearedAt: now });

  const result = await applyAlertChanges(services.db, tenantId, changes);
  if (result.fired.length + result.cleared.length > 0) {
    // The wallboards show the new incidents from their next poll.
    services.live.invalidate(tenantId);
    const names = new Map(memory.rules.map((r) => [r.id, r.name]));
    for (const incident of result.fired) await emitAlertEvent(services, tenantId, 'alert.fired', incident, names.get(incident.ruleId) ?? '');
    for (const incident of result.cleared) await emitAlertEvent(services, tenantId, 'alert.cleared', incident, names.get(incident.ruleId) ?? '');
  }
  return result;
}
