import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createApiServices, createCallerFactory, ensureMember, type ProcedureMeta } from '@switchboard/api';
import {
  createApiKey,
  createWebhookSubscription,
  ensureBuiltInForm,
  getMembership,
  saveAlertRule,
  saveCoachingRule,
  saveSpecialDay,
  storeEvaluations,
} from '@switchboard/db';
import { standardForm } from '@switchboard/quality';
import { byTier, recordFaultFigures } from '../support/faults.ts';
import { cookieOf, signIn } from '../support/api-client.ts';
import { postAll, sampleInteraction } from '../support/events.ts';
import { startTestHost, type TestHost } from '../support/host.ts';
import { createProcedureFixture, sampleInputs, type Fixture } from '../support/procedure-fixture.ts';

/**
 * Injection (OWASP ASVS V5): every string an input of every tRPC procedure takes (ids, names, filters, searches, sort
 * and dimension keys, found by walking each procedure's zod input and its sample input) is sent hostile — SQL and
 * ClickHouse parameter syntax, unicode quotes, a NUL, a column name outside the allowlist, a 100 KB string — by a
 * signed-in member of tenant A while tenant B holds recognisable rows in every store. Every answer must be a typed
 * 4xx or a 2xx with nothing of tenant B in it; a 5xx or a trace of B anywhere fails.
 */

const SHORT: Record<string, string> = {
  sql_or: "' OR 1=1 --",
  clickhouse_param: '{x:String}',
  sql_union: "') UNION SELECT * FROM users --",
  unicode_quotes: '‘’“”＇',
  nul: 'a\u0000b',
  outside_allowlist: 'tenant_id',
};
/** 100 KB of quote-laden text. */
const BIG = '\'"`) OR 1=1 -- '.repeat(Math.ceil(100_000 / 16)).slice(0, 100 * 1024);
/** The big string goes to every this-many-th string field (every one in the long tier). */
const BIG_EVERY = byTier(3, 1);

/** Who calls each procedure: the first role its policy lets in (the admin for most, the agent for an agent's own). */
const rolePreference = ['admin', 'supervisor', 'planner', 'analyst', 'agent'] as const;

// Lazy routers only show up in `procedures` once loaded.
await Promise.all(Object.values(appRouter._def.lazy).map((l) => l.load()));
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string; meta?: ProcedureMeta; inputs: unknown[] } }>;

type Segment = string | number;
interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string } };
}

/**
 * The paths of every string (and string enum, literal or record key) a zod input takes, whether the sample sets it or
 * not. Union options are marked `<u…>` (dropped when applied); records `<key>` / `<value>`.
 */
function stringPaths(schema: ZodLike | undefined, at: Segment[] = [], out: Segment[][] = [], depth = 0): Segment[][] {
  if (!schema || depth > 16) return out;
  const def = schema._zod.def;
  const inner = (key: string) => def[key] as ZodLike;
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'literal':
    case 'template_literal':
      out.push(at);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      stringPaths(inner('innerType'), at, out, depth + 1);
      break;
    case 'pipe':
      stringPaths(inner('in'), at, out, depth + 1);
      break;
    case 'lazy':
      stringPaths((def.getter as () => ZodLike)(), at, out, depth + 1);
      break;
    case 'object':
      for (const [key, field] of Object.entries(def.shape as Record<string, ZodLike>)) stringPaths(field, [...at, key], out, depth + 1);
      break;
    case 'array':
      stringPaths(inner('element'), [...at, 0], out, depth + 1);
      break;
    case 'tuple':
      (def.items as ZodLike[]).forEach((item, i) => stringPaths(item, [...at, i], out, depth + 1));
      break;
    case 'record':
      stringPaths(inner('keyType'), [...at, '<key>'], out, depth + 1);
      stringPaths(inner('valueType'), [...at, '<value>'], out, depth + 1);
      break;
    case 'union':
      (def.options as ZodLike[]).forEach((option, i) => stringPaths(option, [...at, `<u${i}>`], out, depth + 1));
      break;
    case 'intersection':
      stringPaths(inner('left'), at, out, depth + 1);
      stringPaths(inner('right'), at, out, depth + 1);
      break;
  }
  return out;
}

