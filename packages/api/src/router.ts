import { agentsRouter } from './routers/agents.ts';
import { planningRouter } from './routers/planning.ts';
import { interactionsRouter, reportsRouter } from './routers/reports.ts';
import { sessionRouter } from './routers/session.ts';
import { wallboardRouter } from './routers/wallboard.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  session: sessionRouter,
  wallboard: wallboardRouter,
  agents: agentsRouter,
  reports: reportsRouter,
  interactions: interactionsRouter,
  planning: planningRouter,
});

export type AppRouter = typeof appRouter;
