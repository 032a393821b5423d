import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServices, evaluateTenantAlerts } from '@switchboard/api';
import type { TelemetryEvent } from '@switchboard/contracts';
import { demoCenter } from '@switchboard/simulator';
import { ndjson, post, waitForRollups } from './support/events.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { seedTenantWithMembers } from './support/members.ts';

/**
 * The wallboard from events written here, read with the clock fixed, so every figure on
 * it can be stated exactly: who waits and for how long, the last 30 minutes' service
 * level and ASA, agents by state, the incidents the alert rules open and the supervisor's scope.
 */

const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000).toISOString();
const queue = demoCenter.queues.find((q) => q.id === 'cards-voice')!;
const team = demoCenter.teams[0]!;
const agentOfTeam = demoCenter.agents.find((a) => a.team_id === team.id && a.skills.some((s) => s.skill_id === queue.skill_id))!;
const agentElsewhere = demoCenter.agents.find((a) => a.team_id !== team.id && a.skills.some((s) => s.skill_id === queue.skill_id))!;

function envelope(type: string, secondsAgo: number) {
  const ts = at(secondsAgo);
  return { event_id: randomUUID(), type, schema_version: 1, occurred_at: ts, sent_at: ts, source: 'routing' };
}
function waiting(secondsAgo: number): TelemetryEvent[] {
  const ids = { interaction_id: randomUUID(), queue_id: queue.id, channel: 'voice' };
  return [
    { ...envelope('interaction.offered', secondsAgo), ...ids },
    { ...envelope('interaction.queued', secondsAgo), ...ids },
  ] as TelemetryEvent[];
}
function answered(secondsAgo: number, waitS: number): TelemetryEvent[] {
  const ids = { interaction_id: randomUUID(), queue_id: queue.id, channel: 'voice' };
  return [
    ...waiting(secondsAgo + waitS).map((e) => ({ ...e, ...ids })),
    { ...envelope('interaction.answered', secondsAgo), ...ids, agent_id: agentOfTeam.id, wait_ms: waitS * 1000 },
  ] as TelemetryEvent[];
}
/**
 * Another queue's contacts: one queued again after its answer, one whose queued event was
 * stored twice, one queued twice (back from an agent who did not pick up) and then answered,
 * one abandoned.
 */
const requeueQueue = demoCenter.queues.find((q) => q.id === 'loans-voice')!;
function contactEvent(interactionId: string, type: string, secondsAgo: number, extra: Record<string, unknown> = {}): TelemetryEvent {
  return { ...envelope(type, secondsAgo), interaction_id: interactionId, queue_id: requeueQueue.id, channel: 'voice', ...extra } as TelemetryEvent;
}
const requeued = randomUUID();
const duplicated = contactEvent(randomUUID(), 'interaction.queued', 80);
const notPickedUp = randomUUID();
const abandoned = randomUUID();
const requeueEvents = [
  contactEvent(notPickedUp, 'interaction.queued', 120),
  contactEvent(notPickedUp, 'interaction.queued', 90),
  contactEvent(notPickedUp, 'interaction.answered', 20, { agent_id: agentOfTeam.id, wait_ms: 100_000 }),
  contactEvent(requeued, 'interaction.queued', 200),
  contactEvent(requeued, 'interaction.answered', 150, { agent_id: agentOfTeam.id, wait_ms: 50_000 }),
  contactEvent(requeued, 'interaction.queued', 100),
  duplicated,
  contactEvent(abandoned, 'interaction.queued', 60),
  contactEvent(abandoned, 'interaction.abandoned', 30, { wait_ms: 30_000 }),
];

function state(agentId: string, name: string, secondsAgo: number): TelemetryEvent {
  return { ...envelope('agent.state_changed', secondsAgo), source: 'desktop', agent_id: agentId, state: name } as TelemetryEvent;
}

let t: TestHost;
let admin: Awaited<ReturnType<typeof seedTenantWithMembers>>['callers'][number];
let supervisor: typeof admin;

