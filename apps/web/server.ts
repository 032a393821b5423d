import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { DataDirLockedError, loadHostEnv, startHost, type HostEnv } from '@switchboard/host';
import { demoCenter, pickDemoTimezone } from '@switchboard/simulator';

/** Longest a stop may take (under the 30 s a container orchestrator waits by default): beyond it the process exits anyway, with code 1. */
const STOP_DEADLINE_MS = 20_000;

/** Entry point of the host process: `npm run host` (the first command starts it for you). */
async function main(): Promise<void> {
  const env = loadHostEnv();
  const pages = env.SWITCHBOARD_WEB ? await startNext(env) : undefined;
  const timezone = env.SWITCHBOARD_DEMO_TIMEZONE === 'auto' ? pickDemoTimezone(new Date()) : (env.SWITCHBOARD_DEMO_TIMEZONE ?? demoCenter.timezone);
  const host = await startHost(env, { pages, demoCenter: { ...demoCenter, timezone } });
  console.log(`switchboard host listening on ${host.url} (telemetry: ${host.telemetry.kind}, db: ${host.db.kind}, pid ${process.pid})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`received ${signal}: finishing acknowledged writes, then stopping`);
    // A store or the Temporal worker that does not let go must not keep the process: what was acknowledged is stored.
    setTimeout(() => {
      console.error(`stop did not finish within ${STOP_DEADLINE_MS / 1000} s: exiting now`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('stop failed:', (error as Error).message);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function startNext(env: HostEnv): Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> {
  const dir = import.meta.dirname;
  if (!existsSync(path.join(dir, '.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npm run build -w @switchboard/web` (npm start does it for you), or start with SWITCHBOARD_WEB=0');
  }
  const { default: next } = await import('next');
  const app = next({ dev: false, dir, hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  return (req, res) => handle(req, res);
}

main().catch((error: unknown) => {
  if (error instanceof DataDirLockedError) {
    console.error(`switchboard: ${error.message}`);
    process.exit(75);
  }
  console.error('switchboard: could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
