import { cohensKappa, fleissKappa, meanAbsoluteDeviation } from './agreement.ts';
import { scoreAnswers, type FormDefinition } from './form.ts';

/**
 * The results of a calibration session: per question every rater's answer side by side per interaction, the
 * agreement between raters (Cohen's kappa for two, Fleiss' for more, over the interactions all of them answered),
 * the spread of total scores (mean absolute deviation from each interaction's mean), and how far each rater is from
 * the lead: the share of their answers that differ from the lead's, and the mean distance of their total score.
 */

export interface CalibrationAnswer {
  rater: string;
  item: string;
  question: string;
  answer: string;
}

export interface CalibrationResults {
  questions: {
    id: string;
    /** Per interaction, each rater's answer (null: not answered). */
    answers: { item: string; byRater: Record<string, string | null> }[];
    kappa: number | null;
    method: 'cohen' | 'fleiss' | null;
    /** Interactions every rater answered: what the kappa is computed over. */
    items: number;
  }[];
  /** Per interaction, each rater's total score by the form. */
  scores: { item: string; byRater: Record<string, number | null> }[];
  scoreMad: number | null;
  raters: { id: string; differFromLead: number | null; scoreDistanceFromLead: number | null }[];
}

export function calibrationResults(
  form: FormDefinition,
  input: { items: readonly string[]; raters: readonly string[]; lead: string; answers: readonly CalibrationAnswer[] },
): CalibrationResults {
  const answerOf = new Map(input.answers.map((a) => [`${a.rater}\u0000${a.item}\u0000${a.question}`, a.answer]));
  const get = (rater: string, item: string, question: string) => answerOf.get(`${rater}\u0000${item}\u0000${question}`) ?? null;
  const questions = form.sections
    .flatMap((s) => s.questions)
    .map((q) => {
      const answers = input.items.map((item) => ({ item, byRater: Object.fromEntries(input.raters.map((r) => [r, get(r, item, q.id)])) }));
      const complete = answers.map((a) => input.raters.map((r) => a.byRater[r])).filter((row): row is string[] => row.every((x) => x !== null));
      const method = input.raters.length === 2 ? ('cohen' as const) : input.raters.length > 2 ? ('fleiss' as const) : null;
      const kappa =
        method === 'cohen'
          ? cohensKappa(
              complete.map((r) => r[0]!),
              complete.map((r) => r[1]!),
            )
          : method === 'fleiss'
            ? fleissKappa(complete)
            : null;
      return { id: q.id, answers, kappa, method, items: complete.length };
    });
  const scores = input.items.map((item) => ({
    item,
    byRater: Object.fromEntries(
      input.raters.map((r) => {
        const given = new Map(
          form.sections.flatMap((s) => s.questions).flatMap((q) => (get(r, item, q.id) === null ? [] : [[q.id, get(r, item, q.id)!] as const])),
        );
        return [r, given.size === 0 ? null : scoreAnswers(form, given).score];
      }),
    ),
  }));
  const scoreMad = meanAbsoluteDeviation(
    scores.map((s) => input.raters.map((r) => s.byRater[r])).filter((row): row is number[] => row.length > 1 && row.every((x) => x !== null)),
  );
  const raters = input.raters.map((id) => {
    let compared = 0;
    let differ = 0;
    for (const q of questions) {
      for (const a of q.answers) {
        const mine = a.byRater[id];
        const lead = a.byRater[input.lead];
        if (mine === null || mine === undefined || lead === null || lead === undefined) continue;
        compared += 1;
        if (mine !== lead) differ += 1;
      }
    }
    const distances = scores.flatMap((s) => {
      const mine = s.byRater[id];
      const lead = s.byRater[input.lead];
      return mine === null || mine === undefined || lead === null || lead === undefined ? [] : [Math.abs(mine - lead)];
    });
    return {
      id,
      differFromLead: compared === 0 ? null : differ / compared,
      scoreDistanceFromLead: distances.length === 0 ? null : distances.reduce((a, b) => a + b, 0) / distances.length,
    };
  });
  return { questions, scores, scoreMad, raters };
}
