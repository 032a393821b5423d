import { AlertRuleInput } from '@switchboard/contracts';
import { z } from 'zod';
import { policies } from '../policy.ts';
import {
  AcknowledgeInput,
  acknowledgeIncident,
  IncidentsInput,
  listIncidents,
  listRules,
  removeRule,
  ResolveInput,
  resolveIncident,
  saveRule,
} from '../services/alerts.ts';
import { getWallboard } from '../services/wallboard.ts';
import { authorized, router } from '../trpc.ts';
import { AlertRule, Incident, IncidentPage, Wallboard } from '../outputs/wallboard.ts';
import { IdOnly } from '../outputs/shared.ts';

export const wallboardRouter = router({
  /** Queue tiles tenant-wide, the agent grid within the viewer's scope, the open incidents. Polled every few seconds. */
  snapshot: authorized(policies.supervisors)
    .output(Wallboard)
    .query(({ ctx }) => getWallboard(ctx.services, ctx.access)),

  alertRules: router({
    list: authorized(policies.supervisors)
      .output(z.array(AlertRule))
      .query(({ ctx }) => listRules(ctx.services, ctx.access)),
    save: authorized(policies.supervisors)
      .input(AlertRuleInput)
      .output(AlertRule)
      .mutation(({ ctx, input }) => saveRule(ctx.services, ctx.access, ctx.viewer.userId, input)),
    remove: authorized(policies.supervisors)
      .input(z.object({ id: z.uuid() }))
      .output(IdOnly)
      .mutation(({ ctx, input }) => removeRule(ctx.services, ctx.access, ctx.viewer.userId, input.id)),
  }),

  /** What the rules fired: open ones first, then the history; acknowledged and resolved by people. */
  incidents: router({
    list: authorized(policies.supervisors)
      .input(IncidentsInput)
      .output(IncidentPage)
      .query(({ ctx, input }) => listIncidents(ctx.services, ctx.access, input)),
    acknowledge: authorized(policies.supervisors)
      .input(AcknowledgeInput)
      .output(Incident)
      .mutation(({ ctx, input }) => acknowledgeIncident(ctx.services, ctx.access, ctx.viewer.userId, input)),
    resolve: authorized(policies.supervisors)
      .input(ResolveInput)
      .output(Incident)
      .mutation(({ ctx, input }) => resolveIncident(ctx.services, ctx.access, ctx.viewer.userId, input)),
  }),
});
