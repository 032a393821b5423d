import { whoAmI } from '../services/schedules.ts';
import { authorized } from '../trpc.ts';

/**
 * Procedures an agent calls about themselves, with who they are (agent id, clock) in `ctx.me`. `panel`: the
 * embedded desktop panel's token may call it too.
 */
export function agentSelf(needs: { panel?: boolean } = {}) {
  return authorized({ agent: 'self' }, needs).use(async ({ ctx, next }) =>
    next({ ctx: { me: await whoAmI(ctx.services, ctx.access, ctx.viewer.agent?.key) } }),
  );
}
