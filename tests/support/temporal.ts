import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * The Temporal CLI (dev server) the tests start: TEMPORAL_CLI, .tools/bin/temporal (built
 * by scripts/temporal-cli.sh), or `temporal` on PATH — the same order as that script.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [
    env.TEMPORAL_CLI,
    path.join(repoRoot, '.tools/bin/temporal'),
    ...(env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, 'temporal')),
  ].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there or not executable: try the next.
    }
  }
  throw new Error('the Temporal CLI was not found: run `bash scripts/temporal-cli.sh` (builds it with Go into .tools/bin) or set TEMPORAL_CLI');
}
