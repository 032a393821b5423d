import { describe, expect, it } from 'vitest';
import { getQueueConcurrency, staffQueue } from './staff-queue.ts';

const policy = { interval_s: 1800, sl_threshold_s: 20, target: { kind: 'service_level' as const, service_level: 0.8 }, max_occupancy: 1, shrinkage: 0.3 };
const intervals = [
  { interval_start: '2026-11-30T14:00:00.000Z', volume: 100, aht_s: 180 },
  // A queue that has handled nothing yet: contacts forecast, no handle time.
  { interval_start: '2026-11-30T14:30:00.000Z', volume: 100, aht_s: 0 },
  { interval_start: '2026-11-30T15:00:00.000Z', volume: 0, aht_s: 0 },
];

describe('staffQueue', () => {
  it('staffs an interval without a forecast handle time at the planned AHT, and keeps the forecast one elsewhere', () => {
    const rows = staffQueue({ queueId: 'q', policy, plannedAhtS: 180, intervals });
    // 100 calls of 180 s in 30 min, 80% in 20 s: 14 agents (the reference), 20 FTE at 30% shrinkage.
    expect(rows.map((r) => [r.aht_s, r.erlang_agents, r.required_fte])).toEqual([
      [180, 14, 20],
      [180, 14, 20],
      [180, 0, 0],
    ]);
    expect(rows[1]!.workload_erlangs).toBe(10);
  });

  it('needs nobody where there is neither a forecast nor a planned handle time', () => {
    const rows = staffQueue({ queueId: 'q', policy, plannedAhtS: null, intervals });
    expect(rows.map((r) => [r.calls, r.aht_s, r.erlang_agents])).toEqual([
      [100, 180, 14],
      [100, 0, 0],
      [0, 0, 0],
    ]);
  });
});

describe('getQueueConcurrency', () => {
  const agents = [
    { skillIds: ['chat'], chatConcurrency: 3 },
    { skillIds: ['chat', 'voice'], chatConcurrency: 2 },
    { skillIds: ['voice'], chatConcurrency: 4 },
  ];

  it('plans a chat queue at the mean concurrency of the agents skilled for it', () => {
    expect(getQueueConcurrency({ channel: 'chat', skillId: 'chat' }, agents)).toBe(2.5);
  });

  it('plans one contact at a time for voice and email, and for a chat queue nobody serves yet', () => {
    expect(getQueueConcurrency({ channel: 'voice', skillId: 'voice' }, agents)).toBe(1);
    expect(getQueueConcurrency({ channel: 'email', skillId: 'chat' }, agents)).toBe(1);
    expect(getQueueConcurrency({ channel: 'chat', skillId: 'nobody' }, agents)).toBe(1);
  });

  it('divides the chat workload by it in the staffing rows', () => {
    const policyWith = (concurrency: number) => ({ ...policy, max_occupancy: 1, concurrency });
    const one = staffQueue({ queueId: 'c', policy: policyWith(1), intervals: [intervals[0]!] })[0]!;
    const three = staffQueue({ queueId: 'c', policy: policyWith(3), intervals: [intervals[0]!] })[0]!;
    expect(three.erlang_agents).toBeLessThan(one.erlang_agents);
    expect(three.erlang_agents).toBeGreaterThan(10 / 3);
  });
});
