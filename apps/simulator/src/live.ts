import type { TelemetryEvent } from '@switchboard/contracts';
import { demoCenter, demoTraffic, simulateLive } from '@switchboard/simulator';
import type { LiveArgs } from './args.ts';
import { recordResult } from './backfill.ts';
import { createRunId, encodeBatch } from './batches.ts';
import { createRunStats, formatCount, type RunStats } from './progress.ts';
import { LiveSchedule } from './schedule.ts';
import { EventSender } from './sender.ts';

const FLUSH_MS = 250;
const STATUS_MS = 30_000;
/** Requests in flight at once; more only while catching up from a --from in the past. */
const MAX_IN_FLIGHT = 4;

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * Follows the wall clock: the simulated clock starts at --from (default now), runs --speed
 * times faster, and never passes real time, because ingest refuses events from the future.
 * Events that came due are sent every ~250 ms until the signal aborts; then what is left is
 * flushed before returning. Agents follow the published schedule, looked up again every
 * 15 minutes and before each simulated local midnight.
 */
export async function runLive(args: LiveArgs, apiKey: string, signal: AbortSignal, clock: () => number = Date.now): Promise<RunStats> {
  const wallStart = clock();
  const from = args.from ?? wallStart;
  if (from > wallStart + 1000) throw new Error('--from must not be in the future: ingest refuses events from the future');
  if (args.speed > 1 && from >= wallStart - 1000) {
    console.log(`note: --speed ${args.speed} has nothing to catch up without --from in the past; running at real time`);
  }
  const simulatedNow = () => {
    const wall = clock();
    return Math.min(wall, from + (wall - wallStart) * args.speed);
  };

  const stats = createRunStats();
  const runId = createRunId({
    mode: 'live',
    seed: args.seed,
    from,
    wallStart,
    speed: args.speed,
    staffing: args.staffing,
    volume: args.volume,
    timezone: args.timezone,
  });
  const sender = new EventSender({
    url: args.url,
    apiKey,
    gzip: args.gzip,
    onRetry: (batch, reason, waitMs) => console.log(`batch ${batch.key}: ${reason}; retrying in ${(waitMs / 1000).toFixed(1)} s`),
  });
  const schedule = new LiveSchedule({ url: args.url, apiKey, timezone: args.timezone }, console.log);
  await schedule.refresh(from, clock());
  const simulation = simulateLive({
    config: { ...demoCenter, timezone: args.timezone },
    traffic: demoTraffic,
    seed: args.seed,
    start: from,
    staffingFactor: args.staffing,
    volumeFactor: args.volume,
    schedule: schedule.book,
  });
  let due: TelemetryEvent[] = [];
  let sequence = 0;
  let failure: unknown = null;
  const inFlight = new Set<Promise<void>>();

  const flush = async (all: boolean) => {
    while (due.length > 0 && (all || inFlight.size < MAX_IN_FLIGHT)) {
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const batch = await encodeBatch(due.splice(0, args.batch), `live-${runId}-${sequence++}`, args.gzip);
      const sending = sender.send(batch).then(
        (result) => recordResult(stats, batch, result, console.log),
        (error: unknown) => {
          failure ??= error;
        },
      );
      const tracked = sending.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
  };

  console.log(`live: simulated clock from ${new Date(from).toISOString()} at speed ${args.speed}; Ctrl-C to stop`);
  let lastStatus = Date.now();
  while (!signal.aborted && failure === null) {
    const now = simulatedNow();
    await schedule.refresh(now, clock());
    const events = simulation.advanceTo(now);
    stats.generated += events.length;
    for (const event of events) due.push(event);
    await flush(false);
    if (Date.now() - lastStatus >= STATUS_MS) {
      console.log(`live ${new Date(now).toISOString()}: ${formatCount(stats.accepted)} events stored, ${formatCount(stats.rejected)} rejected`);
      lastStatus = Date.now();
    }
    await wait(FLUSH_MS, signal);
  }
  if (failure === null) await flush(true);
  await Promise.all(inFlight);
  due = [];
  if (failure !== null) throw failure;
  return stats;
}
