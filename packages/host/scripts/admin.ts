/**
 * npm run -s admin -- tenant create --name NAME --time-zone ZONE --admin-email EMAIL
 *                                   [--slug SLUG] [--week-start mon|sun|…] [--holidays CC[-REGION]] [--admin-name NAME] [--json]
 * npm run -s admin -- tenant list [--json]
 * npm run -s admin -- tenant disable|enable TENANT     (id or slug)
 * npm run -s admin -- outbox [--tenant TENANT]      (mail waiting for delivery: invitations, password resets; with SMTP, what it failed to deliver)
 * npm run -s admin -- config export --tenant TENANT [--format json|csv] [--out DIR]
 * npm run -s admin -- config import --tenant TENANT [--dry-run] PATH…  (config.json, or CSV files or a directory of them)
 * npm run -s admin -- history import --tenant TENANT [--dry-run] FILE.csv   (interval history from the previous system)
 * npm run -s admin -- erase customer --tenant TENANT --customer-ref REF   (a customer's personal data; needs the host with Temporal)
 * npm run -s admin -- erase agent --tenant TENANT --agent KEY   (a departed agent's personal data; needs the host with Temporal)
 * npm run -s admin -- rejections list|replay --tenant TENANT [--batch KEY] [--dry-run] [--json]   (events the store refused)
 *
 * Provisioning for operators. Through the running host when there is one; otherwise it
 * opens Postgres itself (taking the host's lock in embedded mode). Exit code 2 for bad
 * options or input, 1 when the request is refused (a taken slug or e-mail, no such tenant).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { centerListOfFileName, centerLists, formatImportProblem, type CenterList, type ImportProblem } from '@switchboard/contracts';
import type { TenantSummary } from '@switchboard/db';
import {
  adminActions,
  callOperator,
  DataDirLockedError,
  loadHostEnv,
  telemetryActions,
  withOperatorDb,
  type ImportedQueue,
  type OperatorAnswer,
  type ProvisionedTenant,
} from '@switchboard/host';

const usage = `usage:
  admin tenant create --name NAME --time-zone ZONE --admin-email EMAIL [--slug SLUG] [--week-start DAY] [--holidays CC[-REGION]] [--admin-name NAME] [--json]
  admin tenant list [--json]
  admin tenant disable|enable TENANT
  admin outbox [--tenant TENANT]
  admin config export --tenant TENANT [--format json|csv] [--out DIR]
  admin config import --tenant TENANT [--dry-run] PATH...   (a .json file, or CSV files or a directory of them; see docs/center-import.md)
  admin history import --tenant TENANT [--dry-run] FILE.csv   (interval history; see docs/center-import.md, Importing history)
  admin erase customer --tenant TENANT --customer-ref REF   (erases the customer's personal data; SECURITY.md, Erasure)
  admin erase agent --tenant TENANT --agent KEY   (erases a departed agent's personal data, keeping their figures)
  admin rejections list --tenant TENANT [--batch KEY] [--json]   (valid events the event store refused: reason store_rejected)
  admin rejections replay --tenant TENANT [--batch KEY] [--dry-run] [--json]   (sends them again once the store takes them; each event once)`;

function fail(message: string, code: number): never {
  console.error(`admin: ${message}`);
  process.exit(code);
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Runs an action through the running host, or on the stores when no host runs. */
async function run(action: string, body: unknown): Promise<OperatorAnswer> {
  const env = loadHostEnv();
  const viaHost = env.embedded ? await callOperator(env.dataDir, action, body) : undefined;
  if (viaHost) return viaHost;
  try {
    // The outbox leaves to SMTP what the hosts deliver (they run with this environment too).
    const mailBySmtp = env.SWITCHBOARD_SMTP_URL !== undefined;
    return await withOperatorDb(env, (stores) => adminActions[action]!({ ...stores, mailBySmtp }, body), { telemetry: telemetryActions.has(action) });
  } catch (error) {
    if (error instanceof DataDirLockedError) fail(`${error.message} (its operator address in operator.json did not answer)`, 1);
    throw error;
  }
}

