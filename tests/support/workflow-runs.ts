import type { WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';

/**
 * Watching planning runs on the Temporal dev server from a test: which activities run, how long a run took, and which
 * activity attempts Temporal retried (a worker that died under them).
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Where a run's `activityType` is: an attempt running on a worker (its task picked up), one waiting for a worker
 * (scheduled, or between retries), or none pending (not reached, done, or the run closed).
 */
export async function activityState(handle: WorkflowHandle, activityType: string): Promise<'running' | 'waiting' | 'none'> {
  const { raw } = await handle.describe();
  const pending = raw.pendingActivities?.find((a) => a.activityType?.name === activityType);
  if (!pending) return 'none';
  return pending.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED ? 'running' : 'waiting';
}

/** Resolves once every run has an attempt of its activity running at the same moment. */
export async function waitForRunningActivities(runs: { handle: WorkflowHandle; activityType: string }[], timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const states = await Promise.all(runs.map((r) => activityState(r.handle, r.activityType)));
    if (states.every((s) => s === 'running')) return;
    await sleep(25);
  }
  throw new Error(`the activities ${runs.map((r) => r.activityType).join(', ')} were not seen running together within ${timeoutMs} ms`);
}

type EventTime = { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined;

const millis = (t: EventTime): number => {
  if (!t) throw new Error('an event without a time');
  const seconds = typeof t.seconds === 'number' ? t.seconds : (t.seconds?.toNumber() ?? 0);
  return seconds * 1000 + Math.round((t.nanos ?? 0) / 1e6);
};

/** Milliseconds from the run's start to its close, or to the last completion of `untilActivity` when given. */
export function runMillis(history: History, untilActivity?: string): number {
  const events = history.events ?? [];
  const started = millis(events[0]?.eventTime);
  if (!untilActivity) return millis(events.at(-1)?.eventTime) - started;
  const scheduled = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === untilActivity).map((e) => String(e.eventId)));
  const completed = events.filter((e) => scheduled.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? '')));
  if (completed.length === 0) throw new Error(`${untilActivity} never completed`);
  return millis(completed.at(-1)!.eventTime) - started;
}

/**
 * The activities a run's history shows retried: for each, its type, the attempt that ran last, when that attempt
 * started (ms since the epoch) and why the one before it failed (`TIMEOUT_TYPE_HEARTBEAT` when its worker died).
 */
export function retriedActivities(history: History): { activityType: string; attempt: number; startedAt: number; lastFailure: string }[] {
  const events = history.events ?? [];
  const typeOf = new Map(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes!.activityType?.name ?? '']),
  );
  return events
    .filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1)
    .map((e) => {
      const started = e.activityTaskStartedEventAttributes!;
      const timeout = started.lastFailure?.timeoutFailureInfo?.timeoutType;
      return {
        activityType: typeOf.get(String(started.scheduledEventId)) ?? '',
        attempt: started.attempt!,
        startedAt: millis(e.eventTime),
        lastFailure: timeout ? temporal.api.enums.v1.TimeoutType[timeout] : (started.lastFailure?.message ?? ''),
      };
    });
}

/**
 * A history (or any Temporal record) as one text to search: payloads, which the client holds as bytes of their JSON,
 * decoded to that text, so that a value in a workflow's input, result, memo, signal or failure reads as it was sent.
 * (A protobuf message's own toJSON would write the bytes as base64.)
 */
export function historyText(record: unknown): string {
  const plain = (value: unknown): unknown => {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    if (Array.isArray(value)) return value.map(plain);
    if (value === null || typeof value !== 'object' || value instanceof Date) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  };
  return JSON.stringify(plain(record));
}

/** How often each canary occurs in `text`, ignoring case. */
export function countCanaries<K extends string>(text: string, canaries: Record<K, string>): Record<K, number> {
  const lower = text.toLowerCase();
  const counts = {} as Record<K, number>;
  for (const [name, value] of Object.entries(canaries) as [K, string][]) counts[name] = lower.split(value.toLowerCase()).length - 1;
  return counts;
}
