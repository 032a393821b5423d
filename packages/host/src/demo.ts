import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureMember, type Auth } from '@switchboard/api';
import type { CenterConfig } from '@switchboard/contracts';
import {
  createApiKey,
  saveAlertRule,
  listAlertRules,
  listCoachingRules,
  saveCoachingRule,
  getDirectory,
  revokeApiKey,
  seedSchedulingDefaults,
  seedTenant,
  verifyApiKey,
  type Db,
  type Role,
} from '@switchboard/db';
import { z } from 'zod';

const DemoUser = z.object({ role: z.string(), login: z.string().optional(), email: z.string(), password: z.string(), name: z.string() });
type DemoUser = z.infer<typeof DemoUser>;

/** `agent` is the center's first agent; `agent2` its teammate, so shift swaps can be tried between two people. */
const demoPeople: { role: Role; login: string; name: string; agentIndex?: number }[] = [
  { role: 'admin', login: 'admin', name: 'Ada Admin' },
  { role: 'supervisor', login: 'supervisor', name: 'Sam Supervisor' },
  { role: 'planner', login: 'planner', name: 'Pat Planner' },
  { role: 'analyst', login: 'analyst', name: 'Quinn Analyst' },
  { role: 'agent', login: 'agent', name: 'Alex Agent', agentIndex: 0 },
  { role: 'agent', login: 'agent2', name: 'Blair Agent', agentIndex: 1 },
];

/**
 * Seeds the demo tenant (idempotent): its configuration, its time zone in
 * `<data dir>/demo-timezone` (for the simulator), the simulator's API key (ingest, and reading the schedules it follows) in
 * `<data dir>/demo-api-key`, one user per role (two agents of one team) in `<data dir>/demo-users.json` (passwords
 * are random per installation and kept across restarts), default wallboard alerts and scheduling defaults.
 */
export async function seedDemo(db: Db, auth: Auth, config: CenterConfig, dataDir: string, log: (line: string) => void): Promise<string> {
  const tenantId = await seedTenant(db, { slug: 'demo', name: 'Demo Contact Center', config });
  writeFileSync(path.join(dataDir, 'demo-timezone'), `${config.timezone}\n`);
  const keyFile = path.join(dataDir, 'demo-api-key');
  const existing = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
  const current = existing ? await verifyApiKey(db, existing) : null;
  const scopes = ['ingest', 'schedule:read'] as const;
  if (current?.tenantId !== tenantId || !scopes.every((s) => current.scopes.includes(s))) {
    const { key } = await createApiKey(db, tenantId, 'demo simulator', { scopes });
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
    // A key from before the simulator read schedules is replaced, not left working beside the new one.
    if (current?.tenantId === tenantId) await revokeApiKey(db, tenantId, current.keyId);
    log(`demo: seeded tenant "demo" and wrote its API key to ${keyFile}`);
  }

  const usersFile = path.join(dataDir, 'demo-users.json');
  const known = existsSync(usersFile) ? z.array(DemoUser).parse(JSON.parse(readFileSync(usersFile, 'utf8'))) : [];
  const supervisedTeams = config.teams.slice(0, 2).map((t) => t.id);
  const users: DemoUser[] = [];
  for (const person of demoPeople) {
    const email = `${person.login}@demo.switchboard.local`;
    const password = known.find((u) => u.email === email)?.password ?? randomBytes(9).toString('base64url');
    const agent = person.agentIndex === undefined ? undefined : config.agents[person.agentIndex];
    if (person.agentIndex !== undefined && !agent) continue;
    const name = agent?.display_name ?? person.name;
    await ensureMember(auth, db, {
      email,
      name,
      password,
      role: person.role,
      tenantId,
      agentKey: agent?.id,
      teamKeys: person.role === 'supervisor' ? supervisedTeams : undefined,
      // The demo's analyst runs calibration and decides disputes.
      qualityLead: person.role === 'analyst',
    });
    users.push({ role: person.role, login: person.login, email, password, name });
  }
  writeFileSync(usersFile, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });

  if ((await listAlertRules(db, tenantId)).length === 0) await seedAlertRules(db, tenantId);
  if ((await listCoachingRules(db, tenantId)).length === 0) await seedCoachingRules(db, tenantId);
  if (await seedSchedulingDefaults(db, tenantId)) log('demo: seeded planning groups, shift templates, contracts and agents’ work rules');
  return tenantId;
}

