import { localDateOf, localDay } from '@switchboard/calendar';
import { agentWorkSums, queueKpis, surveyKpis } from '@switchboard/kpis';
import { getAgentReport, getSurveySums, type AgentReportRow, type SurveySumsRow } from '@switchboard/telemetry';
import type { ApiServices } from '../context.ts';
import { notFound, type Access } from '../trpc.ts';

/**
 * The agent desktop panel's own figures: the agent's KPIs of today beside their team's aggregate (summed over the
 * team, one figure each: never another agent's), defined by the KPI catalogue.
 */

/**
 * A team figure with fewer colleagues behind it than this is withheld (null): the agent's own figures taken from it
 * would leave one or two colleagues' figures.
 */
const MIN_COLLEAGUES = 3;

function figures(rows: readonly AgentReportRow[], surveys: readonly SurveySumsRow[]) {
  const sums = agentWorkSums(rows);
  const csat = { csat_responses: 0, csat_satisfied: 0, csat_sum: 0 };
  for (const r of surveys) for (const k of Object.keys(csat) as (keyof typeof csat)[]) csat[k] += r[k];
  return {
    handled: sums.handled,
    aht_s: queueKpis.aht_s.compute(sums),
    hold_rate: queueKpis.hold_rate.compute(sums),
    transfer_rate: queueKpis.transfer_rate.compute(sums),
    csat: surveyKpis.csat.compute(csat),
  };
}

export async function getMyKpis(services: ApiServices, access: Access, agentKey: string | undefined) {
  const me = access.directory.agents.find((a) => a.key === agentKey);
  if (!me) throw notFound('agent');
  const now = services.now();
  const timezone = access.directory.timezone;
  const from = localDay(localDateOf(now, timezone), timezone).from;
  const team = access.directory.agents.filter((a) => a.teamId === me.teamId).map((a) => a.key);
  const [rows, surveys] = await Promise.all([
    getAgentReport(services.telemetry, { tenantId: access.tenantId, from, to: now, grain: 'day', timezone, agentIds: team }),
    getSurveySums(services.telemetry, { tenantId: access.tenantId, from, to: now }),
  ]);
  const current = rows.filter((r) => !r.previous);
  const teamSurveys = surveys.filter((s) => !s.previous && team.includes(s.agent_id));
  const enough = (agentIds: string[]) => new Set(agentIds.filter((id) => id !== me.key)).size >= MIN_COLLEAGUES;
  const teamFigures = figures(current, teamSurveys);
  const work = enough(current.filter((r) => r.answered + r.handled > 0).map((r) => r.agent_id));
  const surveyed = enough(teamSurveys.filter((s) => s.csat_responses > 0).map((s) => s.agent_id));
  return {
    since: from.toISOString(),
    teamName: me.teamName,
    mine: figures(
      current.filter((r) => r.agent_id === me.key),
      teamSurveys.filter((s) => s.agent_id === me.key),
    ),
    team: {
      agents: team.length,
      handled: work ? teamFigures.handled : null,
      aht_s: work ? teamFigures.aht_s : null,
      hold_rate: work ? teamFigures.hold_rate : null,
      transfer_rate: work ? teamFigures.transfer_rate : null,
      csat: surveyed ? teamFigures.csat : null,
    },
  };
}
