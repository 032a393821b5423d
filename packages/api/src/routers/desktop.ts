import { getMyKpis } from '../services/desktop.ts';
import { authorized, router } from '../trpc.ts';
import { DesktopKpis } from '../outputs/reports.ts';

/** What only the agent's desktop panel reads: an agent member, about themselves. */
export const desktopRouter = router({
  kpis: authorized({ agent: 'self' }, { panel: true })
    .output(DesktopKpis)
    .query(({ ctx }) => getMyKpis(ctx.services, ctx.access, ctx.viewer.agent?.key)),
});
