import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TelemetryStore } from '@switchboard/telemetry';

/** The file a fault test writes to slow the store's event inserts (milliseconds per 1,000 rows); removing it releases. */
export const SLOW_INSERTS_FILE = 'fault-slow-inserts';

/**
 * The backpressure test's seam (tests/faults/backpressure.test.ts), on only with SWITCHBOARD_FAULT_SEAMS=1: each insert
 * into `events` first waits in proportion to its rows, as a store that keeps up with a known rate would. The test sets
 * and releases the slowness through a file in the data directory, read at most once a second.
 */
export function withFaultSeams(store: TelemetryStore, dataDir: string): TelemetryStore {
  const file = path.join(dataDir, SLOW_INSERTS_FILE);
  let msPer1k = 0;
  let readAt = 0;
  const slowness = () => {
    if (Date.now() - readAt >= 1_000) {
      readAt = Date.now();
      try {
        msPer1k = Number(readFileSync(file, 'utf8').trim()) || 0;
      } catch {
        msPer1k = 0;
      }
    }
    return msPer1k;
  };
  return {
    ...store,
    async insertTsv(params) {
      const ms = params.table === 'events' ? slowness() : 0;
      if (ms > 0) {
        let rows = 0;
        for (let i = params.body.indexOf(10); i !== -1; i = params.body.indexOf(10, i + 1)) rows++;
        await new Promise((r) => setTimeout(r, (ms * rows) / 1_000));
      }
      return store.insertTsv(params);
    },
  };
}
