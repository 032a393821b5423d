/**
 * npm run -s qa-score -- --input FILE.jsonl [--form standard|FORM.json]
 *
 * Scores transcripts with a form's rules: one JSON line out per interaction in, with the score, whether a critical
 * question failed, and every answer with its confidence and evidence (segment index and UTF-16 offsets into that
 * segment's text, end exclusive; a hold as its index). Lines that cannot be read are named on stderr and the exit
 * status is 1; the others are still scored.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ScoringInput, scoreInteraction } from '../src/index.ts';
import { fail, readCommandLine } from './command-line.ts';

const usage = `Usage: npm run -s qa-score -- --input FILE.jsonl [--form standard|FORM.json]

  --input FILE   JSON lines: {"interaction_id","channel":"voice"|"chat","segments":[{"speaker":"agent"|"customer"|"bot",
                 "start_ms","end_ms","text"}],"holds":[{"start_ms","end_ms"}]}; - reads standard input
  --form F       "standard" (the default) or a form definition in a JSON file
`;

const { input, form } = readCommandLine(usage);

let bad = 0;
let line = 0;
const lines = createInterface({ input: input === '-' ? process.stdin : createReadStream(input), crlfDelay: Infinity });
try {
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let parsed: ScoringInput;
    try {
      const result = ScoringInput.safeParse(JSON.parse(text));
      if (!result.success) throw new Error(result.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; '));
      parsed = result.data;
    } catch (error) {
      bad++;
      process.stderr.write(`line ${line}: ${(error as Error).message}\n`);
      continue;
    }
    const scored = scoreInteraction(form, parsed);
    process.stdout.write(
      `${JSON.stringify({
        interaction_id: parsed.interaction_id,
        score: scored.score,
        failed_critical: scored.failedCritical,
        answers: scored.answers.map((a) => ({ question: a.question, answer: a.answer, confidence: Number(a.confidence.toFixed(3)), evidence: a.evidence })),
      })}\n`,
    );
  }
} catch (error) {
  fail(`${input}: ${(error as Error).message}`);
}
if (bad > 0) {
  process.stderr.write(`${bad} of ${line} lines could not be scored\n`);
  process.exit(1);
}
