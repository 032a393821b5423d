import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { serviceLevelThresholdsS, SHORT_ABANDON_MS, type TelemetryEvent } from '@switchboard/contracts';
import { queryRows, UInt64 } from '@switchboard/telemetry';

/**
 * Every rollup cell computed here, in plain TypeScript, from the events that were sent —
 * an oracle independent of the SQL that builds the rollups — and the same cells read back
 * from the store, both as `{ rollup: { "dims|interval": { measure: value } } }`.
 */
export type RollupCells = Record<string, Record<string, Record<string, number>>>;

type InteractionEvent = Extract<TelemetryEvent, { type: `interaction.${string}` }>;
const isInteraction = (e: TelemetryEvent): e is InteractionEvent => e.type.startsWith('interaction.');
const startOf = (iso: string, ms: number) => new Date(Math.floor(Date.parse(iso) / ms) * ms).toISOString();
const interval = (iso: string) => startOf(iso, 900_000);
const chTime = z.string().transform((v) => `${v.replace(' ', 'T')}.000Z`);

const queueColumns = [
  'offered',
  'answered',
  ...serviceLevelThresholdsS.map((s) => `answered_within_${s}s`),
  'abandoned',
  'short_abandoned',
  'wait_answered_ms_sum',
  'wait_abandoned_ms_sum',
  'wait_ms_max',
  'handled',
  'talk_ms_sum',
  'hold_ms_sum',
  'wrapups',
  'wrapup_ms_sum',
  'holds',
  'transferred',
];
const agentColumns = ['answered', 'handled', 'talk_ms_sum', 'hold_ms_sum', 'wrapups', 'wrapup_ms_sum', 'holds', 'transferred'];
const stateColumns = ['state_ms', 'entries'];
const botColumns = ['sessions', 'contained', 'escalated', 'abandoned', 'turns_sum', 'duration_ms_sum'];

function add(map: Map<string, Record<string, number>>, key: string, values: Record<string, number>) {
  const row = map.get(key) ?? {};
  for (const [k, v] of Object.entries(values)) row[k] = k === 'wait_ms_max' ? Math.max(row[k] ?? 0, v) : (row[k] ?? 0) + v;
  map.set(key, row);
}

/**
 * Cells with every value 0 are left out on both sides: a cell of events that count in no
 * measure (only queued contacts in a minute) is written by some paths and not by others.
 */
const nonZero = (cells: [string, Record<string, number>][]) => Object.fromEntries(cells.filter(([, v]) => Object.values(v).some((n) => n !== 0)));

const complete = (map: Map<string, Record<string, number>>, columns: string[]) =>
  nonZero([...map].map(([k, v]) => [k, Object.fromEntries(columns.map((c) => [c, v[c] ?? 0]))]));

