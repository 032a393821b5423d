import { z } from 'zod';
import { policies } from '../policy.ts';
import {
  AdherenceReportInput,
  AdherenceSettingsInput,
  decideException,
  fileException,
  FileExceptionInput,
  GanttInput,
  getAdherenceMinutes,
  getAdherenceReport,
  getGantt,
  getMine,
  getRealtime,
  getSettings,
  ListExceptionsInput,
  listExceptions,
  MinutesInput,
  RealtimeInput,
  saveSettings,
} from '../services/adherence.ts';
import { authorized, router } from '../trpc.ts';
import { AdherenceException, AdherenceMinutes, AdherenceReport, AdherenceSettings, Gantt, MyAdherence, Realtime } from '../outputs/adherence.ts';

/** Who watches adherence: supervisors their teams, planners and admins the whole tenant. */
const watchers = { admin: 'tenant', supervisor: 'teams', planner: 'tenant' } as const;

export const adherenceRouter = router({
  /** Every agent in scope now: scheduled activity, actual state, out of adherence for how long; the worst first. */
  realtime: authorized(watchers)
    .input(RealtimeInput)
    .output(Realtime)
    .query(({ ctx, input }) => getRealtime(ctx.services, ctx.access, input)),
  /** A local day per agent: scheduled above actual, minutes out, exceptions. */
  gantt: authorized(watchers)
    .input(GanttInput)
    .output(Gantt)
    .query(({ ctx, input }) => getGantt(ctx.services, ctx.access, input)),
  report: authorized(watchers)
    .input(AdherenceReportInput)
    .output(AdherenceReport)
    .query(({ ctx, input }) => getAdherenceReport(ctx.services, ctx.access, input)),
  /** The judged minutes of one agent's shift day and the state events behind them; an agent their own. */
  minutes: authorized({ ...watchers, agent: 'self' })
    .input(MinutesInput)
    .output(AdherenceMinutes)
    .query(({ ctx, input }) => getAdherenceMinutes(ctx.services, ctx.access, input)),
  /** The agent's own widget on /me. */
  mine: authorized({ agent: 'self' }, { panel: true })
    .output(MyAdherence)
    .query(({ ctx }) => getMine(ctx.services, ctx.access, ctx.viewer.agent?.key)),
  settings: authorized(policies.planners)
    .output(AdherenceSettings)
    .query(({ ctx }) => getSettings(ctx.services, ctx.access)),
  saveSettings: authorized(policies.planners)
    .input(AdherenceSettingsInput)
    .output(AdherenceSettings)
    .mutation(({ ctx, input }) => saveSettings(ctx.services, ctx.access, ctx.viewer.userId, input)),

  exceptions: router({
    /** An agent for themselves, a supervisor for their teams' agents, an admin for anyone. */
    file: authorized({ admin: 'tenant', supervisor: 'teams', agent: 'self' })
      .input(FileExceptionInput)
      .output(AdherenceException)
      .mutation(({ ctx, input }) => fileException(ctx.services, ctx.access, ctx.viewer.userId, input)),
    list: authorized({ ...watchers, agent: 'self' })
      .input(ListExceptionsInput)
      .output(z.array(AdherenceException))
      .query(({ ctx, input }) => listExceptions(ctx.services, ctx.access, ctx.viewer.userId, input)),
    /** The supervisor of the agent's team, or an admin. */
    decide: authorized(policies.supervisors)
      .input(z.object({ id: z.uuid(), approve: z.boolean() }))
      .output(AdherenceException)
      .mutation(({ ctx, input }) => decideException(ctx.services, ctx.access, ctx.viewer.userId, input)),
  }),
});