/** The CLI's option for each field of a request body. */
const optionOf: Record<string, string> = { timeZone: '--time-zone', weekStart: '--week-start', adminEmail: '--admin-email', adminName: '--admin-name' };

function check(answer: OperatorAnswer): Record<string, unknown> {
  if (answer.status === 200) return answer.body;
  const problems = answer.body.problems as ImportProblem[] | undefined;
  if (problems) fail(`${String(answer.body.message)}:\n  ${problems.map(formatImportProblem).join('\n  ')}`, 2);
  const issues = answer.body.issues as { path: string; message: string }[] | undefined;
  const message = issues
    ? issues.map((i) => `${optionOf[i.path] ?? `--${i.path}`}: ${i.message}`).join('\n  ')
    : String(answer.body.message ?? `refused (${answer.status})`);
  fail(message, answer.status === 400 ? 2 : 1);
}

/** A date from the host (JSON text) or from the stores (a Date), as YYYY-MM-DD. */
const day = (value: Date | string) => new Date(value).toISOString().slice(0, 10);

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    );
}

async function main(): Promise<void> {
  const [noun, verb, ...rest] = process.argv.slice(2);
  if (noun === '--help' || noun === '-h') {
    console.log(usage);
    return;
  }
  if (noun === 'outbox') return outboxCommand(process.argv.slice(3));
  if ((noun !== 'tenant' && noun !== 'config' && noun !== 'history' && noun !== 'erase' && noun !== 'rejections') || !verb) fail(usage, 2);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        slug: { type: 'string' },
        'time-zone': { type: 'string' },
        'week-start': { type: 'string' },
        holidays: { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-name': { type: 'string' },
        json: { type: 'boolean' },
        tenant: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'customer-ref': { type: 'string' },
        agent: { type: 'string' },
        batch: { type: 'string' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`, 2);
  }
  const { values, positionals } = parsed;
  if (noun === 'config') return configCommand(verb, values, positionals);
  if (noun === 'history') return historyCommand(verb, values, positionals);
  if (noun === 'erase') return eraseCommand(verb, values, positionals);
  if (noun === 'rejections') return rejectionsCommand(verb, values, positionals);
  switch (verb) {
    case 'create': {
      if (positionals.length > 0) fail(`unexpected ${positionals.join(' ')}\n${usage}`, 2);
      const body = check(
        await run('tenants/create', {
          name: values.name,
          slug: values.slug,
          timeZone: values['time-zone'],
          weekStart: values['week-start'],
          holidays: values.holidays,
          adminEmail: values['admin-email'],
          adminName: values['admin-name'],
        }),
      ) as unknown as ProvisionedTenant;
      if (values.json) {
        console.log(JSON.stringify(body));
        return;
      }
      const t = body.tenant;
      console.log(
        `created tenant ${t.slug} (${t.name}): ${t.timezone}, weeks from ${weekdays[t.weekStart]}, ${t.holidayRegion ? `${t.holidayRegion} public holidays` : 'no holiday calendar'}`,
      );
      console.log(`first administrator: ${body.admin.email}`);
      console.log(`  password (shown once; change it after signing in): ${body.admin.password}`);
      console.log(`ingest API key (shown once): ${body.apiKey}`);
      return;
    }
    case 'list': {
      const { tenants } = check(await run('tenants/list', {})) as { tenants: TenantSummary[] };
      if (values.json) {
        console.log(JSON.stringify(tenants));
        return;
      }
      printTable([
        ['SLUG', 'NAME', 'TIME ZONE', 'WEEK', 'PEOPLE', 'KEYS', 'STATUS', 'CREATED'],
        ...tenants.map((t) => [
          t.slug,
          t.name,
          t.timezone,
          weekdays[t.weekStart]!.slice(0, 3),
          String(t.members),
          String(t.activeKeys),
          t.disabledAt ? `disabled ${day(t.disabledAt)}` : 'active',
          day(t.createdAt),
        ]),
      ]);
      return;
    }
    case 'disable':
    case 'enable': {
      const [tenant, ...extra] = positionals;
      if (!tenant || extra.length > 0) fail(`name one tenant (id or slug)\n${usage}`, 2);
      const { changed } = check(await run(`tenants/${verb}`, { tenant })) as { changed: boolean };
      console.log(changed ? `${tenant}: ${verb}d` : `${tenant} was already ${verb}d`);
      return;
    }
    default:
      fail(`unknown command tenant ${verb}\n${usage}`, 2);
  }
}

interface ShownMail {
  to: string;
  subject: string;
  body: string;
  createdAt: string;
  attempts?: number;
  error?: string | null;
}
type PendingMail = Omit<ShownMail, 'body'> & { nextAttemptAt: string | null };

/**
 * Prints the mail waiting for delivery (an invitation or reset link is as good as a password:
 * it is shown here, never logged) and marks it delivered. When the host delivers by SMTP, it
 * prints what is still on its way (without content) and hands over what SMTP gave up on.
 */
async function outboxCommand(args: string[]): Promise<void> {
  let tenant: string | undefined;
  try {
    ({ tenant } = parseArgs({ args, options: { tenant: { type: 'string' } } }).values);
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`, 2);
  }
  const { mail, smtp, pending } = check(await run('outbox/take', { tenant })) as { mail: ShownMail[]; smtp?: true; pending?: PendingMail[] };
  const date = (value: string) => new Date(value).toISOString();
  if (smtp) {
    console.log('mail is delivered by SMTP (SWITCHBOARD_SMTP_URL)');
    console.log(pending!.length === 0 ? 'nothing is waiting for delivery' : `${pending!.length} waiting for delivery:`);
    for (const m of pending!) {
      const retry = m.error ? `; ${m.attempts} attempt(s), next ${m.nextAttemptAt ? date(m.nextAttemptAt) : 'now'}, last error: ${m.error}` : '';
      console.log(`  ${date(m.createdAt)}  ${m.to}  ${m.subject}${retry}`);
    }
    console.log(mail.length === 0 ? 'no mail failed' : `${mail.length} failed (SMTP gave up): deliver these by hand`);
  } else if (mail.length === 0) console.log('the outbox is empty');
  for (const m of mail) {
    const failure = m.error ? `Failed: after ${m.attempts} attempts: ${m.error}\n` : '';
    console.log(`To: ${m.to}\nDate: ${date(m.createdAt)}\nSubject: ${m.subject}\n${failure}\n${m.body}\n${'-'.repeat(72)}`);
  }
}

