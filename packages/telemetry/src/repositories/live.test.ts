import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@switchboard/contracts';
import { createTelemetryStore, type TelemetryStore } from '../client.ts';
import { encodeEventRow, eventColumns } from '../event-row.ts';
import { migrateTelemetry } from '../migrate.ts';
import { emptyLiveBase, getAgentCurrentStates, getLiveBase, getQueueWaiting } from './live.ts';

/**
 * The live reads split at a cut (a base read once, then only the events after it) answer
 * exactly what one read of the whole window answers, wherever the cut falls: between
 * a contact's queueing and its answer, on an event's own millisecond, after everything.
 */

const HOUR = 3_600_000;
/** The batch id of rows that no request stored: these are inserted directly. */
const NO_BATCH = '00000000-0000-0000-0000-000000000000';
const tenantId = `live-${randomUUID()}`;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const since = new Date(now.getTime() - 24 * HOUR);
const start = now.getTime() - 3 * HOUR;
const queues = ['q-a', 'q-b'];
const agents = ['ag-1', 'ag-2', 'ag-3', 'ag-4', 'ag-5'];

let dataDir: string;
let store: TelemetryStore;
const events: TelemetryEvent[] = [];
const times: number[] = [];

/** A fixed pseudo-random sequence (LCG), so a failure reproduces. */
function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function event(type: string, at: number, fields: Record<string, unknown>): TelemetryEvent {
  const ts = new Date(at).toISOString();
  times.push(at);
  return { event_id: randomUUID(), type, schema_version: 1, occurred_at: ts, sent_at: ts, source: 'routing', ...fields } as TelemetryEvent;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-live-'));
  store = createTelemetryStore({ dataDir });
  await migrateTelemetry(store.client, path.resolve(import.meta.dirname, '../../../../migrations/clickhouse'));

  const random = seeded(7);
  // Contacts over three hours: answered, abandoned, still waiting, queued again after an
  // answer, queued twice then answered, moved to the other queue; some stored twice.
  for (let i = 0; i < 120; i++) {
    const interaction_id = randomUUID();
    const queue_id = queues[i % 2]!;
    const ids = { interaction_id, queue_id, channel: 'voice' };
    const queuedAt = start + Math.floor(random() * 3 * HOUR);
    const later = (max: number) => Math.min(now.getTime(), queuedAt + 1_000 + Math.floor(random() * max));
    const kind = i % 6;
    events.push(event('interaction.queued', queuedAt, ids));
    if (kind === 0) events.push(event('interaction.answered', later(600_000), { ...ids, agent_id: agents[i % 5], wait_ms: 1_000 }));
    if (kind === 1) events.push(event('interaction.abandoned', later(600_000), { ...ids, wait_ms: 1_000 }));
    if (kind === 3) {
      const answeredAt = later(300_000);
      events.push(event('interaction.answered', answeredAt, { ...ids, agent_id: agents[i % 5], wait_ms: 1_000 }));
      events.push(event('interaction.queued', Math.min(now.getTime(), answeredAt + 60_000), ids));
    }
    if (kind === 4) {
      const requeuedAt = later(300_000);
      events.push(event('interaction.queued', requeuedAt, ids));
      events.push(event('interaction.answered', Math.min(now.getTime(), requeuedAt + 30_000), { ...ids, agent_id: agents[i % 5], wait_ms: 1_000 }));
    }
    if (kind === 5) {
      const movedAt = later(300_000);
      events.push(event('interaction.queued', movedAt, { ...ids, queue_id: queues[(i + 1) % 2] }));
      if (i % 12 === 5)
        events.push(
          event('interaction.answered', Math.min(now.getTime(), movedAt + 30_000), {
            ...ids,
            queue_id: queues[(i + 1) % 2],
            agent_id: agents[0],
            wait_ms: 1_000,
          }),
        );
    }
  }
  // Agents changing state (with and without an interaction), logging out and back in.
  const states = ['available', 'on_interaction', 'wrap_up', 'break', 'available'];
  for (let i = 0; i < 200; i++) {
    const agent_id = agents[i % 5]!;
    const at = start + Math.floor(random() * 3 * HOUR);
    if (i % 23 === 0) events.push(event('agent.logged_out', at, { source: 'desktop', agent_id }));
    else
      events.push(
        event('agent.state_changed', at, {
          source: 'desktop',
          agent_id,
          state: states[i % 5],
          reason_code: i % 2 ? 'lunch' : '',
          ...(i % 3 ? { interaction_id: randomUUID() } : {}),
        }),
      );
  }
  const duplicates = events.filter((_, i) => i % 17 === 0);
  const encode = (list: TelemetryEvent[]) => Buffer.from(list.map((e) => encodeEventRow(tenantId, e, 'test', NO_BATCH)).join(''));
  await store.insertTsv({ table: 'events', columns: eventColumns, body: encode(events) });
  await store.insertTsv({ table: 'events', columns: eventColumns, body: encode(duplicates) });
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('live reads split at a cut', () => {
  it('see contacts waiting and agents in several states over the whole window', async () => {
    const whole = emptyLiveBase(since);
    const waiting = await getQueueWaiting(store.client, { tenantId, now, base: whole });
    expect(waiting.map((w) => w.queue_id)).toEqual(queues);
    expect(waiting.reduce((n, w) => n + w.waiting, 0)).toBeGreaterThan(20);
    const states = await getAgentCurrentStates(store.client, { tenantId, now, base: whole });
    expect(states.map((s) => s.agent_id)).toEqual(agents);
  });

  it('answer as one read of the whole window wherever the cut falls', async () => {
    const whole = emptyLiveBase(since);
    const expectedWaiting = await getQueueWaiting(store.client, { tenantId, now, base: whole });
    const expectedStates = await getAgentCurrentStates(store.client, { tenantId, now, base: whole });
    // Every 20 minutes, on events' own milliseconds (an event at the cut belongs after it), and at now.
    const sorted = [...new Set(times)].sort((a, b) => a - b);
    const cuts = [...Array.from({ length: 9 }, (_, i) => start + i * 20 * 60_000), ...sorted.filter((_, i) => i % 40 === 0), now.getTime()];
    for (const cut of cuts) {
      const base = await getLiveBase(store.client, { tenantId, since, cut: new Date(cut) });
      const label = `cut at ${new Date(cut).toISOString()}`;
      expect(await getQueueWaiting(store.client, { tenantId, now, base }), label).toEqual(expectedWaiting);
      expect(await getAgentCurrentStates(store.client, { tenantId, now, base }), label).toEqual(expectedStates);
    }
  });

  it('read the whole window when too many contacts wait at the cut to list', async () => {
    const expected = await getQueueWaiting(store.client, { tenantId, now, base: emptyLiveBase(since) });
    const base = await getLiveBase(store.client, { tenantId, since, cut: new Date(start + HOUR) });
    // Contacts no event stands behind: counted if the base were used, ignored when the window is read whole.
    const stuck = Array.from({ length: 2_001 }, () => ({ queue_id: 'q-a', interaction_id: randomUUID(), queued_ms: start }));
    expect(await getQueueWaiting(store.client, { tenantId, now, base: { ...base, waiting: [...base.waiting, ...stuck] } })).toEqual(expected);
  });

  it('narrow the agents after the cut to a scope', async () => {
    const states = await getAgentCurrentStates(store.client, { tenantId, now, base: emptyLiveBase(since), agentIds: ['ag-2'] });
    expect(states.map((s) => s.agent_id)).toEqual(['ag-2']);
    // A base read for every agent is narrowed too.
    const base = await getLiveBase(store.client, { tenantId, since, cut: new Date(start + HOUR) });
    expect(base.agents.length).toBeGreaterThan(1);
    expect(await getAgentCurrentStates(store.client, { tenantId, now, base, agentIds: ['ag-2'] })).toEqual(states);
  });
});
