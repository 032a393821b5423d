import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { forecastQueue } from './forecast-queue.ts';
import type { moveBreaks } from './move-breaks.ts';
import type { scheduleWeek } from './schedule-week.ts';
import type { scoreBatch } from './score-batch.ts';
import type { staffQueue } from './staff-queue.ts';

/**
 * Forecast fitting, staffing searches, schedule solves, break moves and transcript scoring run in worker threads so
 * the host's event loop (wallboards, ingest) never waits behind them. The math takes one thread per spare core, at least one.
 * Scoring has threads of its own, one per core: a tick scores thousands of interactions in chunks of a fraction of a
 * second each, between which the event loop gets its share of the cores, and a forecast never queues behind it.
 */
export interface MathPool {
  forecastQueue(input: Parameters<typeof forecastQueue>[0]): Promise<ReturnType<typeof forecastQueue>>;
  staffQueue(input: Parameters<typeof staffQueue>[0]): Promise<ReturnType<typeof staffQueue>>;
  scheduleWeek(input: Parameters<typeof scheduleWeek>[0]): ReturnType<typeof scheduleWeek>;
  moveBreaks(input: Parameters<typeof moveBreaks>[0]): ReturnType<typeof moveBreaks>;
  scoreBatch(input: Parameters<typeof scoreBatch>[0]): Promise<ReturnType<typeof scoreBatch>>;
  close(): Promise<void>;
}

export function createMathPool(options: { threads?: number; scoringThreads?: number } = {}): MathPool {
  const threads = (maxThreads: number) =>
    new Piscina({
      filename: fileURLToPath(new URL('./pool-worker.mjs', import.meta.url)),
      minThreads: 0,
      maxThreads,
      idleTimeout: 60_000,
      // The entry registers its own loader (pool-worker.mjs); the parent's flags would add a second.
      execArgv: [],
    });
  const pool = threads(options.threads ?? Math.max(1, availableParallelism() - 1));
  const scoring = threads(options.scoringThreads ?? availableParallelism());
  return {
    forecastQueue: (input) => pool.run(input, { name: 'forecastQueue' }),
    staffQueue: (input) => pool.run(input, { name: 'staffQueue' }),
    scheduleWeek: (input) => pool.run(input, { name: 'scheduleWeek' }),
    moveBreaks: (input) => pool.run(input, { name: 'moveBreaks' }),
    scoreBatch: (input) => scoring.run(input, { name: 'scoreBatch' }),
    close: async () => {
      await Promise.all([pool.destroy(), scoring.destroy()]);
    },
  };
}
