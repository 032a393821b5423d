/**
 * npm run -s qa-kappa -- --input LABELLED.jsonl [--form standard|FORM.json]
 *
 * How far a form's rules agree with people: each line is a qa-score input line plus "labels" (question id → "yes",
 * "no" or "na", as an analyst answered). Prints, per question, Cohen's kappa between the rules and the labels (three
 * classes), the share answered alike and the disagreements by kind; the last line on stdout is one JSON object.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { cohensKappa, ScoringInput, scoreInteraction } from '../src/index.ts';
import { readCommandLine } from './command-line.ts';

const usage = `Usage: npm run -s qa-kappa -- --input LABELLED.jsonl [--form standard|FORM.json] [--verbose]

  --input FILE   qa-score input lines, each with "labels": {question id: "yes"|"no"|"na"}
  --form F       "standard" (the default) or a form definition in a JSON file
  --verbose      list every disagreement on stderr
`;

const { input, form, verbose } = readCommandLine(usage, { verbose: true });
const Labelled = ScoringInput.and(z.object({ labels: z.record(z.string(), z.enum(['yes', 'no', 'na'])) }));

const human = new Map<string, string[]>();
const machine = new Map<string, string[]>();
const misses: string[] = [];
readFileSync(input, 'utf8')
  .split('\n')
  .forEach((text, i) => {
    if (text.trim() === '') return;
    const parsed = Labelled.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    const { answers } = scoreInteraction(form, parsed.data);
    for (const a of answers) {
      const label = parsed.data.labels[a.question];
      if (label === undefined) continue;
      human.set(a.question, [...(human.get(a.question) ?? []), label]);
      machine.set(a.question, [...(machine.get(a.question) ?? []), a.answer]);
      if (label !== a.answer) misses.push(`${parsed.data.interaction_id} ${a.question}: rules ${a.answer}, people ${label}`);
    }
  });

const table = [...human.keys()].map((question) => {
  const h = human.get(question)!;
  const m = machine.get(question)!;
  const kappa = cohensKappa(m, h);
  const kinds = new Map<string, number>();
  h.forEach((label, i) => {
    if (label !== m[i]) kinds.set(`${m[i]}≠${label}`, (kinds.get(`${m[i]}≠${label}`) ?? 0) + 1);
  });
  return {
    question,
    n: h.length,
    kappa: kappa === null ? null : Number(kappa.toFixed(3)),
    agreement: Number((h.filter((l, i) => l === m[i]).length / h.length).toFixed(3)),
    disagreements: Object.fromEntries(kinds),
  };
});
for (const row of table)
  process.stderr.write(
    `${row.question.padEnd(22)} kappa ${String(row.kappa).padStart(6)}  agree ${row.agreement}  n ${row.n}  ${JSON.stringify(row.disagreements)}\n`,
  );
if (verbose) for (const miss of misses) process.stderr.write(`  ${miss}\n`);
process.stdout.write(
  `${JSON.stringify({ kappa: Object.fromEntries(table.map((r) => [r.question, r.kappa])), min_kappa: Math.min(...table.map((r) => r.kappa ?? 1)) })}\n`,
);
