import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isTimeZone } from '@switchboard/calendar';
import { LATE_EVENT_HORIZON_DAYS } from '@switchboard/contracts';
import { demoCenter } from '@switchboard/simulator';

export const usage = `Switchboard contact-center simulator

Usage:
  npm run simulate -- backfill --days N [--until ISO] --url URL [options]
  npm run simulate -- live --url URL [--speed X] [--from ISO] [options]

Modes:
  backfill   N days of history ending now (or --until), sent as fast as ingest allows
  live       a wall-clock simulation from now (or --from), flushed every ~250 ms

Agents follow the schedules published on Switchboard when the API key has the
schedule:read scope (late log-ins, long breaks, a few no-shows, an outage now and then);
agents with nothing published that day, or every agent without that scope, work the demo
center's configured shifts. live looks for a new schedule every 15 minutes and at midnight.

Options:
  --url URL            Switchboard base URL, e.g. http://127.0.0.1:3000 (required)
  --api-key KEY        tenant API key; else $SWITCHBOARD_API_KEY, else .data/demo-api-key
  --seed S             integer seed; same seed and window give the same events (default 1)
  --days N             backfill: days of history, at most ${LATE_EVENT_HORIZON_DAYS} (ingest refuses older events)
  --until ISO          backfill: end of the history (default now)
  --batch N            events per request, 1–100000 (default 5000)
  --concurrency N      backfill: requests in flight, 1–64 (default 4)
  --speed X            live: simulated seconds per wall second (default 1); the simulated
                       clock never runs ahead of real time (ingest refuses future events),
                       so a speed above 1 needs --from in the past to catch up from
  --from ISO           live: where the simulated clock starts (default now)
  --staffing F         share of the demo center's agents at work, 0–1 (default 1)
  --volume F           contact volume multiplier (default 1)
  --timezone TZ        the demo center's IANA time zone (default America/New_York); npm start
                       picks one where it is working hours and keeps it in .data/demo-timezone
  --gzip               gzip request bodies
  -h, --help           this help

Exit status: 0 done, 1 a batch could not be delivered (after retries) or the run failed,
2 bad arguments, 3 ingest rejected some events (each one is logged).
`;

const Instant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time, e.g. 2024-05-06T12:00:00Z')
  .transform((s) => Date.parse(s));

const Common = {
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:3000' }).transform((u) => u.replace(/\/+$/, '')),
  apiKey: z.string().trim().min(1).optional(),
  seed: z.coerce.number({ error: 'must be an integer' }).int('must be an integer').default(1),
  batch: z.coerce.number().int().min(1).max(100_000).default(5000),
  staffing: z.coerce.number().min(0).max(1).default(1),
  volume: z.coerce.number().min(0).max(100).default(1),
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/London').default(demoCenter.timezone),
  gzip: z.boolean().default(false),
};

export const BackfillArgs = z.object({
  mode: z.literal('backfill'),
  ...Common,
  days: z.coerce
    .number({ error: 'is required: how many days of history to send' })
    .gt(0)
    .max(LATE_EVENT_HORIZON_DAYS, `must be at most ${LATE_EVENT_HORIZON_DAYS}: ingest refuses events older than that`),
  until: Instant.optional(),
  concurrency: z.coerce.number().int().min(1).max(64).default(4),
});
export type BackfillArgs = z.infer<typeof BackfillArgs>;

export const LiveArgs = z.object({
  mode: z.literal('live'),
  ...Common,
  speed: z.coerce.number().gt(0).max(100_000).default(1),
  from: Instant.optional(),
});
export type LiveArgs = z.infer<typeof LiveArgs>;

const CliArgs = z.discriminatedUnion('mode', [BackfillArgs, LiveArgs]);
type CliArgs = z.infer<typeof CliArgs>;

export type ParsedCommand = { kind: 'help' } | { kind: 'run'; args: CliArgs } | { kind: 'error'; message: string };

const modeOptions = {
  backfill: ['days', 'until', 'concurrency'],
  live: ['speed', 'from'],
} as const;

/** Reads argv (without node and the script) into validated options, or a message saying what is wrong. */
export function parseCommand(argv: string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        'api-key': { type: 'string' },
        seed: { type: 'string' },
        days: { type: 'string' },
        until: { type: 'string' },
        batch: { type: 'string' },
        concurrency: { type: 'string' },
        speed: { type: 'string' },
        from: { type: 'string' },
        staffing: { type: 'string' },
        volume: { type: 'string' },
        timezone: { type: 'string' },
        gzip: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [mode, ...extra] = positionals;
  if (mode !== 'backfill' && mode !== 'live') {
    return { kind: 'error', message: mode ? `unknown mode "${mode}": use backfill or live` : 'say which mode to run: backfill or live' };
  }
  if (extra.length > 0) return { kind: 'error', message: `unexpected argument "${extra[0]}"` };
  const other = mode === 'backfill' ? modeOptions.live : modeOptions.backfill;
  const misplaced = other.find((name) => values[name] !== undefined);
  if (misplaced) return { kind: 'error', message: `--${misplaced} does not apply to ${mode}` };

  const { 'api-key': apiKey, help: _help, ...rest } = values;
  const result = CliArgs.safeParse({ mode, ...rest, apiKey });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? '');
    const flag = name === 'apiKey' ? '--api-key' : `--${name}`;
    return { kind: 'error', message: name === 'url' && values.url === undefined ? '--url is required' : `${flag} ${issue.message}` };
  }
  return { kind: 'run', args: result.data };
}
