import { z } from 'zod';
import { policies } from '../policy.ts';
import { getAgentDay } from '../services/agent-day.ts';
import { authorized, notFound, router } from '../trpc.ts';
import { AgentDay } from '../outputs/reports.ts';

const AgentKey = z.string().min(1).max(64);

export const agentsRouter = router({
  /** One agent's day so far. An agent may omit the key (themselves) and may not name another. */
  day: authorized(policies.everyMember)
    .input(z.object({ agentKey: AgentKey.optional() }))
    .output(AgentDay)
    .query(({ ctx, input }) => {
      const key = input.agentKey ?? ctx.viewer.agent?.key;
      if (!key) throw notFound('agent');
      return getAgentDay(ctx.services, ctx.access, key);
    }),
});
