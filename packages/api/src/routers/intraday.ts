import { policies } from '../policy.ts';
import {
  acceptOffer,
  decideProposal,
  getIntradayDayView,
  IntradayDayInput,
  IntradaySettingsInput,
  listMyOffers,
  OfferRef,
  ProposalDecisionInput,
  runIntradayNow,
  saveSettings,
} from '../services/intraday.ts';
import { whoAmI } from '../services/schedules.ts';
import { authorized, router } from '../trpc.ts';
import { IntradayDay, IntradaySettings, MyOffers, OfferAnswer, Proposal } from '../outputs/intraday.ts';
import { WorkflowRun } from '../outputs/shared.ts';

/** The agent taking offers: only an agent member, only for themselves. */
const agent = authorized({ agent: 'self' }).use(async ({ ctx, next }) => next({ ctx: { me: await whoAmI(ctx.services, ctx.access, ctx.viewer.agent?.key) } }));

export const intradayRouter = router({
  /** A planning group's day from the latest run: supervisors read it, planners and admins also decide. */
  day: authorized(policies.planningViewers)
    .input(IntradayDayInput)
    .output(IntradayDay)
    .query(({ ctx, input }) => getIntradayDayView(ctx.services, ctx.access, input, ctx.viewer.role in policies.planners)),
  run: authorized(policies.planners)
    .output(WorkflowRun)
    .mutation(({ ctx }) => runIntradayNow(ctx.services, ctx.access)),
  decide: authorized(policies.planners)
    .input(ProposalDecisionInput)
    .output(Proposal)
    .mutation(({ ctx, input }) => decideProposal(ctx.services, ctx.access, ctx.viewer.userId, input)),
  saveSettings: authorized(policies.planners)
    .input(IntradaySettingsInput)
    .output(IntradaySettings)
    .mutation(({ ctx, input }) => saveSettings(ctx.services, ctx.access, ctx.viewer.userId, input)),
  offers: agent.output(MyOffers).query(({ ctx }) => listMyOffers(ctx.services, ctx.access, ctx.me)),
  acceptOffer: agent
    .input(OfferRef)
    .output(OfferAnswer)
    .mutation(({ ctx, input }) => acceptOffer(ctx.services, ctx.access, ctx.me, ctx.viewer.userId, input)),
});