/** The rollups of `events`, each event_id counted once. */
export function expectedRollups(sent: readonly TelemetryEvent[]): RollupCells {
  const seen = new Set<string>();
  const events = sent.filter((e) => !seen.has(e.event_id) && seen.add(e.event_id));
  const queue = new Map<string, Record<string, number>>();
  const queueMinute = new Map<string, Record<string, number>>();
  const agent = new Map<string, Record<string, number>>();
  const state = new Map<string, Record<string, number>>();
  const bot = new Map<string, Record<string, number>>();
  for (const e of events) {
    if (isInteraction(e)) {
      const values: Record<string, number> = {};
      if (e.type === 'interaction.offered') values.offered = 1;
      if (e.type === 'interaction.answered') {
        values.answered = 1;
        values.wait_answered_ms_sum = e.wait_ms;
        values.wait_ms_max = e.wait_ms;
        for (const s of serviceLevelThresholdsS) values[`answered_within_${s}s`] = e.wait_ms <= s * 1000 ? 1 : 0;
      }
      if (e.type === 'interaction.abandoned') {
        values.abandoned = 1;
        values.short_abandoned = e.wait_ms < SHORT_ABANDON_MS ? 1 : 0;
        values.wait_abandoned_ms_sum = e.wait_ms;
        values.wait_ms_max = e.wait_ms;
      }
      if (e.type === 'interaction.ended') Object.assign(values, { handled: 1, talk_ms_sum: e.talk_ms, hold_ms_sum: e.hold_ms });
      if (e.type === 'interaction.wrapup_ended') Object.assign(values, { wrapups: 1, wrapup_ms_sum: e.wrapup_ms });
      if (e.type === 'interaction.held') values.holds = 1;
      if (e.type === 'interaction.transferred') values.transferred = 1;
      add(queue, `${e.queue_id}|${e.channel}|${interval(e.occurred_at)}`, values);
      add(queueMinute, `${e.queue_id}|${e.channel}|${startOf(e.occurred_at, 60_000)}`, values);
      const { answered, handled, talk_ms_sum, hold_ms_sum, wrapups, wrapup_ms_sum, holds, transferred } = values;
      const agentValues = Object.fromEntries(
        Object.entries({ answered, handled, talk_ms_sum, hold_ms_sum, wrapups, wrapup_ms_sum, holds, transferred }).filter(([, v]) => v !== undefined),
      ) as Record<string, number>;
      if ('agent_id' in e && Object.keys(agentValues).length > 0)
        add(agent, `${e.agent_id}|${e.queue_id}|${e.channel}|${interval(e.occurred_at)}`, agentValues);
    }
    if (e.type === 'agent.state_changed') {
      add(state, `${e.agent_id}|${e.state}|${interval(e.occurred_at)}`, { entries: 1 });
      if (e.previous_state && e.previous_state_ms) {
        const end = Date.parse(e.occurred_at);
        const start = end - e.previous_state_ms;
        for (let slot = Math.floor(start / 900_000) * 900_000; slot < end; slot += 900_000) {
          const ms = Math.min(end, slot + 900_000) - Math.max(start, slot);
          add(state, `${e.agent_id}|${e.previous_state}|${new Date(slot).toISOString()}`, { state_ms: ms });
        }
      }
    }
    if (e.type === 'bot.session_ended') {
      add(bot, `${e.bot_id}|${e.channel}|${e.intent ?? ''}|${e.escalation_reason ?? ''}|${interval(e.occurred_at)}`, {
        sessions: 1,
        contained: e.outcome === 'contained' ? 1 : 0,
        escalated: e.outcome === 'escalated' ? 1 : 0,
        abandoned: e.outcome === 'abandoned' ? 1 : 0,
        turns_sum: e.turns,
        duration_ms_sum: e.duration_ms,
      });
    }
  }
  return {
    queue_interval_15m: complete(queue, queueColumns),
    queue_interval_1m: complete(queueMinute, queueColumns),
    agent_interval_15m: complete(agent, agentColumns),
    agent_state_interval_15m: complete(state, stateColumns),
    bot_intent_interval_15m: complete(bot, botColumns),
  };
}

async function readCells(client: ClickHouseClient, tenantId: string, table: string, dims: string[], columns: string[]) {
  // sql-safe: table, dims and columns are the rollups' names, literals at every call below.
  const rows = await queryRows(
    client,
    z.object({ interval_start: chTime }).catchall(z.unknown()),
    `SELECT ${dims.join(', ')}, interval_start, ${columns.map((c) => `${c === 'wait_ms_max' ? 'max' : 'sum'}(${c}) AS ${c}`).join(', ')}
       FROM ${table} WHERE tenant_id = {tenantId:String}
      GROUP BY ${dims.join(', ')}, interval_start`,
    { tenantId },
  );
  return nonZero(
    rows.map((r) => [[...dims.map((d) => r[d] as string), r.interval_start].join('|'), Object.fromEntries(columns.map((c) => [c, UInt64.parse(r[c])]))]),
  );
}

/** The rollups as stored for one tenant, cell by cell. */
export async function storedRollups(client: ClickHouseClient, tenantId: string): Promise<RollupCells> {
  return {
    queue_interval_15m: await readCells(client, tenantId, 'queue_interval_15m', ['queue_id', 'channel'], queueColumns),
    queue_interval_1m: await readCells(client, tenantId, 'queue_interval_1m', ['queue_id', 'channel'], queueColumns),
    agent_interval_15m: await readCells(client, tenantId, 'agent_interval_15m', ['agent_id', 'queue_id', 'channel'], agentColumns),
    agent_state_interval_15m: await readCells(client, tenantId, 'agent_state_interval_15m', ['agent_id', 'state'], stateColumns),
    bot_intent_interval_15m: await readCells(client, tenantId, 'bot_intent_interval_15m', ['bot_id', 'channel', 'intent', 'escalation_reason'], botColumns),
  };
}

/** Cells that differ between an oracle's rollups and the stored ones, as "rollup cell" (a cell on one side only counts too). */
export function differingCells(expected: RollupCells, stored: RollupCells): string[] {
  return Object.keys(expected).flatMap((rollup) =>
    Object.keys({ ...expected[rollup], ...stored[rollup] })
      .filter((cell) => JSON.stringify(expected[rollup]![cell]) !== JSON.stringify(stored[rollup]?.[cell]))
      .map((cell) => `${rollup} ${cell}`),
  );
}
