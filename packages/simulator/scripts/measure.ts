/**
 * Simulates local days of the demo center and prints generation speed and the queue KPIs
 * (offered, answered, abandoned, service level, ASA, AHT) as JSON. Speed is timed on
 * passes that only count events (the first one includes JIT warm-up); KPIs on another.
 *
 *   tsx packages/simulator/scripts/measure.ts [YYYY-MM-DD] [--days N] [--seed N] [--staffing F] [--volume F] [--passes N]
 */
import { parseArgs } from 'node:util';
import { demoCenter, getLocalMidnight, simulate } from '../src/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    passes: { type: 'string', default: '3' },
    days: { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    staffing: { type: 'string', default: '1' },
    volume: { type: 'string', default: '1' },
  },
});
const date = positionals[0] ?? '2024-05-06';
const day = Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const start = getLocalMidnight(demoCenter.timezone, day);
const end = getLocalMidnight(demoCenter.timezone, day + Number(values.days));

interface QueueStats {
  offered: number;
  answered: number;
  abandoned: number;
  withinThreshold: number;
  waitMs: number;
  handleMs: number;
  handled: number;
}
const thresholds = new Map(demoCenter.queues.map((q) => [q.id, q.sl_threshold_s * 1000]));
const queues = new Map<string, QueueStats>();
const byType = new Map<string, number>();
const hourly = new Map<number, { answered: number; within: number; abandoned: number }>();
const botOutcomes = new Map<string, number>();
let events = 0;
let arrivals = 0;
const options = { seed: Number(values.seed), start, end, staffingFactor: Number(values.staffing), volumeFactor: Number(values.volume) };

const eventsPerSecond: number[] = [];
for (let pass = 0; pass < Number(values.passes); pass++) {
  let count = 0;
  const began = performance.now();
  for (const _ of simulate(options)) count++;
  eventsPerSecond.push(Math.round(count / ((performance.now() - began) / 1000)));
}

for (const e of simulate(options)) {
  events++;
  byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  if (e.type === 'bot.session_started') arrivals++;
  if (e.type === 'bot.session_ended') botOutcomes.set(e.outcome, (botOutcomes.get(e.outcome) ?? 0) + 1);
  if (!('queue_id' in e) || e.queue_id === undefined || e.type === 'survey.response') continue;
  const q = queues.get(e.queue_id) ?? { offered: 0, answered: 0, abandoned: 0, withinThreshold: 0, waitMs: 0, handleMs: 0, handled: 0 };
  queues.set(e.queue_id, q);
  const hour = new Date(Date.parse(e.occurred_at) - (start - day * 86_400_000)).getUTCHours();
  const h = hourly.get(hour) ?? { answered: 0, within: 0, abandoned: 0 };
  hourly.set(hour, h);
  if (e.type === 'interaction.offered') q.offered++;
  if (e.type === 'interaction.answered') {
    q.answered++;
    q.waitMs += e.wait_ms;
    const within = e.wait_ms <= thresholds.get(e.queue_id)! ? 1 : 0;
    q.withinThreshold += within;
    if (e.channel === 'voice') {
      h.answered++;
      h.within += within;
    }
  }
  if (e.type === 'interaction.abandoned') {
    q.abandoned++;
    if (e.channel === 'voice') h.abandoned++;
  }
  if (e.type === 'interaction.ended') {
    q.handled++;
    q.handleMs += e.talk_ms + e.hold_ms;
  }
  if (e.type === 'interaction.wrapup_ended') q.handleMs += e.wrapup_ms;
}
const pct = (a: number, b: number) => (b === 0 ? null : Math.round((1000 * a) / b) / 10);
const offered = [...queues.values()].reduce((s, q) => s + q.offered, 0);
console.log(
  JSON.stringify(
    {
      date,
      days: Number(values.days),
      events,
      eventsPerSecond,
      botSessions: arrivals,
      botOutcomes: Object.fromEntries(botOutcomes),
      offered,
      byType: Object.fromEntries([...byType].sort()),
      queues: Object.fromEntries(
        [...queues].map(([id, q]) => [
          id,
          {
            offered: q.offered,
            answered: q.answered,
            abandonedPct: pct(q.abandoned, q.offered),
            slPct: pct(q.withinThreshold, q.answered + q.abandoned),
            asaS: Math.round(q.waitMs / Math.max(1, q.answered) / 1000),
            ahtS: Math.round(q.handleMs / Math.max(1, q.handled) / 1000),
          },
        ]),
      ),
      voiceSlByHour: Object.fromEntries(
        [...hourly].sort((a, b) => a[0] - b[0]).map(([hour, h]) => [hour, `${pct(h.within, h.answered + h.abandoned)}% (${h.answered + h.abandoned})`]),
      ),
    },
    null,
    1,
  ),
);
