import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const KEY_FILE = join('.data', 'demo-api-key');
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The tenant API key: the flag, then SWITCHBOARD_API_KEY, then the demo key file in the
 * working directory or the repository root.
 */
export async function resolveApiKey(flag: string | undefined, fromEnv: string | undefined, cwd = process.cwd()): Promise<string> {
  if (flag) return flag;
  if (fromEnv) return fromEnv;
  for (const dir of new Set([cwd, repoRoot])) {
    const key = await readFile(join(dir, KEY_FILE), 'utf8').then(
      (text) => text.trim(),
      () => '',
    );
    if (key) return key;
  }
  throw new Error(`no API key: pass --api-key, set SWITCHBOARD_API_KEY, or put the key in ${KEY_FILE}`);
}
