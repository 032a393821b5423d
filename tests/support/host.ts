import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { createApiKey, createTenant } from '@switchboard/db';
import type { CenterConfig } from '@switchboard/contracts';
import { loadHostEnv, startHost, type Host } from '@switchboard/host';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export function tempDataDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `switchboard-${prefix}-`));
}

export interface TestHost {
  host: Host;
  url: string;
  dataDir: string;
  /** A fresh tenant with its own API key, so tests never see each other's data. */
  createTenant(options?: { timezone?: string }): Promise<{ tenantId: string; apiKey: string }>;
  stop(): Promise<void>;
}

/** The real host (chDB, PGlite or TEST_DATABASE_URL's PostgreSQL, HTTP) in this process, API only. */
export async function startTestHost(extraEnv: Record<string, string> = {}, options: { demoCenter?: CenterConfig } = {}): Promise<TestHost> {
  const dataDir = tempDataDir('host');
  const env = loadHostEnv({
    PORT: '0',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_WEB: '0',
    BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
    ...extraEnv,
  });
  const host = await startHost(env, { log: () => undefined, ...options });
  return {
    host,
    url: host.url,
    dataDir,
    async createTenant(options = {}) {
      const tenant = await createTenant(host.db.db, { slug: `t-${randomUUID().slice(0, 8)}`, name: 'Test tenant', ...options });
      const { key } = await createApiKey(host.db.db, tenant.id, 'test');
      return { tenantId: tenant.id, apiKey: key };
    },
    async stop() {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
