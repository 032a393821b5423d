import { z } from 'zod';
import { recordAudit } from '@switchboard/db';
import { router, authorized } from '../trpc.ts';
import { policies } from '../policy.ts';
import { SessionMe } from '../outputs/reports.ts';
import { Ok } from '../outputs/shared.ts';

export const sessionRouter = router({
  /** Who is signed in, their role and scope: the app picks the landing page from it. */
  me: authorized(policies.everyMember, { panel: true })
    .output(SessionMe)
    .query(({ ctx }) => {
      const { viewer, access } = ctx;
      const teams = access.directory.teams.filter((t) => viewer.teamIds.includes(t.id)).map((t) => ({ id: t.id, name: t.name }));
      const agent = viewer.agent ? access.directory.agents.find((a) => a.id === viewer.agent?.id) : undefined;
      return {
        userId: viewer.userId,
        name: viewer.name,
        role: viewer.role,
        qualityLead: viewer.qualityLead,
        scope: access.scope,
        timezone: access.directory.timezone,
        teams,
        agent: agent ? { key: agent.key, name: agent.displayName, team: agent.teamName } : null,
      };
    }),

  /**
   * Records an export in the audit trail: exports are made in the browser from data already
   * shown, so the page reports them. `what` names the table (never its content).
   */
  recordExport: authorized(policies.everyMember)
    .input(z.object({ what: z.string().trim().min(1).max(100), format: z.enum(['csv', 'arrow']), rows: z.int().min(0) }))
    .output(Ok)
    .mutation(async ({ ctx, input }) => {
      await recordAudit(ctx.services.db, {
        tenantId: ctx.viewer.tenantId,
        userId: ctx.viewer.userId,
        action: `export.${input.format}`,
        objectType: 'export',
        objectId: `${input.what} (${input.rows} rows)`,
      });
      return { ok: true };
    }),
});
