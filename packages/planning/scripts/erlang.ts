/**
 * npm run -s erlang -- --calls 100 --interval-s 1800 --aht-s 180 --target-sl 0.8 --target-s 20
 *
 * Prints one JSON object: the fewest agents for the target (or, with --agents, that
 * headcount) and what it achieves. Bad arguments: a message on stderr and exit code 2.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { evaluateStaffing, getStaffingWaterfall, type StaffingMetrics } from '../src/index.ts';

const usage = `Usage: npm run -s erlang -- --calls N --interval-s S --aht-s S --target-sl X --target-s T
                        [--patience-s S] [--agents N] [--max-occupancy X]

  --calls N            contacts offered in the interval
  --interval-s S       interval length, seconds
  --aht-s S            average handle time, seconds
  --target-sl X        service-level target in (0, 1), e.g. 0.8 (not needed with --agents)
  --target-s T         service-level threshold, seconds: "X answered within T s"
  --patience-s S       mean patience before abandoning: Erlang A instead of Erlang C
  --agents N           evaluate this headcount instead of searching the fewest agents
  --max-occupancy X    occupancy cap in (0, 1] for the search, e.g. 0.85
`;

const options = {
  calls: { type: 'string' },
  'interval-s': { type: 'string' },
  'aht-s': { type: 'string' },
  'target-sl': { type: 'string' },
  'target-s': { type: 'string' },
  'patience-s': { type: 'string' },
  agents: { type: 'string' },
  'max-occupancy': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The staffing schemas name fields; a CLI user knows flags. */
const flagOf: Record<string, string> = {
  calls: '--calls',
  interval_s: '--interval-s',
  aht_s: '--aht-s',
  service_level: '--target-sl',
  sl_threshold_s: '--target-s',
  patience_s: '--patience-s',
  agents: '--agents',
  max_occupancy: '--max-occupancy',
};

class UsageError extends Error {}

function toNumber(flag: string, value: string | undefined, required: boolean): number | undefined {
  if (value === undefined) {
    if (required) throw new UsageError(`${flag} is required`);
    return undefined;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got "${value}"`);
  return n;
}

function run(argv: string[]): Record<string, number | null> {
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const agents = toNumber('--agents', values.agents, false);
  const common = {
    calls: toNumber('--calls', values.calls, true)!,
    interval_s: toNumber('--interval-s', values['interval-s'], true)!,
    aht_s: toNumber('--aht-s', values['aht-s'], true)!,
    sl_threshold_s: toNumber('--target-s', values['target-s'], true)!,
    patience_s: toNumber('--patience-s', values['patience-s'], false),
  };
  let metrics: StaffingMetrics & { agents: number };
  if (agents !== undefined) {
    if (values['max-occupancy'] !== undefined) throw new UsageError('--max-occupancy applies to the search; drop it or --agents');
    // not used for a given headcount, but a malformed value is still a mistake worth reporting
    toNumber('--target-sl', values['target-sl'], false);
    metrics = evaluateStaffing({ ...common, agents });
  } else {
    const waterfall = getStaffingWaterfall({
      ...common,
      target: { kind: 'service_level', service_level: toNumber('--target-sl', values['target-sl'], true)! },
      max_occupancy: toNumber('--max-occupancy', values['max-occupancy'], false),
    });
    metrics = { agents: waterfall.agents, ...waterfall.achieved };
  }
  if (!metrics.stable) process.stderr.write(`unstable: ${metrics.agents} agents cannot keep up with the workload, so the queue grows without bound\n`);
  return {
    agents: metrics.agents,
    service_level: metrics.service_level,
    p_wait: metrics.p_wait,
    asa_s: Number.isFinite(metrics.asa_s) ? metrics.asa_s : null,
    occupancy: metrics.occupancy,
    ...(metrics.p_abandon === null ? {} : { p_abandon: metrics.p_abandon }),
  };
}

function describeError(error: unknown): string | null {
  if (error instanceof UsageError) return error.message;
  if (error instanceof z.ZodError) {
    return error.issues.map((i) => `${flagOf[String(i.path.at(-1))] ?? i.path.join('.')}: ${i.message}`).join('\n');
  }
  // parseArgs reports unknown or malformed flags with a code
  if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) return error.message;
  return null;
}

try {
  process.stdout.write(`${JSON.stringify(run(process.argv.slice(2)))}\n`);
} catch (error) {
  const message = describeError(error);
  if (message === null) throw error;
  process.stderr.write(`${message}\n\n${usage}`);
  process.exit(2);
}
