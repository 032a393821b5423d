import { randomUUID } from 'node:crypto';
import { seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { toChDateTimeText } from '@switchboard/telemetry';
import type { TestHost } from './host.ts';

/**
 * A demo-center tenant with a noise-free weekly history, for the planning workflows: the
 * numbers a forecast must give from it are known exactly.
 */

export const START_DATE = '2026-11-30'; // a Monday
const HISTORY_WEEKS = 8;
export const AHT_S = 300;
export const planningQueue = demoCenter.queues[0]!;

/** Contacts per local 15-minute slot on an open day: 08:00–18:00, Mondays 20% busier. */
export function pattern(weekday: number, slot: number): number {
  if (weekday === 0 || weekday === 6 || slot < 32 || slot >= 72) return 0;
  return (weekday === 1 ? 1.2 : 1) * (10 + (slot % 8));
}

/** Writes rollup rows of `planningQueue` for a local date range, each slot at `scale` × the pattern. */
export async function insertActuals(t: TestHost, tenantId: string, timezone: string, fromDate: string, days: number, scale = 1): Promise<void> {
  const rows = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.parse(`${fromDate}T00:00:00Z`) + d * 86_400_000);
    const iso = date.toISOString().slice(0, 10);
    for (let slot = 0; slot < 96; slot++) {
      const offered = Math.round(scale * pattern(date.getUTCDay(), slot));
      if (offered === 0) continue;
      // Local wall time → UTC through the tenant's offset at that moment.
      const local = new Date(`${iso}T${String(Math.floor(slot / 4)).padStart(2, '0')}:${String((slot % 4) * 15).padStart(2, '0')}:00Z`);
      const offsetMs = local.getTime() - Date.parse(new Date(local).toLocaleString('en-US', { timeZone: timezone }) + ' UTC');
      rows.push({
        tenant_id: tenantId,
        interval_start: toChDateTimeText(new Date(local.getTime() + offsetMs)),
        queue_id: planningQueue.id,
        channel: planningQueue.channel,
        offered,
        handled: offered,
        talk_ms_sum: offered * AHT_S * 1000,
      });
    }
  }
  await t.host.telemetry.client.insert({ table: 'queue_interval_15m', values: rows, format: 'JSONEachRow' });
}

export async function seedPlanningTenant(t: TestHost): Promise<string> {
  const tenantId = await seedTenant(t.host.db.db, { slug: `plan-${randomUUID().slice(0, 8)}`, name: 'Planning', config: demoCenter });
  const historyStart = new Date(Date.parse(`${START_DATE}T00:00:00Z`) - HISTORY_WEEKS * 7 * 86_400_000).toISOString().slice(0, 10);
  await insertActuals(t, tenantId, demoCenter.timezone, historyStart, HISTORY_WEEKS * 7);
  return tenantId;
}