/** Coaching rules a supervisor starts from: the greeting failed in two of the last five evaluations, any critical fail. */
async function seedCoachingRules(db: Db, tenantId: string): Promise<void> {
  await saveCoachingRule(db, tenantId, null, {
    name: 'Greeting',
    enabled: true,
    condition: { kind: 'quality_question', questionId: 'greeting', failedAtLeast: 2, ofLast: 5 },
    tip: 'Open with a greeting and your name or the bank’s, in your first two turns: customers relax when they know who they are talking to.',
    session: { minutes: 15 },
    dueDays: 3,
    measureWeeks: 2,
  });
  await saveCoachingRule(db, tenantId, null, {
    name: 'Critical fail',
    enabled: true,
    condition: { kind: 'critical_fail', withinDays: 7 },
    tip: 'A critical question failed on one of your calls: read the evaluation and its evidence before your next shift.',
    session: { minutes: 30 },
    dueDays: 2,
    measureWeeks: 2,
  });
}

/**
 * Default rules a supervisor starts from: SL below target for two minutes, waits too long for the
 * channel, teams with several agents out of adherence, planning groups short of agents. Each
 * clears a little past where it fires, and only after the recovery has held, so a figure
 * hovering at the line does not flap.
 */
async function seedAlertRules(db: Db, tenantId: string): Promise<void> {
  const directory = await getDirectory(db, tenantId);
  if (!directory) return;
  const longWaitS = { voice: [60, 120], chat: [120, 300], email: [3_600, 4 * 3_600], sms: [600, 1_800], social: [600, 1_800] } as const;
  const common = { teamId: null, match: 'all', enabled: true } as const;
  for (const q of directory.queues) {
    const [warning, critical] = longWaitS[q.channel];
    const longWait = (threshold: number) =>
      ({ metric: 'longest_wait_s', comparator: 'above', threshold, clearThreshold: Math.round(threshold * 0.75) }) as const;
    const rules = [
      {
        name: `${q.name}: service level below target`,
        conditions: [{ metric: 'service_level_30m', comparator: 'below', threshold: q.slTarget, clearThreshold: Math.min(1, q.slTarget + 0.05) }],
        fireAfterS: 120,
        clearAfterS: 300,
        severity: 'warning',
      },
      { name: `${q.name}: long wait`, conditions: [longWait(warning)], fireAfterS: 0, clearAfterS: 120, severity: 'warning' },
      { name: `${q.name}: very long wait`, conditions: [longWait(critical)], fireAfterS: 0, clearAfterS: 120, severity: 'critical' },
    ] as const;
    for (const rule of rules) await saveAlertRule(db, tenantId, null, { ...common, queueId: q.id, ...rule, conditions: [...rule.conditions] });
  }
  await saveAlertRule(db, tenantId, null, {
    ...common,
    queueId: null,
    name: 'Agents out of adherence',
    conditions: [{ metric: 'agents_out_of_adherence', comparator: 'above', threshold: 2, clearThreshold: 1 }],
    fireAfterS: 120,
    clearAfterS: 120,
    severity: 'warning',
  });
  // The intraday loop's gap, every queue of a short planning group: three agents short for five minutes.
  await saveAlertRule(db, tenantId, null, {
    ...common,
    queueId: null,
    name: 'Staffing gap (intraday)',
    conditions: [{ metric: 'agents_short', comparator: 'above', threshold: 3, clearThreshold: 1 }],
    fireAfterS: 300,
    clearAfterS: 300,
    severity: 'warning',
  });
}
