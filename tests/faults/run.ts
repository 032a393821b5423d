/**
 * `npm run test:faults [-- --long]`: the fault suite (tests/faults and the ingest property tests) in one tier, then its
 * summary as the last line. `--summary` only prints the summary of figures already recorded (the README's test command
 * runs the fast tier with every other test, then this).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { quantile } from 'simple-statistics';
import { faultFiguresDir, type FaultFigures } from '../support/faults.ts';
import { repoRoot } from '../support/host.ts';

type Recorded = Partial<FaultFigures> & { test: string; tier: string };

function summarize(): Record<string, unknown> {
  const records: Recorded[] = existsSync(faultFiguresDir)
    ? readdirSync(faultFiguresDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(readFileSync(path.join(faultFiguresDir, f), 'utf8')) as Recorded)
    : [];
  const sum = (field: keyof FaultFigures) => records.reduce((n, r) => n + ((r[field] as number | undefined) ?? 0), 0);
  const max = (field: keyof FaultFigures) => {
    const values = records.map((r) => r[field]).filter((v): v is number => typeof v === 'number');
    return values.length > 0 ? Math.max(...values) : null;
  };
  const fuzzTable: Record<string, Record<string, number>> = {};
  for (const r of records) {
    for (const [name, statuses] of Object.entries(r.fuzz_table ?? {})) {
      const row = (fuzzTable[name] ??= {});
      for (const [status, count] of Object.entries(statuses)) row[status] = (row[status] ?? 0) + count;
    }
  }
  const restarts = records.flatMap((r) => r.restart_to_2xx_ms ?? []);
  const skipped = Object.fromEntries(records.filter((r) => r.skipped).map((r) => [r.test, r.skipped]));
  const extra = Object.fromEntries(records.filter((r) => r.extra).map((r) => [r.test, r.extra]));
  return {
    suite: 'faults',
    tier: records[0]?.tier ?? null,
    tests: records.map((r) => r.test),
    events: sum('events'),
    lost: sum('lost'),
    duplicates: sum('duplicates'),
    phantoms: sum('phantoms'),
    kills: sum('kills'),
    restart_to_2xx_p50_ms: restarts.length > 0 ? quantile(restarts, 0.5) : null,
    backpressure_max_rss_mb: max('backpressure_max_rss_mb'),
    lag_p99_ms: max('lag_p99_ms'),
    disk_full_detect_s: max('disk_full_detect_s') ?? (skipped['disk-full'] ? 'SKIPPED' : null),
    fuzz_cases: sum('fuzz_cases'),
    fuzz_5xx: sum('fuzz_5xx'),
    injection_cases: sum('injection_cases'),
    injection_leaks: sum('injection_leaks'),
    worker_kills: sum('worker_kills'),
    workflow_dup_effects: sum('workflow_dup_effects'),
    pii_hits: sum('pii_hits'),
    fuzz_table: fuzzTable,
    skipped,
    extra,
  };
}

const args = process.argv.slice(2);
let status = 0;
if (!args.includes('--summary')) {
  rmSync(faultFiguresDir, { recursive: true, force: true });
  const run = spawnSync('npx', ['vitest', 'run', 'tests/faults'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, SWITCHBOARD_FAULTS_TIER: args.includes('--long') ? 'long' : 'fast' },
  });
  status = run.status ?? 1;
}
console.log(JSON.stringify(summarize()));
process.exit(status);
