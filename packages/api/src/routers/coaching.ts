import { CoachingRule } from '@switchboard/contracts';
import { z } from 'zod';
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
import {
  Acknowledged,
  Assignment,
  AssignmentDetail,
  Assignments,
  CheckedRules,
  CoachingEffects,
  CoachingRule as CoachingRuleRow,
  OwnLines,
  StatusOnly,
} from '../outputs/coaching.ts';

/** Supervisors (their teams' agents), analysts and admins run coaching; rules are the tenant's, edited by any of them. */
const coaches = authorized(policies.quality);
/** The agent reading and acknowledging their own, in /desktop too. */
const agent = agentSelf({ panel: true });

export const coachingRouter = router({
  rules: coaches.output(z.array(CoachingRuleRow)).query(({ ctx }) => listRules(ctx.services, ctx.access)),
  saveRule: coaches
    .input(CoachingRule)
    .output(CoachingRuleRow)
    .mutation(({ ctx, input }) => saveRule(ctx.services, ctx.access, ctx.viewer.userId, input)),
  deleteRule: coaches
    .input(RuleRef)
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => deleteRule(ctx.services, ctx.access, ctx.viewer.userId, input)),
  checkNow: coaches.output(CheckedRules).mutation(({ ctx }) => checkRulesNow(ctx.services, ctx.access)),
  assignments: coaches
    .input(AssignmentsInput)
    .output(Assignments)
    .query(({ ctx, input }) => listAssignments(ctx.services, ctx.access, input)),
  assignment: authorized({ ...policies.quality, agent: 'self' })
    .input(AssignmentRef)
    .output(AssignmentDetail)
    .query(({ ctx, input }) => getAssignment(ctx.services, ctx.access, input)),
  assign: coaches
    .input(ManualAssignmentInput)
    .output(Assignment)
    .mutation(({ ctx, input }) => assignManually(ctx.services, ctx.access, ctx.viewer.userId, input)),
  cancel: coaches
    .input(AssignmentRef)
    .output(StatusOnly)
    .mutation(({ ctx, input }) => cancelAssignment(ctx.services, ctx.access, ctx.viewer.userId, input)),
  bookSlot: coaches
    .input(BookSlotInput)
    .output(z.object({ requested: z.boolean() }))
    .mutation(({ ctx, input }) => bookProposedSlot(ctx.services, ctx.access, ctx.viewer.userId, input)),
  effects: coaches.output(CoachingEffects).query(({ ctx }) => getEffects(ctx.services, ctx.access)),
  mine: agent.output(z.array(Assignment)).query(({ ctx }) => listMine(ctx.services, ctx.access, ctx.me.agentId)),
  /** The tip's own lines as the agent said them, read from the stored transcripts (null once no longer stored). */
  ownLines: agent
    .input(AssignmentRef)
    .output(OwnLines)
    .query(({ ctx, input }) => getOwnLines(ctx.services, ctx.access, ctx.viewer.userId, ctx.me.agentId, input)),
  acknowledge: agent
    .input(AssignmentRef)
    .output(Acknowledged)
    .mutation(({ ctx, input }) => acknowledgeAssignment(ctx.services, ctx.access, ctx.viewer.userId, ctx.me.agentId, input)),
});
