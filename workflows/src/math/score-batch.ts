import { scoreInteraction, type FormDefinition, type ScoredAnswer, type ScoringInput } from '@switchboard/quality';

export interface ScoredInteraction {
  answers: ScoredAnswer[];
  score: number | null;
  failedCritical: boolean;
}

/** Scores interactions by one form: pure, run in a worker thread so ingest and the wallboards never wait behind it. */
export function scoreBatch(input: { form: FormDefinition; interactions: readonly ScoringInput[] }): ScoredInteraction[] {
  return input.interactions.map((interaction) => scoreInteraction(input.form, interaction));
}
