import { CoachingRule } from '@switchboard/contracts';
import { policies } from '../policy.ts';
import {
  acknowledgeAssignment,
  assignManually,
  AssignmentRef,
  AssignmentsInput,
  bookProposedSlot,
  BookSlotInput,
  cancelAssignment,
  checkRulesNow,
  deleteRule,
  getAssignment,
  getEffects,
  getOwnLines,
  listAssignments,
  listMine,
  listRules,
  ManualAssignmentInput,
  RuleRef,
  saveRule,
} from '../services/coaching.ts';
import { authorized, router } from '../trpc.ts';
import { agentSelf } from './agent-self.ts';

/** Supervisors (their teams' agents), analysts and admins run coaching; rules are the tenant's, edited by any of them. */
const coaches = authorized(policies.quality);
/** The agent reading and acknowledging their own, in /desktop too. */
const agent = agentSelf({ panel: true });

export const coachingRouter = router({
  rules: coaches.query(({ ctx }) => listRules(ctx.services, ctx.access)),
  saveRule: coaches.input(CoachingRule).mutation(({ ctx, input }) => saveRule(ctx.services, ctx.access, ctx.viewer.userId, input)),
  deleteRule: coaches.input(RuleRef).mutation(({ ctx, input }) => deleteRule(ctx.services, ctx.access, ctx.viewer.userId, input)),
  checkNow: coaches.mutation(({ ctx }) => checkRulesNow(ctx.services, ctx.access)),
  assignments: coaches.input(AssignmentsInput).query(({ ctx, input }) => listAssignments(ctx.services, ctx.access, input)),
  assignment: authorized({ ...policies.quality, agent: 'self' })
    .input(AssignmentRef)
    .query(({ ctx, input }) => getAssignment(ctx.services, ctx.access, input)),
  assign: coaches.input(ManualAssignmentInput).mutation(({ ctx, input }) => assignManually(ctx.services, ctx.access, ctx.viewer.userId, input)),
  cancel: coaches.input(AssignmentRef).mutation(({ ctx, input }) => cancelAssignment(ctx.services, ctx.access, ctx.viewer.userId, input)),
  bookSlot: coaches.input(BookSlotInput).mutation(({ ctx, input }) => bookProposedSlot(ctx.services, ctx.access, ctx.viewer.userId, input)),
  effects: coaches.query(({ ctx }) => getEffects(ctx.services, ctx.access)),
  mine: agent.query(({ ctx }) => listMine(ctx.services, ctx.access, ctx.me.agentId)),
  /** The tip's own lines as the agent said them, read from the stored transcripts (null once no longer stored). */
  ownLines: agent.input(AssignmentRef).query(({ ctx, input }) => getOwnLines(ctx.services, ctx.access, ctx.viewer.userId, ctx.me.agentId, input)),
  acknowledge: agent
    .input(AssignmentRef)
    .mutation(({ ctx, input }) => acknowledgeAssignment(ctx.services, ctx.access, ctx.viewer.userId, ctx.me.agentId, input)),
});
