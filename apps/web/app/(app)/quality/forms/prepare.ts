import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { answerLabel } from '../prepare';

/**
 * The form designer's pure half: a form as the editor holds it (text as typed, so a refused save keeps every edit),
 * edits to its sections and questions, the definition sent back, the weights' total, the server's problems named
 * after the sections and questions they are about, and a preview's answers in form order.
 */

type FormsApi = inferRouterOutputs<AppRouter>['quality']['forms'];
type FormSummary = FormsApi['list'][number];
export type FormVersion = FormsApi['get'];
type Preview = FormsApi['preview'];
type Transcript = inferRouterInputs<AppRouter>['quality']['forms']['preview']['transcript'];
type Definition = FormVersion['definition'];
type Question = Definition['sections'][number]['questions'][number];
export type QuestionType = Question['type'];

export const questionTypes: { value: QuestionType; label: string }[] = [
  { value: 'yes_no', label: 'Yes / no' },
  { value: 'scale', label: 'Scale' },
  { value: 'choice', label: 'Choice' },
];

export interface OptionDraft {
  value: string;
  label: string;
  points: string;
}

export interface QuestionDraft {
  /** The editor's own handle: stays put while the question's id is edited. */
  uid: string;
  id: string;
  text: string;
  guidance: string;
  type: QuestionType;
  allowNa: boolean;
  scaleMin: string;
  scaleMax: string;
  options: OptionDraft[];
  weight: string;
  critical: boolean;
  showWhen: { question: string; equals: string[] } | null;
  /** The automatic rule as JSON; empty for none. */
  auto: string;
}

export interface SectionDraft {
  uid: string;
  id: string;
  title: string;
  questions: QuestionDraft[];
}

export interface FormDraft {
  name: string;
  reviewBelow: string;
  sections: SectionDraft[];
}

let handles = 0;
const handle = () => `h${++handles}`;

const defaultOptions = (): OptionDraft[] => [
  { value: 'good', label: 'Good', points: '1' },
  { value: 'poor', label: 'Poor', points: '0' },
];

export function toDraft(definition: Definition): FormDraft {
  return {
    name: definition.name,
    reviewBelow: String(definition.reviewBelow),
    sections: definition.sections.map((s) => ({
      uid: handle(),
      id: s.id,
      title: s.title,
      questions: s.questions.map((q) => ({
        uid: handle(),
        id: q.id,
        text: q.text,
        guidance: q.guidance,
        type: q.type,
        allowNa: q.allowNa,
        scaleMin: String(q.scale?.min ?? 1),
        scaleMax: String(q.scale?.max ?? 5),
        options: q.options?.map((o) => ({ value: o.value, label: o.label, points: String(o.points) })) ?? defaultOptions(),
        weight: String(q.weight),
        critical: q.critical,
        showWhen: q.showWhen ? { question: q.showWhen.question, equals: [...q.showWhen.equals] } : null,
        auto: q.auto ? JSON.stringify(q.auto, null, 2) : '',
      })),
    })),
  };
}

/** A number as typed; null when it is none, which the server names as missing. */
function numberOf(text: string): number | null {
  const n = Number(text);
  return text.trim() === '' || !Number.isFinite(n) ? null : n;
}

const questionsOf = (draft: FormDraft) => draft.sections.flatMap((s) => s.questions);

/**
 * The definition to send. Only what the browser cannot send is refused here (an automatic rule that is not JSON);
 * everything else is the server's to check, with the form as a whole.
 */
export function toDefinition(draft: FormDraft): { definition: Record<string, unknown> } | { problems: string[] } {
  const problems: string[] = [];
  const definition = {
    name: draft.name,
    reviewBelow: numberOf(draft.reviewBelow),
    sections: draft.sections.map((s) => ({
      id: s.id,
      title: s.title,
      questions: s.questions.map((q) => {
        let auto: unknown;
        if (q.auto.trim() !== '') {
          try {
            auto = JSON.parse(q.auto);
          } catch (error) {
            problems.push(`${questionLabel(draft, q)}: the automatic rule is not JSON (${(error as Error).message})`);
          }
        }
        return {
          id: q.id,
          text: q.text,
          guidance: q.guidance,
          type: q.type,
          weight: numberOf(q.weight),
          // Sent as they stand even where the type does not take them, so the server says so rather than an edit vanishing.
          allowNa: q.allowNa,
          critical: q.critical,
          ...(q.type === 'scale' ? { scale: { min: numberOf(q.scaleMin), max: numberOf(q.scaleMax) } } : {}),
          ...(q.type === 'choice' ? { options: q.options.map((o) => ({ value: o.value, label: o.label, points: numberOf(o.points) })) } : {}),
          ...(q.showWhen ? { showWhen: q.showWhen } : {}),
          ...(auto === undefined ? {} : { auto }),
        };
      }),
    })),
  };
  return problems.length > 0 ? { problems } : { definition };
}

