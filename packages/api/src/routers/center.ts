import { policies } from '../policy.ts';
import { listCenterItems, RemoveCenterItemInput, removeCenterItemView, SaveCenterItemInput, saveCenterItemView } from '../services/center-admin.ts';
import { authorized, router } from '../trpc.ts';
import { CenterItemRemoved, CenterItems, CenterItemSaved } from '../outputs/admin.ts';

/** The center's configuration item by item (skills, teams, agents, queues, bots, intents). Tenant admins only; every change audited. */
export const centerRouter = router({
  /** Every list, with what uses each item and each agent's contract and queue's planning group. */
  list: authorized(policies.admins)
    .output(CenterItems)
    .query(({ ctx }) => listCenterItems(ctx.services, ctx.access)),

  /** Creates or updates one item under the import's rules; refused with its problems by field (400). */
  save: authorized(policies.admins)
    .input(SaveCenterItemInput)
    .output(CenterItemSaved)
    .mutation(({ ctx, input }) => saveCenterItemView(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** Removes a skill, team, bot or intent nothing uses (409 says what does); agents and queues stay, as history refers to them. */
  remove: authorized(policies.admins)
    .input(RemoveCenterItemInput)
    .output(CenterItemRemoved)
    .mutation(({ ctx, input }) => removeCenterItemView(ctx.services, ctx.access, ctx.viewer.userId, input)),
});
