import { z } from 'zod';

export const speakers = ['agent', 'customer', 'bot'] as const;
export type Speaker = (typeof speakers)[number];

const TranscriptSegment = z.object({
  speaker: z.enum(speakers),
  start_ms: z.number().int().nonnegative(),
  end_ms: z.number().int().nonnegative(),
  text: z.string().max(20_000),
});
type TranscriptSegment = z.infer<typeof TranscriptSegment>;

const Hold = z.object({ start_ms: z.number().int().nonnegative(), end_ms: z.number().int().nonnegative() }).refine((h) => h.end_ms >= h.start_ms, {
  message: 'a hold ends before it starts',
  path: ['end_ms'],
});

/**
 * What the scorer reads of one interaction: its transcript and holds (the CLI's input line), and, in the product,
 * what the stored events add (transfers, wrap-up, talk time).
 */
export const ScoringInput = z.object({
  interaction_id: z.string().min(1).max(200),
  channel: z.enum(['voice', 'chat', 'email', 'sms', 'social']),
  segments: z.array(TranscriptSegment).max(5_000),
  holds: z.array(Hold).max(500).default([]),
  metadata: z
    .object({
      talk_s: z.number().nonnegative().optional(),
      wrap_up_s: z.number().nonnegative().optional(),
      transfers: z.number().int().nonnegative().optional(),
      silence_s: z.number().nonnegative().optional(),
    })
    .default({}),
});
export type ScoringInput = z.infer<typeof ScoringInput>;

/** A place in the transcript an answer rests on: words of a segment, a hold, or an interaction event. */
export type Evidence = { segment_index: number; start: number; end: number } | { hold_index: number } | { event: string };
