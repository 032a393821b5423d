import { deleteAlertRule, listAlertRules, saveAlertRule, schema } from '@switchboard/db';
import { z } from 'zod';
import { policies } from '../policy.ts';
import { getWallboard } from '../services/wallboard.ts';
import { authorized, notFound, router } from '../trpc.ts';

const AlertRuleInput = z
  .object({
    id: z.uuid().optional(),
    queueId: z.uuid().nullable(),
    metric: z.enum(schema.alertMetrics),
    comparator: z.enum(schema.alertComparators),
    threshold: z.number().finite().min(0),
    severity: z.enum(schema.alertSeverities),
  })
  .refine((r) => !(r.metric.startsWith('service_level') || r.metric.startsWith('abandon_rate')) || r.threshold <= 1, {
    message: 'rates are fractions between 0 and 1 (0.8 for 80%)',
    path: ['threshold'],
  });

export const wallboardRouter = router({
  /** Queue tiles tenant-wide, the agent grid within the viewer's scope. Polled every few seconds. */
  snapshot: authorized(policies.supervisors).query(({ ctx }) => getWallboard(ctx.services, ctx.access)),

  alertRules: router({
    list: authorized(policies.supervisors).query(({ ctx }) => listAlertRules(ctx.services.db, ctx.access.tenantId)),
    save: authorized(policies.supervisors)
      .input(AlertRuleInput)
      .mutation(async ({ ctx, input }) => {
        const saved = await saveAlertRule(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input);
        if (!saved) throw notFound(input.id ? 'alert rule' : 'queue');
        ctx.services.live.invalidate(ctx.access.tenantId);
        return saved;
      }),
    remove: authorized(policies.supervisors)
      .input(z.object({ id: z.uuid() }))
      .mutation(async ({ ctx, input }) => {
        if (!(await deleteAlertRule(ctx.services.db, ctx.access.tenantId, input.id))) throw notFound('alert rule');
        ctx.services.live.invalidate(ctx.access.tenantId);
        return { id: input.id };
      }),
  }),
});
