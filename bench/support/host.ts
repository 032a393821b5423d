import { spawn } from 'node:child_process';
import path from 'node:path';

/** What the HTTP benches share: the host process they drive, and a browser's cookie handling. */

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The host (apps/web/server.ts, API only) on `dataDir` and `port`; `ready()` waits for its health check. `extraEnv`
 * adds host settings (e.g. SWITCHBOARD_TRUSTED_PROXIES); `pid` is the host process itself (its RSS is in /proc).
 */
export function startHost(dataDir: string, port: number, secret: string, extraEnv: Record<string, string> = {}) {
  // BENCH_HOST_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the host.
  const nodeArgs = (process.env.BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(root, 'apps/web/server.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_WEB: '0', BETTER_AUTH_SECRET: secret, ...extraEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    pid: child.pid,
    async ready() {
      for (let i = 0; i < 900; i++) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('the host did not become ready');
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The session's cookies, renewed from responses as a browser does (the signed session cache lasts 25 s). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  update(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [name, value] = c.split(';')[0]!.split(/=(.*)/s) as [string, string];
      this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
