import { getDirectory, type Db, type Directory } from '@switchboard/db';
import { permanent } from './activity-input.ts';
import { SLOT_MINUTES } from './math/forecast-queue.ts';
import { getQueueConcurrency } from './math/staff-queue.ts';

/** The tenant's directory; a tenant that does not exist fails the run at once (no retry can mend it). */
export async function directoryOf(db: Db, tenantId: string): Promise<Directory> {
  const directory = await getDirectory(db, tenantId);
  if (!directory) throw permanent('TenantNotFound', `tenant ${tenantId} does not exist`);
  return directory;
}

/** A queue's staffing policy from its targets and settings: the same for the planned requirement and the intraday one. */
export function staffingPolicyOf(
  queue: Directory['queues'][number],
  setting: { maxOccupancy: number; shrinkage: number; patienceS: number | null } | undefined,
  agents: Directory['agents'],
) {
  return {
    interval_s: SLOT_MINUTES * 60,
    sl_threshold_s: queue.slThresholdS,
    target: { kind: 'service_level' as const, service_level: queue.slTarget },
    max_occupancy: setting?.maxOccupancy ?? 1,
    shrinkage: setting?.shrinkage ?? 0,
    concurrency: getQueueConcurrency(queue, agents),
    ...(setting?.patienceS ? { patience_s: setting.patienceS } : {}),
  };
}
