import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { forecastQueue } from './forecast-queue.ts';
import type { scheduleWeek } from './schedule-week.ts';
import type { staffQueue } from './staff-queue.ts';

/**
 * Forecast fitting, staffing searches and schedule solves run in worker threads so the host's event loop (wallboards, ingest)
 * never waits behind it. One thread per spare core, at least one.
 */
export interface MathPool {
  forecastQueue(input: Parameters<typeof forecastQueue>[0]): Promise<ReturnType<typeof forecastQueue>>;
  staffQueue(input: Parameters<typeof staffQueue>[0]): Promise<ReturnType<typeof staffQueue>>;
  scheduleWeek(input: Parameters<typeof scheduleWeek>[0]): ReturnType<typeof scheduleWeek>;
  close(): Promise<void>;
}

export function createMathPool(options: { threads?: number } = {}): MathPool {
  const pool = new Piscina({
    filename: fileURLToPath(new URL('./pool-worker.mjs', import.meta.url)),
    minThreads: 0,
    maxThreads: options.threads ?? Math.max(1, availableParallelism() - 1),
    idleTimeout: 60_000,
    // The entry registers its own loader (pool-worker.mjs); the parent's flags would add a second.
    execArgv: [],
  });
  return {
    forecastQueue: (input) => pool.run(input, { name: 'forecastQueue' }),
    staffQueue: (input) => pool.run(input, { name: 'staffQueue' }),
    scheduleWeek: (input) => pool.run(input, { name: 'scheduleWeek' }),
    close: () => pool.destroy(),
  };
}
