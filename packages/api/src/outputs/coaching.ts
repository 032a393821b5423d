import { CoachingRule as CoachingRuleInput } from '@switchboard/contracts';
import { z } from 'zod';
import { CoachingStatus } from './shared.ts';

/**
 * Coaching for coaches and for the coached agent (mine, assignment, ownLines, acknowledge). An assignment's stored
 * JSON (its evidence, outcome, tip and timeline details) reaches the service loosely typed: it is read field by
 * field here, so whatever else a run stores in it stays in the database.
 */
const storedJson = <T extends z.ZodType>(schema: T) => z.unknown().pipe(schema);

export const CoachingRule = CoachingRuleInput.extend({ id: z.string(), updatedAt: z.date() });

const Target = z.discriminatedUnion('type', [
  z.object({ type: z.literal('question'), questionId: z.string() }),
  z.object({ type: z.literal('metric'), metric: z.string() }),
]);

/** Why it was assigned: failed evaluations, or the weeks a KPI was past its threshold. */
const Evidence = z.object({
  kind: z.string(),
  evaluationIds: z.array(z.string()).optional(),
  weeks: z.array(z.object({ weekStart: z.string(), value: z.number(), threshold: z.number() })).optional(),
});

/** The measured effect (difference in differences against the comparison group), or why there is none. */
const Outcome = z.object({
  outcome: z.enum(['improved', 'no_change', 'worse', 'not_measured']),
  reason: z.string().optional(),
  metric: z.string().optional(),
  estimate: z.number().optional(),
  low: z.number().optional(),
  high: z.number().optional(),
  confidence: z.number().optional(),
  coachedAgents: z.number().optional(),
  comparisonAgents: z.number().optional(),
  excluded: z.object({ coached: z.number(), comparison: z.number() }).optional(),
  coachedChange: z.number().optional(),
  comparisonChange: z.number().optional(),
});

/** The agent's own lines a tip cites, by reference (coaching.ownLines reads their text). */
const OwnLineRef = z.object({ evaluationId: z.string(), interactionId: z.string(), segmentIndex: z.number(), start: z.number(), end: z.number() });

export const Assignment = z.object({
  id: z.string(),
  agentKey: z.string().nullable(),
  agentName: z.string(),
  teamKey: z.string().nullable(),
  teamName: z.string().nullable(),
  ruleId: z.string().nullable(),
  ruleName: z.string(),
  target: Target,
  targetLabel: z.string(),
  status: CoachingStatus,
  coachName: z.string().nullable(),
  createdAt: z.string(),
  dueAt: z.string(),
  deliveredAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  remindedAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  session: z.object({ minutes: z.number(), start: z.string().nullable(), end: z.string().nullable() }).nullable(),
  proposedSlots: z.array(z.object({ start: z.string(), end: z.string() })),
  measure: z.object({ from: z.string(), until: z.string() }).nullable(),
  outcome: storedJson(Outcome.nullable()),
  tip: z.object({
    headline: z.string(),
    body: z.string(),
    guidance: z.string().nullable(),
    ownLines: z.array(storedJson(OwnLineRef)),
    example: z.string().nullable(),
  }),
  evidence: storedJson(Evidence),
});

export const AssignmentDetail = Assignment.extend({
  timeline: z.array(
    z.object({
      at: z.string(),
      kind: z.string(),
      by: z.string().nullable(),
      detail: storedJson(
        z.object({
          rule: z.string().optional(),
          slots: z.number().optional(),
          until: z.string().optional(),
          outcome: z.string().optional(),
          start: z.string().optional(),
          end: z.string().optional(),
        }),
      ),
    }),
  ),
});

export const Assignments = z.object({ counts: z.record(CoachingStatus, z.number()), assignments: z.array(Assignment) });

export const CheckedRules = z.object({ assignments: z.number(), restarted: z.number(), skipped: z.array(z.string()) });

const Effect = z.object({
  label: z.string(),
  targetLabel: z.string(),
  target: Target,
  unit: z.enum(['seconds', 'count', 'ratio']),
  assignments: z.number(),
  improved: z.number(),
  shareImproved: z.number(),
  meanEffect: z.number(),
  low: z.number(),
  high: z.number(),
});
export const CoachingEffects = z.object({ measured: z.number(), notMeasured: z.number(), byRule: z.array(Effect), byCoach: z.array(Effect) });

export const StatusOnly = z.object({ status: CoachingStatus });
export const Acknowledged = z.object({ status: CoachingStatus, acknowledgedAt: z.string().nullable() });

/** The cited lines' text (null once the transcript is no longer stored). */
export const OwnLines = z.array(z.object({ evaluationId: z.string(), segmentIndex: z.number(), text: z.string().nullable() }));
