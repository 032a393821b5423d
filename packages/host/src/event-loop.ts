import { monitorEventLoopDelay } from 'node:perf_hooks';

const WINDOW_MS = 5_000;

/**
 * The event loop's delay over the last complete five-second window, as /api/health reports it: a host that blocks (a
 * long synchronous parse, a full GC) shows here before its requests time out.
 */
export function watchEventLoop() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = { p99_ms: 0, max_ms: 0 };
  const timer = setInterval(() => {
    last = { p99_ms: histogram.percentile(99) / 1e6, max_ms: histogram.max / 1e6 };
    histogram.reset();
  }, WINDOW_MS).unref();
  return {
    get last() {
      return last;
    },
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
