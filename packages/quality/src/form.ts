import { z } from 'zod';
import { answerByRule, AutoRuleSchema, checkRule, type AutoAnswer } from './rules.ts';
import type { ScoringInput } from './transcript.ts';

/**
 * Evaluation forms: sections of questions (yes/no with or without N/A, a scale, or a choice of options worth
 * points), each with a weight, maybe critical (a "no" fails the whole evaluation), maybe shown only when another
 * question has a given answer, with guidance for the analyst and maybe a rule that answers it automatically.
 */

const QuestionId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, starting with a letter');

const QuestionSchema = z
  .object({
    id: QuestionId,
    text: z.string().trim().min(1).max(500),
    guidance: z.string().max(4000).default(''),
    type: z.enum(['yes_no', 'scale', 'choice']),
    /** yes/no questions: whether N/A is an answer (then excluded from the score). */
    allowNa: z.boolean().default(false),
    scale: z.object({ min: z.int(), max: z.int() }).optional(),
    options: z
      .array(z.object({ value: z.string().trim().min(1).max(100), label: z.string().trim().min(1).max(200), points: z.number().min(0).max(1) }))
      .min(2)
      .optional(),
    weight: z.number().positive().max(100),
    critical: z.boolean().default(false),
    showWhen: z.object({ question: QuestionId, equals: z.array(z.string().min(1)).min(1) }).optional(),
    auto: AutoRuleSchema.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.type === 'scale' && (!q.scale || q.scale.max <= q.scale.min)) ctx.addIssue({ code: 'custom', path: ['scale'], message: 'a scale needs min < max' });
    if (q.type === 'choice' && !q.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a choice needs at least two options' });
    if (q.critical && q.type !== 'yes_no') ctx.addIssue({ code: 'custom', path: ['critical'], message: 'only a yes/no question can be critical' });
    if (q.auto && q.type !== 'yes_no') ctx.addIssue({ code: 'custom', path: ['auto'], message: 'rules answer yes/no questions only' });
  });
type FormQuestion = z.infer<typeof QuestionSchema>;

export const FormSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** Automatic answers less sure than this go to an analyst. */
  reviewBelow: z.number().min(0).max(1).default(0.75),
  sections: z
    .array(z.object({ id: QuestionId, title: z.string().trim().min(1).max(200), questions: z.array(QuestionSchema).min(1).max(200) }))
    .min(1)
    .max(50),
});
export type FormDefinition = z.infer<typeof FormSchema>;

export class FormInvalidError extends Error {
  constructor(readonly problems: string[]) {
    super(`the form cannot be used: ${problems.join('; ')}`);
  }
}

/** The form parsed and checked as a whole; every problem at once, in words. */
export function parseForm(input: unknown): FormDefinition {
  const parsed = FormSchema.safeParse(input);
  if (!parsed.success) throw new FormInvalidError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const form = parsed.data;
  const problems: string[] = [];
  const questions = form.sections.flatMap((s) => s.questions);
  const byId = new Map(questions.map((q) => [q.id, q]));
  if (byId.size < questions.length)
    problems.push(
      `question ids repeat: ${questions
        .filter((q, i) => questions.findIndex((o) => o.id === q.id) !== i)
        .map((q) => q.id)
        .join(', ')}`,
    );
  const total = questions.reduce((sum, q) => sum + q.weight, 0);
  if (Math.abs(total - 100) > 1e-6) problems.push(`weights add up to ${Number(total.toFixed(4))}, not 100`);
  for (const q of questions) {
    if (q.showWhen) {
      const other = byId.get(q.showWhen.question);
      if (!other) problems.push(`${q.id}: shown when ${q.showWhen.question}, which is not a question of this form`);
      else for (const value of q.showWhen.equals) if (!answerValues(other).includes(value)) problems.push(`${q.id}: ${other.id} can never be "${value}"`);
    }
    if (q.auto) for (const problem of checkRule(q.auto)) problems.push(`${q.id}: ${problem}`);
  }
  // Conditions must not go round in a circle: follow each chain and fail on a repeat.
  for (const q of questions) {
    const seen = new Set<string>();
    for (let at: FormQuestion | undefined = q; at?.showWhen; at = byId.get(at.showWhen.question)) {
      if (seen.has(at.id)) {
        problems.push(`${q.id}: its conditions go round in a circle (${[...seen].join(' → ')} → ${at.id})`);
        break;
      }
      seen.add(at.id);
    }
  }
  if (problems.length > 0) throw new FormInvalidError([...new Set(problems)]);
  return form;
}

