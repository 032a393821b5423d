import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FormInvalidError, parseForm, type FormDefinition } from '../src/index.ts';
import { standardForm } from '../src/standard-form.ts';

/** Says what is wrong on stderr and exits 2, the status for a command used wrongly. */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/**
 * The options qa-score and qa-kappa share — `--input FILE`, `--form standard|FORM.json`, `--help` — and `--verbose`
 * where the command has it; anything else, a missing input or a form that cannot be read is refused with the usage.
 */
export function readCommandLine(usage: string, options: { verbose?: boolean } = {}): { input: string; form: FormDefinition; verbose: boolean } {
  const values = (() => {
    try {
      return parseArgs({
        options: {
          input: { type: 'string' },
          form: { type: 'string', default: 'standard' },
          help: { type: 'boolean' },
          ...(options.verbose ? { verbose: { type: 'boolean' } } : {}),
        },
      }).values as { input?: string; form: string; help?: boolean; verbose?: boolean };
    } catch (error) {
      return fail(`${(error as Error).message}\n\n${usage}`);
    }
  })();
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (!values.input) fail(`--input is required\n\n${usage}`);
  let form: FormDefinition = standardForm;
  if (values.form !== 'standard') {
    try {
      form = parseForm(JSON.parse(readFileSync(values.form, 'utf8')));
    } catch (error) {
      fail(`${values.form}: ${error instanceof FormInvalidError ? error.problems.join('\n  ') : (error as Error).message}`);
    }
  }
  return { input: values.input, form, verbose: values.verbose ?? false };
}
