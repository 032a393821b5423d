import { getStaffingWaterfall, type StaffingPolicy } from '@switchboard/planning';
import type { StaffingIntervalRow } from '@switchboard/telemetry';

/**
 * Contacts an agent of the queue works at once: for chat, the mean concurrency of the agents
 * with the queue's skill (a planning figure, so a fraction is fine); 1 for voice and email,
 * and for a chat queue nobody is skilled for yet.
 */
export function getQueueConcurrency(
  queue: { channel: string; skillId: string },
  agents: readonly { skillIds: readonly string[]; chatConcurrency: number }[],
): number {
  if (queue.channel !== 'chat') return 1;
  const skilled = agents.filter((a) => a.skillIds.includes(queue.skillId));
  if (skilled.length === 0) return 1;
  return Math.max(1, skilled.reduce((sum, a) => sum + a.chatConcurrency, 0) / skilled.length);
}

/**
 * One queue's requirements from its forecast intervals: pure, run in a worker thread.
 * Where the forecast has no handle time (the queue has handled nothing yet) the planner's
 * `plannedAhtS` is used; an interval without contacts, or still without a handle time,
 * needs nobody (the planner's screen flags the second kind).
 */
export function staffQueue(input: {
  queueId: string;
  policy: Omit<StaffingPolicy, 'aht_s'>;
  plannedAhtS?: number | null | undefined;
  intervals: readonly { interval_start: string; volume: number; aht_s: number }[];
}): StaffingIntervalRow[] {
  return input.intervals.map((forecast) => {
    const f = forecast.aht_s > 0 || !input.plannedAhtS ? forecast : { ...forecast, aht_s: input.plannedAhtS };
    const waterfall = f.volume > 0 && f.aht_s > 0 ? getStaffingWaterfall({ ...input.policy, calls: f.volume, aht_s: f.aht_s }) : null;
    const asa = waterfall?.achieved.asa_s ?? 0;
    return {
      queue_id: input.queueId,
      interval_start: f.interval_start,
      calls: f.volume,
      aht_s: f.aht_s,
      workload_erlangs: (f.volume * f.aht_s) / input.policy.interval_s,
      erlang_agents: waterfall?.steps.find((s) => s.step === 'erlang')?.value ?? 0,
      capped_agents: waterfall?.agents ?? 0,
      required_fte: waterfall?.required_fte ?? 0,
      service_level: waterfall?.achieved.service_level ?? 1,
      // Infinite for a headcount that never answers: stored as null.
      asa_s: Number.isFinite(asa) ? asa : null,
      occupancy: waterfall?.achieved.occupancy ?? 0,
      p_abandon: waterfall?.achieved.p_abandon ?? null,
    };
  });
}