/** The weights as typed, added up; what is not a number counts 0. */
export function weightsTotal(draft: FormDraft): number {
  return Number(
    questionsOf(draft)
      .reduce((sum, q) => sum + (numberOf(q.weight) ?? 0), 0)
      .toFixed(4),
  );
}

export const weightsComplete = (total: number): boolean => Math.abs(total - 100) <= 1e-6;

/** How a question is named in problems and pickers: its position and id. */
export function questionLabel(draft: FormDraft, q: Pick<QuestionDraft, 'uid' | 'id'>): string {
  const n = questionsOf(draft).findIndex((o) => o.uid === q.uid) + 1;
  return `Question ${n}${q.id ? ` (${q.id})` : ''}`;
}

/**
 * Every answer a question takes as it stands in the editor: what another question's condition can pick. The
 * server's answerValues, on text as typed; nothing while the scale or options are incomplete.
 */
export function answerValuesOf(q: QuestionDraft): string[] {
  if (q.type === 'yes_no') return q.allowNa ? ['yes', 'no', 'na'] : ['yes', 'no'];
  if (q.type === 'choice') return q.options.map((o) => o.value.trim()).filter((v) => v !== '');
  const [min, max] = [numberOf(q.scaleMin), numberOf(q.scaleMax)];
  if (min === null || max === null || !Number.isInteger(min) || !Number.isInteger(max) || max < min || max - min > 100) return [];
  return Array.from({ length: max - min + 1 }, (_, i) => String(min + i));
}

/** An answer as a person reads it: Yes, No, N/A, a scale point, or a choice's label. */
export function valueLabel(q: QuestionDraft, value: string): string {
  return q.type === 'choice' ? q.options.find((o) => o.value.trim() === value)?.label || value : answerLabel(value);
}

// ── edits ────────────────────────────────────────────────────────────────────

/** The first `prefix_n` no section or question of the form has. */
function freshId(draft: FormDraft, prefix: string): string {
  const taken = new Set([...draft.sections.map((s) => s.id), ...questionsOf(draft).map((q) => q.id)]);
  let n = 1;
  while (taken.has(`${prefix}_${n}`)) n++;
  return `${prefix}_${n}`;
}

function moved<T>(list: readonly T[], index: number, by: number): T[] {
  const to = index + by;
  if (index < 0 || to < 0 || to >= list.length) return [...list];
  const out = [...list];
  out.splice(to, 0, ...out.splice(index, 1));
  return out;
}

function newQuestion(draft: FormDraft): QuestionDraft {
  return {
    uid: handle(),
    id: freshId(draft, 'question'),
    text: '',
    guidance: '',
    type: 'yes_no',
    allowNa: false,
    scaleMin: '1',
    scaleMax: '5',
    options: defaultOptions(),
    weight: '0',
    critical: false,
    showWhen: null,
    auto: '',
  };
}

export function addSection(draft: FormDraft): FormDraft {
  // A section needs a question: it comes with an empty one.
  const section: SectionDraft = { uid: handle(), id: freshId(draft, 'section'), title: 'New section', questions: [newQuestion(draft)] };
  return { ...draft, sections: [...draft.sections, section] };
}

export function updateSection(draft: FormDraft, uid: string, fields: Partial<Pick<SectionDraft, 'title'>>): FormDraft {
  return { ...draft, sections: draft.sections.map((s) => (s.uid === uid ? { ...s, ...fields } : s)) };
}

export function moveSection(draft: FormDraft, uid: string, by: number): FormDraft {
  return {
    ...draft,
    sections: moved(
      draft.sections,
      draft.sections.findIndex((s) => s.uid === uid),
      by,
    ),
  };
}

export function removeSection(draft: FormDraft, uid: string): FormDraft {
  return { ...draft, sections: draft.sections.filter((s) => s.uid !== uid) };
}

export function addQuestion(draft: FormDraft, sectionUid: string): FormDraft {
  const question = newQuestion(draft);
  return { ...draft, sections: draft.sections.map((s) => (s.uid === sectionUid ? { ...s, questions: [...s.questions, question] } : s)) };
}

export function updateQuestion(draft: FormDraft, uid: string, fields: Partial<Omit<QuestionDraft, 'uid'>>): FormDraft {
  return {
    ...draft,
    sections: draft.sections.map((s) => ({ ...s, questions: s.questions.map((q) => (q.uid === uid ? { ...q, ...fields } : q)) })),
  };
}

