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

/** Who watches adherence: supervisors their teams, planners and admins the whole tenant. */
const watchers = { admin: 'tenant', supervisor: 'teams', planner: 'tenant' } as const;

export const adherenceRouter = router({
  /** Every agent in scope now: scheduled activity, actual state, out of adherence for how long; the worst first. */
  realtime: authorized(watchers)
    .input(RealtimeInput)
    .query(({ ctx, input }) => getRealtime(ctx.services, ctx.access, input)),
  /** A local day per agent: scheduled above actual, minutes out, exceptions. */
  gantt: authorized(watchers)
    .input(GanttInput)
    .query(({ ctx, input }) => getGantt(ctx.services, ctx.access, input)),
  report: authorized(watchers)
    .input(AdherenceReportInput)
    .query(({ ctx, input }) => getAdherenceReport(ctx.services, ctx.access, input)),
  /** The judged minutes of one agent's shift day and the state events behind them; an agent their own. */
  minutes: authorized({ ...watchers, agent: 'self' })
    .input(MinutesInput)
    .query(({ ctx, input }) => getAdherenceMinutes(ctx.services, ctx.access, input)),
  /** The agent's own widget on /me. */
  mine: authorized({ agent: 'self' }, { panel: true }).query(({ ctx }) => getMine(ctx.services, ctx.access, ctx.viewer.agent?.key)),
  settings: authorized(policies.planners).query(({ ctx }) => getSettings(ctx.services, ctx.access)),
  saveSettings: authorized(policies.planners)
    .input(AdherenceSettingsInput)
    .mutation(({ ctx, input }) => saveSettings(ctx.services, ctx.access, ctx.viewer.userId, input)),

  exceptions: router({
    /** An agent for themselves, a supervisor for their teams' agents, an admin for anyone. */
    file: authorized({ admin: 'tenant', supervisor: 'teams', agent: 'self' })
      .input(FileExceptionInput)
      .mutation(({ ctx, input }) => fileException(ctx.services, ctx.access, ctx.viewer.userId, input)),
    list: authorized({ ...watchers, agent: 'self' })
      .input(ListExceptionsInput)
      .query(({ ctx, input }) => listExceptions(ctx.services, ctx.access, ctx.viewer.userId, input)),
    /** The supervisor of the agent's team, or an admin. */
    decide: authorized(policies.supervisors)
      .input(z.object({ id: z.uuid(), approve: z.boolean() }))
      .mutation(({ ctx, input }) => decideException(ctx.services, ctx.access, ctx.viewer.userId, input)),
  }),
});