/** The import's body from its paths: one JSON file, or CSV files and directories holding them. */
function readImport(paths: readonly string[]): { json: unknown } | { csv: Partial<Record<CenterList, string>> } {
  if (paths.length === 0) fail(`name the files to import\n${usage}`, 2);
  for (const p of paths) if (!existsSync(p)) fail(`${p}: no such file or directory`, 2);
  if (paths.length === 1 && paths[0]!.toLowerCase().endsWith('.json')) {
    try {
      return { json: JSON.parse(readFileSync(paths[0]!, 'utf8')) };
    } catch (error) {
      fail(`${paths[0]}: not JSON (${(error as Error).message})`, 2);
    }
  }
  const files = paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).map((f) => path.join(p, f)) : [p]));
  const csv: Partial<Record<CenterList, string>> = {};
  for (const file of files) {
    const list = centerListOfFileName(file);
    if (!list) {
      if (paths.includes(file)) fail(`${file}: not one of ${centerLists.map((l) => `${l}.csv`).join(', ')} or a .json file`, 2);
      continue;
    }
    if (csv[list] !== undefined) fail(`two files for ${list}: name one per list`, 2);
    csv[list] = readFileSync(file, 'utf8');
  }
  if (Object.keys(csv).length === 0) fail(`no ${centerLists.map((l) => `${l}.csv`).join(', ')} in ${paths.join(', ')}`, 2);
  return { csv };
}

