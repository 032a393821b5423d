import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './host.ts';

/**
 * The fault suite (tests/faults) runs in two tiers: `fast` inside the README's test command, `long` with
 * `npm run test:faults -- --long`. Each test picks its sizes with `byTier` and records what it measured with
 * `recordFaultFigures`; scripts/test-faults.ts folds the records into the suite's one JSON line.
 */
type FaultTier = 'fast' | 'long';

const faultTier: FaultTier = process.env.SWITCHBOARD_FAULTS_TIER === 'long' ? 'long' : 'fast';

export const byTier = <T>(fast: T, long: T): T => (faultTier === 'long' ? long : fast);

/** Where each test's figures land (one file per test), read back by scripts/test-faults.ts. */
export const faultFiguresDir = path.join(repoRoot, 'test-results', 'faults');

/** What a fault test measured. Counts add up across tests; `*_ms` lists are pooled before taking percentiles; maxima take the largest. */
export interface FaultFigures {
  events: number;
  lost: number;
  duplicates: number;
  phantoms: number;
  kills: number;
  /** Each restart's time from spawning the host to the first 2xx of an ingest request. */
  restart_to_2xx_ms: number[];
  backpressure_max_rss_mb: number;
  lag_p99_ms: number;
  /** Seconds from the first failed write to the first 503, or null when the test could not run (see `skipped`). */
  disk_full_detect_s: number | null;
  fuzz_cases: number;
  fuzz_5xx: number;
  /** HTTP fuzz: case → status → count. */
  fuzz_table: Record<string, Record<string, number>>;
  injection_cases: number;
  injection_leaks: number;
  worker_kills: number;
  workflow_dup_effects: number;
  pii_hits: number;
  /** Anything else a test wants reported beside the summary's fields. */
  extra: Record<string, unknown>;
  /** A test that could not run here, and why (e.g. a tmpfs mount without root). */
  skipped: string;
}

/** Writes `test`'s figures for the summary; call it once a test has measured (and asserted) them. */
export function recordFaultFigures(test: string, figures: Partial<FaultFigures>): void {
  mkdirSync(faultFiguresDir, { recursive: true });
  writeFileSync(path.join(faultFiguresDir, `${test}.json`), JSON.stringify({ test, tier: faultTier, ...figures }));
}
