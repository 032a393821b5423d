import { Context } from '@temporalio/activity';

/**
 * Long activities heartbeat on a timer for as long as they run, so that the workflows can give them a heartbeat
 * timeout of seconds (workflows.ts): when the worker running an attempt dies, the attempt is retried on a live worker
 * that soon, not after its start-to-close timeout. Their slow parts wait on the stores or the math pool's threads,
 * which leaves this event loop free to beat. The SDK sends at most one heartbeat per 80% of the timeout; beating more
 * often only keeps one pending.
 */
const HEARTBEAT_EVERY_MS = 2_000;

/** `activity`, heartbeating `detail` from its start to its end. */
export function heartbeating<Args extends unknown[], Result>(detail: string, activity: (...args: Args) => Promise<Result>): (...args: Args) => Promise<Result> {
  return async (...args) => {
    const context = Context.current();
    context.heartbeat(detail);
    const timer = setInterval(() => context.heartbeat(detail), HEARTBEAT_EVERY_MS);
    try {
      return await activity(...args);
    } finally {
      clearInterval(timer);
    }
  };
}