beforeAll(async () => {
  // Alerts are evaluated below, at the fixed clock, not by the host's timer.
  t = await startTestHost({ SWITCHBOARD_ALERT_EVALUATE_S: '0' });
  const seeded = await seedTenantWithMembers(t, demoCenter, [{ role: 'admin' }, { role: 'supervisor', teamKeys: [team.id] }], () => now);
  [admin, supervisor] = seeded.callers as [typeof admin, typeof admin];
  const events = [
    ...waiting(90),
    ...waiting(30),
    // Three answered in the last 30 minutes, waits 5, 15 and 40 s against a 20 s threshold.
    ...answered(600, 5),
    ...answered(500, 15),
    ...answered(400, 40),
    state(agentOfTeam.id, 'available', 300),
    state(agentElsewhere.id, 'break', 120),
  ];
  expect((await post(t.url, seeded.apiKey, ndjson(events))).status).toBe(200);
  expect((await post(t.url, seeded.apiKey, ndjson(requeueEvents))).status).toBe(200);
  // The same event again in another batch: stored twice until a merge removes one.
  expect((await post(t.url, seeded.apiKey, ndjson([duplicated]))).status).toBe(200);
  await waitForRollups(t.url);
  expect(await admin.wallboard.alertRules.list()).toEqual([]);
  const queueId = (await admin.wallboard.snapshot()).queues.find((q) => q.key === queue.id)!.id;
  const common = { teamId: null, match: 'all', fireAfterS: 0, clearAfterS: 0, enabled: true } as const;
  await admin.wallboard.alertRules.save({
    ...common,
    name: 'backs up',
    queueId,
    conditions: [{ metric: 'waiting', comparator: 'above', threshold: 1, clearThreshold: 1 }],
    severity: 'critical',
  });
  await admin.wallboard.alertRules.save({
    ...common,
    name: 'long wait',
    queueId: null,
    conditions: [{ metric: 'longest_wait_s', comparator: 'above', threshold: 120, clearThreshold: 120 }],
    severity: 'warning',
  });
  const services = createApiServices({
    db: t.host.db.db,
    telemetry: t.host.telemetry.client,
    now: () => now,
    liveMaxAgeMs: 0,
    snapshotSchedules: async () => undefined,
  });
  await evaluateTenantAlerts(services, seeded.tenantId);
});
afterAll(async () => {
  await t?.stop();
});

describe('wallboard', () => {
  it('shows who is waiting, the longest wait, and the last 30 minutes of the queue', async () => {
    const board = await admin.wallboard.snapshot();
    expect(board.generatedAt).toBe(now.toISOString());
    const tile = board.queues.find((q) => q.key === queue.id)!;
    expect(tile.waiting).toBe(2);
    expect(tile.longestWaitS).toBe(90);
    expect(tile.last30).toEqual({ answered: 3, abandoned: 0, serviceLevel: 2 / 3, asaS: 20 });
    expect(tile.agentsByState).toEqual({ available: 1, break: 1 });
    const quiet = board.queues.find((q) => q.key === 'fraud-voice')!;
    expect(quiet.waiting).toBe(0);
    expect(quiet.longestWaitS).toBeNull();
    expect(quiet.last30.serviceLevel).toBeNull();
  });

  it('counts a contact queued again after its answer and a twice-stored event once; answered and abandoned ones not', async () => {
    const board = await admin.wallboard.snapshot();
    const tile = board.queues.find((q) => q.key === requeueQueue.id)!;
    expect(tile.waiting).toBe(2);
    expect(tile.longestWaitS).toBe(100);
  });

  it('shows the incidents the rules opened for each queue', async () => {
    const board = await admin.wallboard.snapshot();
    const tile = board.queues.find((q) => q.key === queue.id)!;
    expect(tile.alerts.map((a) => [a.ruleName, a.severity, a.values])).toEqual([['backs up', 'critical', { waiting: 2 }]]);
    expect(board.alerts).toHaveLength(1);
  });

  it('lists every agent for the admin and only the supervisor’s team for the supervisor', async () => {
    const all = await admin.wallboard.snapshot();
    expect(all.agents).toHaveLength(demoCenter.agents.length);
    expect(all.agents.find((a) => a.key === agentElsewhere.id)).toMatchObject({ state: 'break', stateSince: at(120) });
    const mine = await supervisor.wallboard.snapshot();
    const ofTeam = demoCenter.agents.filter((a) => a.team_id === team.id).map((a) => a.id);
    expect(mine.agents.map((a) => a.key).sort()).toEqual(ofTeam.sort());
    expect(mine.agents.find((a) => a.key === agentOfTeam.id)).toMatchObject({ state: 'available', stateSince: at(300) });
    expect(mine.queues).toHaveLength(demoCenter.queues.length);
  });

  it('counts today in the tenant’s local day', async () => {
    const board = await admin.wallboard.snapshot();
    const dayStart = Date.parse(board.dayStart);
    expect(new Date(dayStart).toLocaleTimeString('en-GB', { timeZone: demoCenter.timezone })).toBe('00:00:00');
    // Offers 90 and 30 s ago plus the answered ones offered 605, 515 and 440 s ago; only those after local midnight count.
    const offeredAgo = [90, 30, 605, 515, 440];
    const answeredAgo = [600, 500, 400];
    const today = (ago: number[]) => ago.filter((s) => Date.parse(at(s)) >= dayStart).length;
    const tile = board.queues.find((q) => q.key === queue.id)!;
    expect(tile.today.offered).toBe(today(offeredAgo));
    expect(tile.today.answered).toBe(today(answeredAgo));
  });
});
