import type { IngestEventError, TelemetryEvent } from '@switchboard/contracts';
import { demoCenter, demoTraffic, simulate } from '@switchboard/simulator';
import type { BackfillArgs } from './args.ts';
import { createRunId, encodeBatch, type Batch } from './batches.ts';
import { createProgress, createRunStats, formatCount, type Progress, type RunStats } from './progress.ts';
import { loadBackfillSchedule } from './schedule.ts';
import { EventSender, SendError, type SendResult } from './sender.ts';

const DAY_MS = 86_400_000;
/** Rejection details printed per batch; the rest are only counted. */
const ERRORS_SHOWN = 3;

function logRejections(log: (line: string) => void, batch: Batch, errors: IngestEventError[], rejected: number): void {
  if (rejected === 0) return;
  const shown = errors.slice(0, ERRORS_SHOWN).map((e) => `#${e.index} ${e.reason}${e.path ? ` at ${e.path}` : ''}: ${e.message}`);
  log(`batch ${batch.key}: ${rejected} event(s) rejected — ${shown.join('; ')}${rejected > shown.length ? '; …' : ''}`);
}

export function recordResult(stats: RunStats, batch: Batch, result: SendResult, log: (line: string) => void): void {
  stats.batches++;
  stats.accepted += result.accepted;
  stats.rejected += result.rejected;
  stats.retries += result.attempts - 1;
  if (result.replayed) stats.replayedBatches++;
  logRejections(log, batch, result.errors, result.rejected);
}

export interface BackfillRun {
  stats: RunStats;
  from: number;
  to: number;
}

/**
 * Sends the simulated history [until − days, until) with up to `concurrency` requests in
 * flight. Generation waits for a free slot, so memory holds at most that many batches.
 * Agents follow the schedules published for the window, read once before it starts.
 */
export async function runBackfill(args: BackfillArgs, apiKey: string, signal: AbortSignal): Promise<BackfillRun> {
  const to = args.until ?? Date.now();
  const from = to - Math.round(args.days * DAY_MS);
  const schedule = await loadBackfillSchedule({ url: args.url, apiKey, timezone: args.timezone }, from, to, console.log);
  const stats = createRunStats();
  const progress: Progress = createProgress('backfill', from, to, stats);
  const runId = createRunId({
    mode: 'backfill',
    seed: args.seed,
    from,
    to,
    batch: args.batch,
    staffing: args.staffing,
    volume: args.volume,
    gzip: args.gzip,
    timezone: args.timezone,
    // The schedule shapes the bytes too; a run without one keeps the keys it always had.
    ...(schedule ? { schedule: JSON.stringify(schedule.activities) } : {}),
  });
  const sender = new EventSender({
    url: args.url,
    apiKey,
    gzip: args.gzip,
    onRetry: (batch, reason, waitMs) => progress.log(`batch ${batch.key}: ${reason}; retrying in ${(waitMs / 1000).toFixed(1)} s`),
  });

  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let sequence = 0;
  const dispatch = async (events: TelemetryEvent[]) => {
    while (inFlight.size >= args.concurrency) await Promise.race(inFlight);
    if (failure !== null) return;
    const batch = await encodeBatch(events, `sim-${runId}-${sequence++}`, args.gzip);
    const sending = sender.send(batch).then(
      (result) => {
        recordResult(stats, batch, result, progress.log);
        progress.update(batch.lastAt);
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    const tracked = sending.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  try {
    let pending: TelemetryEvent[] = [];
    for (const event of simulate({
      config: { ...demoCenter, timezone: args.timezone },
      traffic: demoTraffic,
      seed: args.seed,
      start: from,
      end: to,
      staffingFactor: args.staffing,
      volumeFactor: args.volume,
      ...(schedule ? { schedule: schedule.book } : {}),
    })) {
      stats.generated++;
      pending.push(event);
      if (pending.length < args.batch) continue;
      await dispatch(pending);
      pending = [];
      if (failure !== null || signal.aborted) break;
    }
    if (pending.length > 0 && failure === null && !signal.aborted) await dispatch(pending);
    await Promise.all(inFlight);
  } finally {
    progress.stop();
  }
  if (failure instanceof SendError) {
    // Keys and bytes depend only on the arguments, so the same window resends identically.
    throw new SendError(
      `${failure.message}\n${formatCount(stats.accepted)} events were stored before the run stopped; run again with ` +
        `--until ${new Date(to).toISOString()} to resume: batches already stored are replayed, not stored twice`,
    );
  }
  if (failure !== null) throw failure;
  return { stats, from, to };
}