/** String leaves of a sample input (inside `z.unknown()` fields such as a form definition, which the schema walk cannot see). */
function sampleLeaves(value: unknown, at: Segment[] = [], out: Segment[][] = []): Segment[][] {
  if (typeof value === 'string') out.push(at);
  else if (Array.isArray(value)) value.forEach((v, i) => sampleLeaves(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) sampleLeaves(v, [...at, k], out);
  return out;
}
/** Leaves of a sample beyond the schema's own paths, at most this many per procedure. */
const EXTRA_LEAVES = 4;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The sample with the string at `path` replaced by `value` (intermediate objects made where the sample has none). */
function withValue(sample: unknown, path: Segment[], value: string): unknown {
  const segments = path.filter((s) => !(typeof s === 'string' && /^<u\d+>$/.test(s)));
  if (segments.length === 0) return value;
  const root: unknown = structuredClone(sample ?? {});
  let node: unknown = isObject(root) || Array.isArray(root) ? root : {};
  const top = node;
  for (let i = 0; i < segments.length; i++) {
    const last = i === segments.length - 1;
    const segment = segments[i]!;
    const container = node as Record<string, unknown> & unknown[];
    if (segment === '<key>' || segment === '<value>') {
      const keys = Object.keys(container);
      const key = keys[0] ?? 'k';
      if (last && segment === '<key>') container[value] = container[key] ?? value;
      else if (last) container[key] = value;
      else node = container[key] = isObject(container[key]) ? container[key] : {};
      continue;
    }
    if (last) {
      container[segment as never] = value as never;
      break;
    }
    const next = segments[i + 1]!;
    const current = container[segment as never] as unknown;
    const wantArray = typeof next === 'number';
    node = container[segment as never] = (wantArray ? (Array.isArray(current) ? current : []) : isObject(current) ? current : {}) as never;
  }
  return top;
}

interface Answer {
  status: number;
  body: string;
}

let t: TestHost;
let f: Fixture;
const cookies: Partial<Record<(typeof rolePreference)[number], string>> = {};
/** Lower-case strings only tenant B has: its id, its directory's ids and keys, the ids of its people, the marker on its rows. */
let needles: string[];
const marker = `zqbmark${randomUUID().slice(0, 6)}`;
const createCaller = createCallerFactory(appRouter);

beforeAll(async () => {
  // Loopback as a trusted proxy: each better-auth call below comes from its own address, clear of the sign-in budget.
  // PostgreSQL when the suite has one (CI always does): its own errors and row security as production meets them.
  const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
  t = await startTestHost({ SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.1,::1', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  f = await createProcedureFixture(t);
  const db = t.host.db.db;
  // Tenant B's recognisable rows: interactions in ClickHouse, and rules, days, forms, evaluations, hooks and a person in Postgres.
  const { key } = await createApiKey(db, f.tenantB, 'injection test');
  const queueB = f.dirB.queues[0]!;
  const agentB = f.dirB.agents[0]!;
  const events = [0, 1, 2].flatMap((i) =>
    sampleInteraction(new Date(Date.now() - (i + 2) * 3_600_000), { queue_id: queueB.key }).map((e) => ({
      ...e,
      interaction_id: `${marker}-call-${i}`,
      ...('agent_id' in e ? { agent_id: agentB.key } : {}),
    })),
  );
  await postAll(t.url, key, events);
  await saveAlertRule(db, f.tenantB, null, {
    name: `${marker} rule`,
    queueId: queueB.id,
    teamId: null,
    match: 'all',
    conditions: [{ metric: 'waiting', comparator: 'above', threshold: 1, clearThreshold: 0 }],
    fireAfterS: 0,
    clearAfterS: 0,
    severity: 'critical',
    enabled: true,
  });
  await saveSpecialDay(db, f.tenantB, null, { date: '2026-12-24', label: `${marker} day`, effect: 'exclude', multiplier: null });
  await saveCoachingRule(db, f.tenantB, f.adminB, {
    name: `${marker} coaching`,
    enabled: true,
    condition: { kind: 'manual' },
    tip: `${marker} tip`,
    session: null,
    dueDays: 7,
    measureWeeks: 2,
  });
  await createWebhookSubscription(db, f.tenantB, null, {
    name: `${marker} hook`,
    url: `https://${marker}.example/in`,
    kinds: ['schedule.published'],
    secretSealed: marker,
  });
  const form = await ensureBuiltInForm(db, f.tenantB, { key: 'standard', name: standardForm.name, definition: standardForm });
  await storeEvaluations(
    db,
    f.tenantB,
    [
      {
        interactionId: `${marker}-call-0`,
        agentKey: agentB.key,
        queueKey: queueB.key,
        channel: 'voice',
        formId: form.id,
        planId: null,
        reviewReason: 'random',
        score: 42,
        failedCritical: false,
        interactionEndedAt: new Date(),
        answers: [{ questionId: 'greeting', machineAnswer: 'no', confidence: 0.9, evidence: [], needsReview: true }],
      },
    ],
    new Date(),
  );
  const personB = await ensureMember(t.host.auth, db, {
    email: `${marker}@b.injection.test`,
    name: `${marker} person`,
    password: 'a long enough test password',
    role: 'supervisor',
    tenantId: f.tenantB,
    teamKeys: [f.dirB.teams[0]!.key],
  });
  needles = [
    marker,
    f.tenantB,
    f.adminB,
    personB,
    ...f.dirB.queues.flatMap((q) => [q.id, `"${q.key}"`]),
    ...f.dirB.teams.flatMap((team) => [team.id, `"${team.key}"`]),
    ...f.dirB.agents.flatMap((a) => [a.id, `"${a.key}"`]),
  ].map((n) => n.toLowerCase());

  for (const role of rolePreference) {
    const res = await signIn(t.url, f.emails[role], f.passwords[f.emails[role]]!);
    expect(res.status, `${role} signs in`).toBe(200);
    cookies[role] = cookieOf(res);
  }
}, 300_000);

afterAll(async () => {
  await t?.stop();
});

/** A tRPC call over HTTP as the browser makes it: queries by GET, mutations by POST. */
async function overHttp(path: string, type: string, role: (typeof rolePreference)[number], input: unknown): Promise<Answer> {
  const cookie = cookies[role]!;
  const res =
    type === 'query'
      ? await fetch(`${t.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie } })
      : await fetch(`${t.url}/api/trpc/${path}`, {
          method: 'POST',
          headers: { cookie, origin: t.url, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
  return { status: res.status, body: await res.text() };
}

/**
 * A call through the router in this process, with the member's context as the HTTP handler builds it, the error mapped
 * to its HTTP status: for a query with a 100 KB input, which no URL carries (the host answers 431 to the request line).
 */
async function inProcess(path: string, userId: string, input: unknown): Promise<Answer> {
  const db = t.host.db.db;
  const viewer = await getMembership(db, userId);
  const services = createApiServices({ db, telemetry: t.host.telemetry.client, snapshotSchedules: async () => undefined });
  const caller = createCaller({ services, viewer });
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
  try {
    return { status: 200, body: JSON.stringify(await fn(input)) ?? '' };
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    // Any other code (INTERNAL_SERVER_ERROR above all) counts as a 500.
    const status = code ? (TRPC_STATUS[code] ?? 500) : 500;
    return { status, body: JSON.stringify({ error: { message, data: { code } } }) };
  }
}

/** tRPC's HTTP status of each error code a procedure may answer with (as its HTTP handler maps them). */
const TRPC_STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
};

/** Runs `tasks` `width` at a time. */
async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

interface Checked extends Answer {
  /** What was called, with which field made hostile, for the failure list. */
  label: string;
  value: string;
  /** A typed error: tRPC's `error.data.code`, better-auth's `code`. */
  typed: boolean;
}

const checked: Checked[] = [];
const started = Date.now();
let stringFields = 0;
let callsCpuS = 0;

const leaked = (a: Checked) => {
  const text = a.body.toLowerCase();
  return needles.some((n) => text.includes(n));
};

/** Every answer a typed 4xx or a 2xx, none with anything of tenant B. */
function expectClean(answers: Checked[]): void {
  const show = (a: Checked) => `${a.label} ${a.value} → ${a.status} ${a.body.slice(0, 200)}`;
  expect(answers.filter((a) => a.status >= 500).map(show), '5xx answers').toEqual([]);
  expect(answers.filter(leaked).map(show), "answers with tenant B's data").toEqual([]);
  expect(answers.filter((a) => a.status >= 400 && a.status < 500 && !a.typed).map(show), '4xx answers without a typed error').toEqual([]);
  expect(answers.filter((a) => a.status < 200 || (a.status >= 300 && a.status < 400)).map(show), 'answers neither 2xx nor 4xx').toEqual([]);
}

/** The user `cookie` signs in as, or the refusal's status. */
async function whoIs(cookie: string): Promise<string | number> {
  const res = await fetch(`${t.url}/api/trpc/session.me`, { headers: { cookie } });
  return res.status === 200 ? ((await res.json()) as { result: { data: { userId: string } } }).result.data.userId : res.status;
}

function typedError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { code?: unknown; error?: { data?: { code?: unknown } } };
    return typeof (parsed.error?.data?.code ?? parsed.code) === 'string';
  } catch {
    return false;
  }
}

describe('hostile strings in every input of every procedure', () => {
  it('answer a typed 4xx or tenant A’s own data: never a 5xx, never a trace of tenant B', async () => {
    // The control: tenant B's own admin finds the marked rows through the procedures A's calls go through.
    for (const path of ['wallboard.alertRules.list', 'planning.specialDays.list', 'coaching.rules', 'quality.list', 'admin.webhooks.list', 'admin.people']) {
      const answer = await inProcess(path, f.adminB, path === 'quality.list' ? {} : undefined);
      expect(answer.status, path).toBe(200);
      expect(leaked({ ...answer, label: path, value: 'control', typed: false }), `${path} shows B's marker to B`).toBe(true);
    }
    const missing = Object.keys(procedures).filter((p) => !sampleInputs[p]);
    expect(missing, 'procedures without a sample input in tests/support/procedure-fixture.ts').toEqual([]);

    interface Case {
      path: string;
      type: string;
      role: (typeof rolePreference)[number];
      field: string;
      value: string;
      input: unknown;
    }
    const cases: Case[] = [];
    let fieldIndex = 0;
    for (const [path, procedure] of Object.entries(procedures)) {
      const policy = procedure._def.meta!.policy;
      const role = rolePreference.find((r) => policy[r] !== undefined)!;
      const sample = await sampleInputs[path]!(f);
      const schemaPaths = procedure._def.inputs.flatMap((schema) => stringPaths(schema as ZodLike));
      const covered = new Set(schemaPaths.map((p) => p.filter((s) => typeof s === 'number' || !s.startsWith('<')).join('.')));
      const extra = sampleLeaves(sample)
        .filter((p) => !covered.has(p.join('.')))
        .slice(0, EXTRA_LEAVES);
      // The input itself as a hostile string: what a procedure without input, or with one of another shape, does with it.
      const fields = [[], ...schemaPaths, ...extra];
      stringFields += fields.length - 1;
      const seen = new Set<string>();
      fields.forEach((field, i) => {
        const values = Object.entries(SHORT);
        if (i > 0 && fieldIndex++ % BIG_EVERY === 0) values.push(['100kb', BIG]);
        for (const [name, value] of values) {
          const input = withValue(sample, field, value);
          const key = JSON.stringify(input);
          if (seen.has(key)) continue;
          seen.add(key);
          cases.push({ path, type: procedure._def.type, role, field: field.join('.') || '(input)', value: name, input });
        }
      });
    }

    const call = async (c: Case) => {
      const answer =
        c.value === '100kb' && c.type === 'query' ? await inProcess(c.path, f.usersA[c.role], c.input) : await overHttp(c.path, c.type, c.role, c.input);
      checked.push({ ...answer, label: `${c.path} ${c.field} as ${c.role}`, value: c.value, typed: typedError(answer.body) });
    };
    // Procedures side by side, each one's calls in turn (a mutation's calls name the same objects).
    const byProcedure = new Map<string, Case[]>();
    for (const c of cases) byProcedure.set(c.path, [...(byProcedure.get(c.path) ?? []), c]);
    const cpu = process.cpuUsage();
    await pool(
      [...byProcedure.values()].map((group) => async () => {
        for (const c of group) await call(c);
      }),
      4,
    );
    const used = process.cpuUsage(cpu);
    // What the calls cost this process (the host's share included), beside the wall time a busy machine stretches.
    callsCpuS = Math.round((used.user + used.system) / 1e4) / 100;
    expectClean(checked);
    // The calls reached the procedures: many hostile values were refused as input, many taken as A's own text.
    expect(checked.filter((a) => a.status === 400).length).toBeGreaterThan(100);
    expect(checked.filter((a) => a.status === 200).length).toBeGreaterThan(100);
    // Every member's session survived the calls made with it.
    for (const role of rolePreference) expect(await whoIs(cookies[role]!), role).toBe(f.usersA[role]);
  }, 600_000);
});

