import { policies } from '../policy.ts';
import { BotReportInput, getBotReport } from '../services/bots.ts';
import { DrillInput, getInteractionsBehind, getInteractionTimeline, TimelineInput } from '../services/interactions.ts';
import { getReport, ReportInput } from '../services/reports.ts';
import { authorized, router } from '../trpc.ts';
import { BotReport, Drill, Report, Timeline } from '../outputs/reports.ts';

export const reportsRouter = router({
  /** Historical KPIs by queue, channel, team or agent; agent rows narrowed to the viewer's scope. */
  run: authorized(policies.reports)
    .input(ReportInput)
    .output(Report)
    .query(({ ctx, input }) => getReport(ctx.services, ctx.access, input)),
  /** The events (and interactions) behind one reported number. */
  drill: authorized(policies.reports)
    .input(DrillInput)
    .output(Drill)
    .query(({ ctx, input }) => getInteractionsBehind(ctx.services, ctx.access, input)),
  /** Self-service analytics per intent. */
  bots: authorized(policies.reports)
    .input(BotReportInput)
    .output(BotReport)
    .query(({ ctx, input }) => getBotReport(ctx.services, ctx.access, input)),
});

export const interactionsRouter = router({
  /** One interaction's timeline; an agent only for interactions they took part in. */
  timeline: authorized({ admin: 'tenant', supervisor: 'tenant', analyst: 'tenant', agent: 'self' })
    .input(TimelineInput)
    .output(Timeline)
    .query(({ ctx, input }) => getInteractionTimeline(ctx.services, ctx.access, ctx.viewer.userId, input)),
});
