import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { repoRoot } from './host.ts';

export interface SpawnedHost {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The real host entry point (`apps/web/server.ts`) as its own process, API only. */
export function spawnHost(dataDir: string, port: number, env: Record<string, string> = {}): SpawnedHost {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/web/server.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_WEB: '0',
      SWITCHBOARD_SEED_DEMO: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Wait until /api/health answers, failing early with the host's output if it exits. */
export async function waitReady(host: SpawnedHost, timeoutMs = 90_000): Promise<void> {
  let exited = false;
  void host.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`host exited while starting:\n${host.output()}`);
    try {
      const res = await fetch(`${host.url}/api/health`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`host not ready after ${timeoutMs} ms:\n${host.output()}`);
}

/** SIGTERM (the host finishes acknowledged writes), SIGKILL if it has not exited in 15 s. */
export async function stopHost(h: SpawnedHost): Promise<void> {
  if (h.child.exitCode !== null || h.child.signalCode !== null) return;
  h.child.kill('SIGTERM');
  const stopped = await Promise.race([h.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 15_000))]);
  if (!stopped) h.child.kill('SIGKILL');
}
