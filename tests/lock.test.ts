import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from './support/host.ts';
import { freePort, spawnHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

const dataDir = tempDataDir('lock');
const started: SpawnedHost[] = [];
afterAll(() => {
  for (const h of started) h.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('one host process per data directory', () => {
  it('refuses a second host on the same directory with a message naming the holder, and takes over from a killed one', async () => {
    const first = spawnHost(dataDir, await freePort());
    started.push(first);
    await waitReady(first);

    const second = spawnHost(dataDir, await freePort());
    started.push(second);
    expect(await second.exited).toBe(75);
    expect(second.output()).toContain(`${dataDir} is in use by another Switchboard host process (pid ${first.child.pid}`);
    expect(second.output()).toContain('SWITCHBOARD_DATA_DIR');
    // The refused process must not have touched the holder: it still answers.
    expect((await fetch(`${first.url}/api/health`)).ok).toBe(true);

    first.child.kill('SIGKILL');
    await first.exited;
    const third = spawnHost(dataDir, await freePort());
    started.push(third);
    await waitReady(third);
    const holder = JSON.parse(readFileSync(path.join(dataDir, 'host.lock'), 'utf8')) as { pid: number };
    expect(holder.pid).toBe(third.child.pid);

    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'host.lock'))).toBe(false);
  });
});
