import { schema } from '@switchboard/db';
import { z } from 'zod';

/** Intraday management: the day's gap and proposals for planners and supervisors; offers to each agent. */

export const IntradaySettings = z.object({ gapThreshold: z.number(), leadMinutes: z.number() });

export const Proposal = z.object({
  id: z.string(),
  kind: z.enum(schema.intradayProposalKinds),
  status: z.enum(schema.intradayProposalStatuses),
  start: z.string(),
  end: z.string(),
  agents: z.number(),
  taken: z.number(),
  gain: z.number(),
  moves: z.array(z.object({ agentName: z.string(), kind: z.enum(['break', 'lunch']), from: z.string(), to: z.string(), lengthMin: z.number() })),
  eligible: z.array(z.string()),
  refused: z.array(z.object({ agentName: z.string(), rule: z.string() })),
});

export const IntradayDay = z.object({
  date: z.string(),
  timezone: z.string(),
  now: z.string(),
  canDecide: z.boolean(),
  groups: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })),
  groupId: z.string().nullable(),
  run: z.object({ runAt: z.string(), runId: z.string() }).nullable(),
  intervals: z.array(
    z.object({
      start: z.string(),
      required: z.number(),
      scheduled: z.number(),
      excepted: z.number(),
      absent: z.number(),
      net: z.number(),
      gap: z.number(),
      forecast: z.number(),
      reforecast: z.number(),
      actual: z.number().nullable(),
    }),
  ),
  accuracy: z.object({ intervals: z.number(), forecastWape: z.number().nullable(), reforecastWape: z.number().nullable() }),
  proposals: z.array(Proposal),
  settings: IntradaySettings,
});

/** The offers open to the agent: how many are wanted and taken, whether they took one; never who else did. */
export const MyOffers = z.array(
  z.object({
    id: z.string(),
    kind: z.enum(['vto', 'overtime']),
    status: z.enum(['open', 'filled']),
    start: z.string(),
    end: z.string(),
    agents: z.number(),
    taken: z.number(),
    mine: z.boolean(),
  }),
);

export const OfferAnswer = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('accepted'), scheduleId: z.string() }),
  z.object({ outcome: z.enum(['closed', 'taken', 'already', 'not_eligible']) }),
]);
