import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { sendJson } from '@switchboard/ingest';
import { INTERVAL_MS, type RollupBuilder, type RollupMismatch, type RollupScope, type TelemetryStore } from '@switchboard/telemetry';
import { backupAction, type BackupStores } from './backup.ts';
import { configActions } from './center-admin.ts';
import { historyActions, type AdminStores } from './history-import.ts';
import { erasureActions, type ErasureRunner } from './erasure.ts';
import { rejectionActions, type EventWriter } from './rejections.ts';
import { invalidInput, resolveTenant, tenantActions, tenantNotFound, type OperatorAnswer, type ProvisioningStores } from './provisioning.ts';

/**
 * Operator commands (`npm run check:rollups`, `repair:rollups`, `admin`, `backup`) while a host runs go
 * through it, so nothing opens its data directory beside it. The host writes its URL
 * and a token made at start into `<data dir>/operator.json` (readable by its owner only);
 * the commands present the token.
 */

export const OPERATOR_PATH = '/api/operator/';
const OperatorFile = z.object({ url: z.string(), token: z.string() });

export function writeOperatorFile(dataDir: string, url: string): string {
  const token = randomBytes(32).toString('hex');
  writeFileSync(path.join(dataDir, 'operator.json'), JSON.stringify({ url, token }), { mode: 0o600 });
  return token;
}

export function readOperatorFile(dataDir: string): z.infer<typeof OperatorFile> | undefined {
  try {
    return OperatorFile.parse(JSON.parse(readFileSync(path.join(dataDir, 'operator.json'), 'utf8')));
  } catch {
    return undefined;
  }
}

/** A window of the rollup check: UTC instants, widened to whole 15-minute intervals. */
export const RollupWindow = z
  .object({
    tenant: z.string().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .refine((w) => Date.parse(w.from) < Date.parse(w.to), { message: '--from must be before --to', path: ['to'] })
  .refine((w) => Date.parse(w.to) - Date.parse(w.from) <= 400 * 86_400_000, { message: 'a window covers at most 400 days', path: ['from'] });
export type RollupWindow = z.infer<typeof RollupWindow>;

export function toScope(window: RollupWindow, tenantId: string | undefined): RollupScope {
  return {
    from: new Date(Math.floor(Date.parse(window.from) / INTERVAL_MS) * INTERVAL_MS),
    to: new Date(Math.ceil(Date.parse(window.to) / INTERVAL_MS) * INTERVAL_MS),
    ...(tenantId ? { tenantIds: [tenantId] } : {}),
  };
}

export interface RollupReport {
  mismatches: RollupMismatch[];
  /** After a repair: what a check right after it still finds (a maximum that raw events no longer reach). */
  remaining?: RollupMismatch[];
  /** Intervals the store refused to compute, set aside (a repair tries them again). */
  quarantined: { tenant_id: string; interval_start: string; error: string }[];
}

interface OperatorDeps extends ProvisioningStores {
  token: string;
  rollups: RollupBuilder;
  telemetry: TelemetryStore['client'];
  /** The host's ingest writer: replayed rejections go through it. */
  eventWriter: EventWriter;
  /** Starts erasure workflows; absent when the host runs no workflow worker. */
  erasure?: ErasureRunner | undefined;
  /** The stores themselves, for `npm run backup`: only the process holding them may read them whole. */
  stores: BackupStores;
}

/** The actions of `npm run -s admin`, on Postgres and sign-in (and ClickHouse, see telemetryActions): the CLI runs them itself when no host runs. */
export const adminActions: Record<string, (stores: AdminStores, body: unknown) => Promise<OperatorAnswer>> = {
  ...tenantActions,
  ...configActions,
  ...historyActions,
  ...erasureActions,
  ...rejectionActions,
};

/** The admin actions that need ClickHouse as well: for these the CLI opens it beside Postgres. */
export const telemetryActions: ReadonlySet<string> = new Set([...Object.keys(historyActions), ...Object.keys(rejectionActions)]);

/** Each operator action: its JSON body in, status and JSON out. */
const operatorActions: Record<string, (deps: OperatorDeps, body: unknown) => Promise<OperatorAnswer>> = {
  'rollups/check': (deps, body) => rollupAction(deps, body, 'check'),
  'rollups/repair': (deps, body) => rollupAction(deps, body, 'repair'),
  backup: (deps, body) => backupAction(deps.stores, body),
  ...adminActions,
};

async function rollupAction(deps: OperatorDeps, body: unknown, command: 'check' | 'repair'): Promise<OperatorAnswer> {
  const window = RollupWindow.safeParse(body);
  if (!window.success) return invalidInput(window.error);
  const tenant = window.data.tenant ? await resolveTenant(deps.db, window.data.tenant) : undefined;
  if (window.data.tenant && !tenant) return tenantNotFound(window.data.tenant);
  return { status: 200, body: { ...(await runRollupCommand(deps.rollups, command, toScope(window.data, tenant?.id))) } };
}

export function createOperatorHandler(deps: OperatorDeps) {
  const expected = Buffer.from(deps.token);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const presented = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return sendJson(res, 401, { error: 'unauthorized', message: 'operator commands need the token in <data dir>/operator.json' });
    }
    const name = (req.url ?? '').split('?')[0]!.slice(OPERATOR_PATH.length);
    const action = Object.hasOwn(operatorActions, name) ? operatorActions[name] : undefined;
    if (req.method !== 'POST' || !action) {
      return sendJson(res, 404, { error: 'not_found', message: `POST one of ${Object.keys(operatorActions).join(', ')}` });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'malformed_body', message: 'send a JSON object' });
    }
    const answer = await action(deps, body);
    sendJson(res, answer.status, answer.body);
  };
}

export async function runRollupCommand(rollups: RollupBuilder, command: 'check' | 'repair', scope: RollupScope): Promise<RollupReport> {
  if (command === 'check') return { mismatches: await rollups.check(scope), quarantined: rollups.quarantined() };
  const mismatches = await rollups.repair(scope);
  return { mismatches, remaining: mismatches.length > 0 ? await rollups.check(scope) : [], quarantined: rollups.quarantined() };
}