/** Every answer a question accepts. */
export function answerValues(q: FormQuestion): string[] {
  if (q.type === 'yes_no') return q.allowNa ? ['yes', 'no', 'na'] : ['yes', 'no'];
  if (q.type === 'scale') return Array.from({ length: q.scale!.max - q.scale!.min + 1 }, (_, i) => String(q.scale!.min + i));
  return q.options!.map((o) => o.value);
}

/** Points of an answer, 0 to 1; null when it does not count (N/A). */
function pointsOf(q: FormQuestion, answer: string): number | null {
  if (answer === 'na') return null;
  if (q.type === 'yes_no') return answer === 'yes' ? 1 : 0;
  if (q.type === 'scale') return (Number(answer) - q.scale!.min) / (q.scale!.max - q.scale!.min);
  return q.options!.find((o) => o.value === answer)?.points ?? 0;
}

/**
 * The score of a set of answers, 0–100: weighted points over the questions shown and not N/A; a critical question
 * answered "no" makes it 0. Null when no question counts (everything N/A).
 */
export function scoreAnswers(form: FormDefinition, answers: ReadonlyMap<string, string>): { score: number | null; failedCritical: boolean; shown: string[] } {
  const questions = form.sections.flatMap((s) => s.questions);
  const byId = new Map(questions.map((q) => [q.id, q]));
  const shown = (q: FormQuestion): boolean => {
    if (!q.showWhen) return true;
    const other = byId.get(q.showWhen.question)!;
    return shown(other) && q.showWhen.equals.includes(answers.get(other.id) ?? '');
  };
  const visible = questions.filter(shown);
  const failedCritical = visible.some((q) => q.critical && answers.get(q.id) === 'no');
  let weight = 0;
  let points = 0;
  for (const q of visible) {
    const answer = answers.get(q.id);
    const p = answer === undefined ? null : pointsOf(q, answer);
    if (p === null) continue;
    weight += q.weight;
    points += q.weight * p;
  }
  if (failedCritical) return { score: 0, failedCritical, shown: visible.map((q) => q.id) };
  return { score: weight > 0 ? Number(((100 * points) / weight).toFixed(2)) : null, failedCritical, shown: visible.map((q) => q.id) };
}

/**
 * Answers a question from an interaction, or says it cannot (null): the seam where another scorer — a language model
 * running where the product runs, say — plugs in before the rules. The first scorer with an answer wins.
 */
export type QuestionScorer = (question: FormQuestion, input: ScoringInput) => AutoAnswer | null;

export const ruleScorer: QuestionScorer = (question, input) => (question.auto ? answerByRule(input, question.auto) : null);

export interface ScoredAnswer extends AutoAnswer {
  question: string;
  /** Below the form's review threshold: an analyst decides. */
  needsReview: boolean;
}

/** Every question a scorer can answer, in form order, and the score they make. */
export function scoreInteraction(
  form: FormDefinition,
  input: ScoringInput,
  scorers: readonly QuestionScorer[] = [ruleScorer],
): { answers: ScoredAnswer[]; score: number | null; failedCritical: boolean } {
  const answers: ScoredAnswer[] = [];
  for (const q of form.sections.flatMap((s) => s.questions)) {
    let auto: AutoAnswer | null = null;
    for (const scorer of scorers) if ((auto = scorer(q, input))) break;
    if (!auto) continue;
    // A question without N/A among its answers cannot be left N/A by a rule: it goes to an analyst.
    const answer = auto.answer === 'na' && !q.allowNa ? { ...auto, confidence: 0 } : auto;
    answers.push({ question: q.id, ...answer, needsReview: answer.confidence < form.reviewBelow });
  }
  const { score, failedCritical } = scoreAnswers(form, new Map(answers.map((a) => [a.question, a.answer])));
  return { answers, score, failedCritical };
}
