import { adherenceRouter } from './routers/adherence.ts';
import { adminRouter } from './routers/admin.ts';
import { agentsRouter } from './routers/agents.ts';
import { coachingRouter } from './routers/coaching.ts';
import { desktopRouter } from './routers/desktop.ts';
import { intradayRouter } from './routers/intraday.ts';
import { meRouter } from './routers/me.ts';
import { planningRouter } from './routers/planning.ts';
import { qualityRouter } from './routers/quality.ts';
import { interactionsRouter, reportsRouter } from './routers/reports.ts';
import { schedulesRouter } from './routers/schedules.ts';
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
  schedules: schedulesRouter,
  quality: qualityRouter,
  me: meRouter,
  admin: adminRouter,
  adherence: adherenceRouter,
  intraday: intradayRouter,
  coaching: coachingRouter,
  desktop: desktopRouter,
});

export type AppRouter = typeof appRouter;