/** A question of another type: what only a yes/no question can be (critical, N/A allowed) is switched off. */
export function changeType(draft: FormDraft, uid: string, type: QuestionType): FormDraft {
  return updateQuestion(draft, uid, type === 'yes_no' ? { type } : { type, critical: false, allowNa: false });
}

/** Up or down within its section; past the section's edge into the next or previous section. */
export function moveQuestion(draft: FormDraft, uid: string, by: -1 | 1): FormDraft {
  const from = draft.sections.findIndex((s) => s.questions.some((q) => q.uid === uid));
  if (from < 0) return draft;
  const questions = draft.sections[from]!.questions;
  const index = questions.findIndex((q) => q.uid === uid);
  if (index + by >= 0 && index + by < questions.length) {
    return { ...draft, sections: draft.sections.map((s, i) => (i === from ? { ...s, questions: moved(questions, index, by) } : s)) };
  }
  const to = from + by;
  if (to < 0 || to >= draft.sections.length) return draft;
  const question = questions[index]!;
  return {
    ...draft,
    sections: draft.sections.map((s, i) => {
      if (i === from) return { ...s, questions: s.questions.filter((q) => q.uid !== uid) };
      if (i === to) return { ...s, questions: by > 0 ? [question, ...s.questions] : [...s.questions, question] };
      return s;
    }),
  };
}

export function removeQuestion(draft: FormDraft, uid: string): FormDraft {
  return { ...draft, sections: draft.sections.map((s) => ({ ...s, questions: s.questions.filter((q) => q.uid !== uid) })) };
}

// ── keys and problems ────────────────────────────────────────────────────────

/** Why a new form's key cannot be used, or null. */
export function keyProblem(key: string, forms: readonly Pick<FormSummary, 'key'>[]): string | null {
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(key)) return 'The key is lower-case letters, digits and -, starting with a letter (at most 64).';
  if (forms.some((f) => f.key === key)) return `A form with the key “${key}” exists: open it to save a new version.`;
  return null;
}

/**
 * The problems of a refused save or preview, one each: the issues the server sent (a form's problems, or an input
 * refused), else its message; a path into the definition reads as the section and question it points at.
 */
export function problemsOf(error: { message: string; data?: unknown }, draft: FormDraft): string[] {
  const issues = (error.data as { issues?: { path: string; message: string }[] } | null | undefined)?.issues;
  if (!issues || issues.length === 0) return [error.message];
  return issues.map((i) => describeProblem(i.message, draft));
}

/** "sections.0.questions.2.weight: …" as "Opening › Question 3 (empathy) › weight: …"; anything else as it is. */
export function describeProblem(problem: string, draft: FormDraft): string {
  const at = /^sections\.(\d+)(?:\.questions\.(\d+))?(?:\.([\w.]+))?: (.*)$/s.exec(problem);
  const section = at ? draft.sections[Number(at[1])] : undefined;
  if (!at || !section) return problem;
  const question = at[2] === undefined ? undefined : section.questions[Number(at[2])];
  const where = [section.title || `Section ${Number(at[1]) + 1}`, ...(question ? [questionLabel(draft, question)] : []), ...(at[3] ? [at[3]] : [])];
  return `${where.join(' › ')}: ${at[4]}`;
}

// ── preview ──────────────────────────────────────────────────────────────────

/** The pasted transcript, or why it cannot be sent. The server checks its fields. */
export function parseTranscript(text: string): { transcript: Transcript } | { problem: string } {
  if (text.trim() === '') return { problem: 'Paste a transcript first.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `The transcript is not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'The transcript is a JSON object: {"channel", "segments", "holds"}.' };
  return { transcript: value as Transcript };
}

export const exampleTranscript = JSON.stringify({
  channel: 'voice',
  segments: [
    { speaker: 'agent', start_ms: 0, end_ms: 4000, text: 'Good morning, you are through to Northwind, my name is Sam. Calls are recorded for training.' },
    { speaker: 'customer', start_ms: 4500, end_ms: 7000, text: 'Hi, I want to check my last bill.' },
  ],
  holds: [],
});

interface PreviewRow {
  uid: string;
  label: string;
  text: string;
  /** Null when no rule answers the question. */
  answer: string | null;
  confidence: number | null;
  needsReview: boolean;
}

/** Every question in form order with what the rules answered for it. */
export function previewRows(preview: Preview, draft: FormDraft): PreviewRow[] {
  const answers = new Map(preview.answers.map((a) => [a.question, a]));
  return questionsOf(draft).map((q) => {
    const a = answers.get(q.id);
    return {
      uid: q.uid,
      label: questionLabel(draft, q),
      text: q.text,
      answer: a ? valueLabel(q, a.answer) : null,
      confidence: a?.confidence ?? null,
      needsReview: a?.needsReview ?? false,
    };
  });
}