describe("better-auth's endpoints", () => {
  it('take the same hostile strings: a typed 4xx or 2xx, never a 5xx', async () => {
    const member = cookieOf(await signIn(t.url, f.emails.analyst, f.passwords[f.emails.analyst]!));
    const calls: { route: string; body: (v: string) => unknown; cookie?: string }[] = [
      { route: '/sign-in/email', body: (v) => ({ email: v, password: v }) },
      { route: '/sign-in/email', body: (v) => ({ email: `${v}@a.injection.test`, password: 'not the password at all' }) },
      { route: '/sso/start', body: (v) => ({ email: `someone@${v}` }) },
      { route: '/request-password-reset', body: (v) => ({ email: `${v}@a.injection.test`, redirectTo: '/set-password' }) },
      { route: '/reset-password', body: (v) => ({ token: v, newPassword: 'a long enough new password' }) },
      { route: '/two-factor/verify-totp', body: (v) => ({ code: v }) },
      { route: '/two-factor/verify-backup-code', body: (v) => ({ code: v }) },
      { route: '/update-user', body: (v) => ({ name: v }), cookie: member },
      { route: '/change-password', body: (v) => ({ currentPassword: v, newPassword: v }), cookie: member },
      { route: '/revoke-session', body: (v) => ({ token: v }), cookie: member },
    ];
    let address = 0;
    for (const [value, text] of [...Object.entries(SHORT), ['100kb', BIG] as const]) {
      for (const call of calls) {
        address++;
        const res = await fetch(`${t.url}/api/auth${call.route}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: t.url,
            'x-forwarded-for': `198.51.${100 + Math.floor(address / 250)}.${address % 250}`,
            ...(call.cookie ? { cookie: call.cookie } : {}),
          },
          body: JSON.stringify(call.body(text)),
        });
        const body = await res.text();
        // Switched off (people's names are an administrator's to set): better-auth's bare 404.
        if (call.route === '/update-user') expect(res.status).toBe(404);
        checked.push({ status: res.status, body, label: `/api/auth${call.route}`, value, typed: typedError(body) || call.route === '/update-user' });
      }
    }
    // The member's session survived every call made with it.
    expect(await whoIs(member)).toBe(f.usersA.analyst);
    expectClean(checked);

    const byStatus: Record<string, number> = {};
    for (const a of checked) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    recordFaultFigures('injection', {
      injection_cases: checked.length,
      injection_leaks: checked.filter(leaked).length,
      extra: {
        procedures: Object.keys(procedures).length,
        string_fields: stringFields,
        big_string_cases: checked.filter((a) => a.value === '100kb').length,
        auth_endpoint_cases: checked.filter((a) => a.label.startsWith('/api/auth')).length,
        by_status: byStatus,
        database: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite',
        duration_ms: Date.now() - started,
        procedure_calls_cpu_s: callsCpuS,
      },
    });
  }, 300_000);
});