async function configCommand(
  verb: string,
  values: { tenant?: string; format?: string; out?: string; 'dry-run'?: boolean },
  positionals: string[],
): Promise<void> {
  if (!values.tenant) fail(`name the tenant with --tenant (id or slug)\n${usage}`, 2);
  if (verb === 'export') {
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv') fail(`--format is json or csv, not ${format}`, 2);
    if (format === 'csv' && !values.out) fail('--format csv writes one file per list: give a directory with --out', 2);
    const body = check(await run('config/export', { tenant: values.tenant })) as { config: unknown; csv: Record<CenterList, string> };
    if (format === 'json') {
      const text = `${JSON.stringify(body.config, null, 2)}\n`;
      if (values.out) writeFileSync(values.out, text);
      else process.stdout.write(text);
      return;
    }
    mkdirSync(values.out!, { recursive: true });
    for (const list of centerLists) writeFileSync(path.join(values.out!, `${list}.csv`), body.csv[list]);
    console.log(`wrote ${centerLists.map((l) => `${l}.csv`).join(', ')} to ${values.out}`);
    return;
  }
  if (verb !== 'import') fail(`unknown command config ${verb}\n${usage}`, 2);
  const dryRun = values['dry-run'] ?? false;
  const body = check(await run('config/import', { tenant: values.tenant, dryRun, ...readImport(positionals) })) as { applied: boolean; diff: string };
  console.log(body.diff);
  console.log(body.applied ? 'applied.' : 'dry run: nothing was changed (run again without --dry-run to apply).');
}

/** Reads the history file here and sends its text: the host never opens paths. */
async function historyCommand(verb: string, values: { tenant?: string; 'dry-run'?: boolean }, positionals: string[]): Promise<void> {
  if (verb !== 'import') fail(`unknown command history ${verb}\n${usage}`, 2);
  if (!values.tenant) fail(`name the tenant with --tenant (id or slug)\n${usage}`, 2);
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) fail(`name one CSV file to import\n${usage}`, 2);
  if (!existsSync(file) || statSync(file).isDirectory()) fail(`${file}: no such file`, 2);
  const request = { tenant: values.tenant, file: path.basename(file), csv: readFileSync(file, 'utf8'), dryRun: values['dry-run'] ?? false };
  const body = check(await run('history/import', request)) as { applied: boolean; importId?: string; timezone: string; queues: ImportedQueue[] };
  printTable([
    ['QUEUE', 'INTERVAL', 'INTERVALS', 'FROM', 'TO', 'OFFERED'],
    ...body.queues.map((q) => [q.queue, `${q.intervalMinutes} min`, String(q.rows), q.fromDate, q.toDate, String(q.offered)]),
  ]);
  for (const q of body.queues) {
    if (q.repeatedLocalTimes > 0)
      console.log(`${q.queue}: ${q.repeatedLocalTimes} local time(s) in a repeated hour (clocks going back) read as its first occurrence`);
    if (q.unused > 0)
      console.log(`${q.queue}: live data starts ${q.liveFrom}; the ${q.unused} imported 15-minute intervals from then on are kept but not used`);
  }
  const intervals = body.queues.reduce((n, q) => n + q.intervals, 0);
  console.log(
    body.applied
      ? `stored ${intervals} 15-minute intervals (dates in ${body.timezone}; import ${body.importId}).`
      : `dry run: nothing was stored (dates in ${body.timezone}; run again without --dry-run to import).`,
  );
}

