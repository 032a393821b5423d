import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './host.ts';

const run = promisify(execFile);

/** `npm run -s admin -- …` on a data directory, as an operator runs it; a failure is an answer (exit code and output), not a throw. */
export const runAdmin = (dataDir: string, ...args: string[]) => runScript('admin.ts', dataDir, args);

/** `npm run -s check:rollups|repair:rollups -- …` on a data directory, answered as `runAdmin` answers. */
export const runRollups = (dataDir: string, command: 'check' | 'repair', ...args: string[]) => runScript('rollups.ts', dataDir, [command, ...args]);

async function runScript(script: string, dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'packages/host/scripts', script), ...args], {
      cwd: repoRoot,
      env: { ...process.env, SWITCHBOARD_DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
