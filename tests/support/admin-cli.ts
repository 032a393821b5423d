import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './host.ts';

const run = promisify(execFile);

/** `npm run -s admin -- …` on a data directory, as an operator runs it; a failure is an answer (exit code and output), not a throw. */
export async function runAdmin(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'packages/host/scripts/admin.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, SWITCHBOARD_DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