async function rejectionsCommand(
  verb: string,
  values: { tenant?: string; batch?: string; 'dry-run'?: boolean; json?: boolean },
  positionals: string[],
): Promise<void> {
  if (verb !== 'list' && verb !== 'replay') fail(`unknown command rejections ${verb}\n${usage}`, 2);
  if (!values.tenant) fail(`name the tenant with --tenant (id or slug)\n${usage}`, 2);
  if (positionals.length > 0) fail(`unexpected ${positionals.join(' ')}\n${usage}`, 2);
  const request = { tenant: values.tenant, batch: values.batch, dryRun: values['dry-run'] ?? false };
  const body = check(await run(`rejections/${verb}`, request));
  const refused = (body.still_refused ?? []) as { batch: string; index: number; message: string }[];
  // Events the store still refuses are a failure to report, as the JSON says too.
  if (refused.length > 0) process.exitCode = 1;
  if (values.json) {
    console.log(JSON.stringify(body));
    return;
  }
  if (verb === 'list') {
    const rows = body.rejections as { batch: string; index: number; event_id: string; received_at: string; message: string; status: string }[];
    printTable([
      ['RECEIVED', 'BATCH', 'INDEX', 'EVENT', 'STATUS', 'WHY'],
      ...rows.map((r) => [r.received_at, r.batch, String(r.index), r.event_id, r.status, r.message]),
    ]);
    console.log(`${rows.length} events refused by the store; ${rows.filter((r) => r.status === 'waiting').length} wait for a replay.`);
    return;
  }
  const unreadable = body.unreadable as { batch: string; index: number }[];
  for (const r of refused) console.log(`still refused: batch ${r.batch} #${r.index}: ${r.message}`);
  for (const r of unreadable) console.log(`unreadable (not sent): batch ${r.batch} #${r.index}`);
  console.log(
    body.dry_run
      ? `dry run: ${String(body.due)} of ${String(body.rejections)} refused events would be sent again (${String(body.already_stored)} already stored).`
      : `replayed ${String(body.replayed)} events; ${String(body.already_stored)} were already stored; ${refused.length} still refused; ${unreadable.length} unreadable.`,
  );
}

async function eraseCommand(verb: string, values: { tenant?: string; 'customer-ref'?: string; agent?: string }, positionals: string[]): Promise<void> {
  if (verb !== 'customer' && verb !== 'agent') fail(`unknown command erase ${verb}\n${usage}`, 2);
  if (!values.tenant) fail(`name the tenant with --tenant (id or slug)\n${usage}`, 2);
  if (positionals.length > 0) fail(`unexpected ${positionals.join(' ')}\n${usage}`, 2);
  const counts = (body: { counts: Record<string, number> }, heading: string) =>
    printTable([[heading, 'ROWS ERASED'], ...Object.entries(body.counts).map(([target, rows]) => [target, String(rows)])]);
  if (verb === 'agent') {
    if (!values.agent) fail(`name the agent with --agent (their key, as events carry it)\n${usage}`, 2);
    const body = check(await run('erasure/agent', { tenant: values.tenant, agent: values.agent })) as {
      agentId: string;
      agentKey: string;
      workflowId: string;
      counts: Record<string, number>;
    };
    counts(body, 'TARGET');
    console.log(`erased agent ${body.agentKey} (${body.agentId}; workflow ${body.workflowId}); certificate in the audit log as erasure.agent`);
    return;
  }
  if (!values['customer-ref']) fail(`name the customer with --customer-ref\n${usage}`, 2);
  const body = check(await run('erasure/customer', { tenant: values.tenant, customerRef: values['customer-ref'] })) as {
    refHash: string;
    workflowId: string;
    counts: Record<string, number>;
  };
  // The reference is not printed back: the hash names the customer in the certificate.
  counts(body, 'TABLE');
  console.log(`erased customer ${body.refHash} (workflow ${body.workflowId}); certificate in the audit log as erasure.customer`);
}

await main();
