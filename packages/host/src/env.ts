import { parseOutboundAllowHosts } from '@switchboard/api';
import { isTimeZone } from '@switchboard/calendar';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseTrustedProxies } from './client-address.ts';
import { isMailbox, isSmtpUrl } from './mail-sender.ts';

const Flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** A comma-separated list read by `parse`, whose thrown sentence names the wrong entry. */
const List = <T>(parse: (text: string) => T) =>
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      try {
        return parse(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  SWITCHBOARD_DATA_DIR: z.string().default('.data'),
  CLICKHOUSE_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** Serve the Next.js pages (off for API-only processes such as ingest tests). */
  SWITCHBOARD_WEB: Flag.default(true),
  /** Seed the demo tenant and write its API key to <data dir>/demo-api-key at start. */
  SWITCHBOARD_SEED_DEMO: Flag.default(false),
  /**
   * The demo center's time zone: an IANA zone, or `auto` for one where it is now working
   * hours (npm start's first run). Kept in <data dir>/demo-timezone once seeded.
   */
  SWITCHBOARD_DEMO_TIMEZONE: z
    .string()
    .refine((v) => v === 'auto' || isTimeZone(v), 'must be an IANA time zone such as Europe/London, or auto')
    .optional(),
  /** Signs session cookies (≥ 32 characters). Required with DATABASE_URL; embedded mode keeps one in <data dir>/auth-secret. */
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  /** The URL people open, when it is not http://HOST:PORT (a proxy, https). */
  SWITCHBOARD_PUBLIC_URL: z.url().optional(),
  /** A Temporal frontend (`host:7233`): the host runs the planning worker against it. Unset: no workflows. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** The Temporal Web UI, linked from the planner's run list (`npm start` serves it on :8233). */
  TEMPORAL_UI_URL: z.url().optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  /** Fault tests only: lets tests/faults slow the store's inserts through a file in the data directory (fault-seams.ts). */
  SWITCHBOARD_FAULT_SEAMS: Flag.default(false),
  /** Names this process's rollup progress record with servers (stable across restarts); the machine's name by default. */
  SWITCHBOARD_INSTANCE: z.string().min(1).max(200).default(hostname()),
  /** Proxies (addresses or CIDRs) whose X-Forwarded-For names the client, for sign-in limits; none by default. */
  SWITCHBOARD_TRUSTED_PROXIES: List(parseTrustedProxies),
  /** Hosts (`name` or `name:port`) that URLs typed by tenant admins may reach over http or at private addresses: checkOutboundUrl's allowHosts. */
  SWITCHBOARD_OUTBOUND_ALLOW_HOSTS: List(parseOutboundAllowHosts),
  /** How long repeated failed sign-ins lock an account, in seconds. */
  SWITCHBOARD_ACCOUNT_LOCK_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60 * 60)
    .default(15 * 60),
  /** The SMTP server that delivers invitations and password resets (nodemailer's URL); unset: they wait in the outbox for an operator. */
  SWITCHBOARD_SMTP_URL: z
    .string()
    .refine(isSmtpUrl, 'must be smtp://[user:password@]host[:port] or smtps://…, e.g. smtps://user:password@mail.example.com:465')
    .optional(),
  /** How often alert rules are evaluated, in seconds; 0: never in this process (another evaluates them). */
  SWITCHBOARD_ALERT_EVALUATE_S: z.coerce.number().min(0).max(3600).default(15),
  /** The sender of that mail; required with SWITCHBOARD_SMTP_URL. */
  SWITCHBOARD_MAIL_FROM: z.string().refine(isMailbox, 'must be one address, e.g. Switchboard <switchboard@example.com>').optional(),
});

export type HostEnv = z.infer<typeof Env> & { dataDir: string; embedded: boolean };

/** Read and check the environment once, at start; a wrong value stops the process with a sentence saying what to set. */
export function loadHostEnv(source: NodeJS.ProcessEnv = process.env): HostEnv {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Switchboard cannot start: fix these environment variables:\n${problems}`);
  }
  const env = parsed.data;
  if (env.DATABASE_URL && !env.BETTER_AUTH_SECRET) {
    throw new Error(
      'Switchboard cannot start: with DATABASE_URL set, also set BETTER_AUTH_SECRET (the same value in every process, e.g. `openssl rand -hex 32`).',
    );
  }
  if (env.SWITCHBOARD_SMTP_URL && !env.SWITCHBOARD_MAIL_FROM) {
    throw new Error(
      'Switchboard cannot start: with SWITCHBOARD_SMTP_URL set, also set SWITCHBOARD_MAIL_FROM (the sender of invitations and password resets, e.g. "Switchboard <switchboard@example.com>").',
    );
  }
  return {
    ...env,
    dataDir: path.resolve(env.SWITCHBOARD_DATA_DIR),
    embedded: env.CLICKHOUSE_URL === undefined || env.DATABASE_URL === undefined,
  };
}
