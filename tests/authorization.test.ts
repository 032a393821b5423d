import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createApiServices, createCallerFactory, roles, SIGN_IN_LIMIT, type Context, type ProcedureMeta } from '@switchboard/api';
import type { TelemetryEvent } from '@switchboard/contracts';
import { createApiKey, getMembership, listAlertRules, listSwaps, listTimeOff, type AlertRule, type Role } from '@switchboard/db';
import { syncScheduleSnapshots } from '@switchboard/workflows';
import { postAll } from './support/events.ts';
import { recordFaultFigures } from './support/faults.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { createProcedureFixture, sampleInputs, type Fixture } from './support/procedure-fixture.ts';

/**
 * Who may call what, enforced by the real router against real stores (PGlite + chDB):
 * the role × procedure matrix from each procedure's declared policy, object-level scope
 * (teams, self, tenant) and the same rules over HTTP with better-auth sessions. Every answer
 * the matrix gets is also searched for canaries: a customer's fields (every viewer) and other
 * agents' identifiers and figures (the agent and the embedded panel), seeded in beforeAll.
 */

/** `quality lead`: an analyst given the quality-lead permission (admins have it by role, the other members not). */
/** `embedded panel`: the agent through the desktop panel's bearer token (docs/desktop.md), which reaches only procedures marked `panel`. */
type Viewer = Role | 'quality lead' | 'embedded panel' | 'anonymous';
const viewers: readonly Viewer[] = [...roles, 'quality lead', 'embedded panel', 'anonymous'];
const scopes = ['tenant', 'teams', 'self'];

// Lazy routers only show up in `procedures` once loaded; load them so none escapes the matrix.
await Promise.all(Object.values(appRouter._def.lazy).map((l) => l.load()));
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string; meta?: unknown; output?: unknown } }>;

/** Customer values in transcripts and events that no answer may carry: ingest redacts the email and phone, nothing reads the reference out. */
const run = randomUUID().slice(0, 8);
const customer = { email: `canary.${run}@customer-mail.test`, phone: '+1 415 555 0137', ref: `cust-canary-${run}`, name: 'Thaddeus Canarywood' };
/** The agent member's own contacts. */
const ownFigures = { waitMs: 5_000, talkMs: 60_000, wrapupMs: 10_000 };
/** Another agent's contact, with figures no aggregate of several agents would come to. */
const colleagueFigures = {
  teammate: { waitMs: 43_210, talkMs: 98_765, wrapupMs: 6_543 },
  outsider: { waitMs: 32_109, talkMs: 87_654, wrapupMs: 5_432 },
};
/** What the answers searched came to, over every engine (recorded as the fault suite's `output-shapes`). */
const searched = { agentAnswers: 0, answers: 0, leaks: 0 };

afterAll(() => {
  const all = Object.values(procedures);
  recordFaultFigures('output-shapes', {
    extra: {
      procedures: all.length,
      with_output_schema: all.filter((p) => p._def.output !== undefined).length,
      agent_responses_checked: searched.agentAnswers,
      responses_checked: searched.answers,
      leaks: searched.leaks,
    },
  });
});

/** One answered, ended and wrapped-up contact of an agent, its transcript, and (given) the customer's reference. */
function contact(o: {
  interactionId: string;
  agentId: string;
  queueId: string;
  at: number;
  figures: { waitMs: number; talkMs: number; wrapupMs: number };
  lines: [speaker: 'agent' | 'customer', text: string][];
  customerRef?: string;
}): TelemetryEvent[] {
  const { waitMs, talkMs, wrapupMs } = o.figures;
  const envelope = (offsetMs: number, source: 'routing' | 'voice' = 'routing') => ({
    event_id: randomUUID(),
    schema_version: 1 as const,
    occurred_at: new Date(o.at + offsetMs).toISOString(),
    sent_at: new Date().toISOString(),
    source,
  });
  const routed = (offsetMs: number) => ({ ...envelope(offsetMs), interaction_id: o.interactionId, queue_id: o.queueId, channel: 'voice' as const });
  return [
    { ...routed(0), type: 'interaction.offered', ...(o.customerRef ? { customer_ref: o.customerRef } : {}) },
    { ...routed(waitMs), type: 'interaction.answered', agent_id: o.agentId, wait_ms: waitMs },
    ...o.lines.map(([speaker, text], i) => ({
      ...envelope(waitMs + (i + 1) * 1000, 'voice'),
      type: 'transcript.segment' as const,
      interaction_id: o.interactionId,
      segment_index: i,
      speaker,
      ...(speaker === 'agent' ? { agent_id: o.agentId } : {}),
      start_ms: i * 1000,
      end_ms: i * 1000 + 900,
      text,
    })),
    { ...routed(waitMs + talkMs), type: 'interaction.ended', agent_id: o.agentId, talk_ms: talkMs, hold_ms: 0, disposition: 'resolved' },
    { ...routed(waitMs + talkMs + wrapupMs), type: 'interaction.wrapup_ended', agent_id: o.agentId, wrapup_ms: wrapupMs },
  ];
}

/** A value to search answers for: who may not see it (`everyone`: no viewer), and where an agent may (their swap partner). */
interface Canary {
  what: string;
  everyone: boolean;
  found(json: string): boolean;
  allowedIn?: (path: string) => boolean;
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A JSON string value exactly (an id or key), a piece of text anywhere, a number standing on its own. */
const asValue = (s: string) => (json: string) => json.includes(JSON.stringify(s));
const inText = (s: string) => (json: string) => json.includes(s);
const asNumber = (s: string) => (json: string) => new RegExp(`(?<![\\w.-])${escape(s)}(?![\\w-]|\\.\\d)`).test(json);

const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
if (!databaseUrl && (process.env.CI === 'true' || process.env.CI === '1')) {
  throw new Error('CI is set but TEST_DATABASE_URL is not: scripts/test.sh starts PostgreSQL; run the suite through it.');
}
/** The same checks over PGlite and over a real PostgreSQL (when TEST_DATABASE_URL is set). */
const engines = databaseUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(engines)('[%s]', (engine) => {
  let t: TestHost;
  let f: Fixture;
  const createCaller = createCallerFactory(appRouter);

  let canaries: Canary[];
  /** Interactions seeded with canaries: one of the agent member's own, one of a teammate, one of an agent of another team. */
  const seeded = {
    own: `own-canary-${run}`,
    teammate: `teammate-canary-${run}`,
    outsider: `outsider-canary-${run}`,
    /** The agent's call they transferred to another queue, where the teammate took it. */
    shared: `shared-canary-${run}`,
  };
  /** Contacts the teammate handled today (their own call, and their part of the shared one). */
  const teammateContacts = 2;

  beforeAll(async () => {
    t = await startTestHost(engine === 'postgres' ? { DATABASE_URL: databaseUrl! } : {});
    f = await createProcedureFixture(t);
    const { key } = await createApiKey(t.host.db.db, f.tenantA, 'output shapes');
    const queueId = f.dirA.queues[0]!.key;
    // A few minutes back: today on the tenant's clock, which the desktop panel's figures count.
    const at = Date.now() - 4 * 60_000;
    const said = `You can reach me at ${customer.email} or on ${customer.phone}.`;
    await postAll(t.url, key, [
      // The customer gives their email and phone in the call the matrix reads as the agent, and in one of the agent's own.
      {
        event_id: randomUUID(),
        schema_version: 1,
        occurred_at: new Date(Date.parse(f.interaction.around) + 30_000).toISOString(),
        sent_at: new Date().toISOString(),
        source: 'voice',
        type: 'transcript.segment',
        interaction_id: f.interaction.interactionId,
        segment_index: 0,
        speaker: 'customer',
        start_ms: 0,
        end_ms: 900,
        text: said,
      },
      ...contact({ interactionId: seeded.own, agentId: f.agentKey, queueId, at, figures: ownFigures, lines: [['customer', said]], customerRef: customer.ref }),
      ...contact({ interactionId: seeded.shared, agentId: f.agentKey, queueId, at, figures: ownFigures, lines: [] }),
      {
        event_id: randomUUID(),
        schema_version: 1,
        occurred_at: new Date(at + ownFigures.waitMs + ownFigures.talkMs).toISOString(),
        sent_at: new Date().toISOString(),
        source: 'routing',
        type: 'interaction.transferred',
        interaction_id: seeded.shared,
        queue_id: queueId,
        channel: 'voice',
        agent_id: f.agentKey,
        to_queue_id: f.dirA.queues[1]!.key,
        transfer_type: 'blind',
      },
      ...contact({
        interactionId: seeded.shared,
        agentId: f.teammateKey,
        queueId: f.dirA.queues[1]!.key,
        at: at + ownFigures.waitMs + ownFigures.talkMs + 1_000,
        figures: colleagueFigures.teammate,
        lines: [['agent', `Thanks for holding, ${customer.name}.`]],
      }),
      ...contact({
        interactionId: seeded.teammate,
        agentId: f.teammateKey,
        queueId,
        at,
        figures: colleagueFigures.teammate,
        lines: [['customer', `Hello, this is ${customer.name} about my card.`]],
        customerRef: `${customer.ref}-2`,
      }),
      ...contact({
        interactionId: seeded.outsider,
        agentId: f.outsiderKey,
        queueId,
        at,
        figures: colleagueFigures.outsider,
        lines: [['customer', `${customer.name} here again.`]],
        customerRef: `${customer.ref}-3`,
      }),
    ]);
    // A swap the teammate asks of the agent, so the matrix reads one (with the teammate's internal id in the store).
    await f.newSwapAskedOfAgentA();
    const agentOf = (key: string) => f.dirA.agents.find((a) => a.key === key)!;
    const teammate = agentOf(f.teammateKey);
    const outsider = agentOf(f.outsiderKey);
    const swaps = (path: string) => path.startsWith('me.swaps.');
    const figures = (who: string, { waitMs, talkMs, wrapupMs }: { waitMs: number; talkMs: number; wrapupMs: number }) =>
      [waitMs, talkMs, talkMs + wrapupMs].flatMap((ms) =>
        [String(ms), String(ms / 1000)].map((n) => ({ what: `${who}'s figure ${n}`, everyone: false, found: asNumber(n) })),
      );
    canaries = [
      { what: 'the customer email', everyone: true, found: inText(customer.email) },
      { what: 'the customer phone', everyone: true, found: (json) => json.includes(customer.phone) || json.includes(customer.phone.replace(/\D/g, '')) },
      { what: 'the customer reference', everyone: true, found: inText(customer.ref) },
      { what: 'the customer name', everyone: false, found: inText(customer.name) },
      { what: "the teammate's interaction", everyone: false, found: asValue(seeded.teammate) },
      { what: "the outsider's interaction", everyone: false, found: asValue(seeded.outsider) },
      { what: "the teammate's agent id", everyone: false, found: asValue(teammate.id) },
      { what: "the outsider's agent id", everyone: false, found: asValue(outsider.id) },
      { what: "the outsider's key", everyone: false, found: asValue(outsider.key) },
      { what: "the outsider's name", everyone: false, found: inText(outsider.displayName) },
      // The agent offers swaps to colleagues of their team by key and name, and sees whom a swap is with.
      { what: "the teammate's key", everyone: false, found: asValue(teammate.key), allowedIn: swaps },
      { what: "the teammate's name", everyone: false, found: inText(teammate.displayName), allowedIn: swaps },
      ...figures('the teammate', colleagueFigures.teammate),
      ...figures('the outsider', colleagueFigures.outsider),
    ];
  });

  afterAll(async () => {
    await t?.stop();
  });

  /** A server-side caller with the same context the HTTP handler builds; null = anonymous. */
  async function callerFor(userId: string | null, panel = false) {
    const db = t.host.db.db;
    const ctx: Context = {
      services: createApiServices({
        db,
        telemetry: t.host.telemetry.client,
        liveMaxAgeMs: 0,
        snapshotSchedules: (tenantId) => syncScheduleSnapshots({ db, telemetry: t.host.telemetry.client }, tenantId),
      }),
      viewer: userId ? await getMembership(db, userId) : null,
      panel,
    };
    if (userId) expect(ctx.viewer, `user ${userId} has no membership`).not.toBeNull();
    return createCaller(ctx);
  }

  async function call(userId: string | null, path: string, input: unknown, panel = false): Promise<unknown> {
    const caller = await callerFor(userId, panel);
    const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
    return (fn as (input: unknown) => Promise<unknown>)(input);
  }

  /** The tRPC code of a failed call, or 'ok' and the answer. */
  async function settle(promise: Promise<unknown>): Promise<{ code: string; answer?: unknown }> {
    try {
      return { code: 'ok', answer: await promise };
    } catch (error) {
      return { code: (error as { code?: string }).code ?? `not a tRPC error: ${String(error)}` };
    }
  }

  /** The canaries an answer to `viewer` carries that it may not; counted for the fault suite's figures. */
  function leaksIn(path: string, viewer: Viewer, answer: unknown): string[] {
    const agent = viewer === 'agent' || viewer === 'embedded panel';
    const json = JSON.stringify(answer) ?? '';
    const leaks = canaries.filter((c) => (agent || c.everyone) && !c.allowedIn?.(path) && c.found(json)).map((c) => c.what);
    searched.answers++;
    if (agent) searched.agentAnswers++;
    searched.leaks += leaks.length;
    return leaks;
  }

  async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
    try {
      await promise;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { code: e.code ?? '?', message: e.message ?? '' };
    }
    throw new Error('expected the call to fail, it succeeded');
  }

  describe('every procedure declares a policy and enforces it', () => {
    it('has a procedure to check and no stale sample inputs', () => {
      expect(Object.keys(procedures).length).toBeGreaterThan(0);
      const stale = Object.keys(sampleInputs).filter((p) => !(p in procedures));
      expect(stale, 'sampleInputs lists procedures the router no longer has').toEqual([]);
    });

    it.each(Object.keys(procedures))('%s', async (path) => {
      const procedure = procedures[path]!;
      const policy = (procedure._def.meta as Partial<ProcedureMeta> | undefined)?.policy;
      expect(policy, `${path} has no policy: build it with authorized(policy) from packages/api/src/trpc.ts`).toBeDefined();
      const sample = sampleInputs[path];
      expect(sample, `${path} has no sample input: add one to sampleInputs in tests/support/procedure-fixture.ts`).toBeDefined();
      for (const [role, scope] of Object.entries(policy!)) {
        expect(roles as readonly string[], `${path}: unknown role in policy`).toContain(role);
        expect(scopes, `${path}: unknown scope for ${role}`).toContain(scope);
      }

      const mutation = procedure._def.type === 'mutation';
      const actual: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const viewer of viewers) {
        const panel = viewer === 'embedded panel';
        const userId = viewer === 'anonymous' ? null : f.usersA[panel ? 'agent' : viewer];
        const { code: result, answer } = await settle(call(userId, path, await sample!(f), panel));
        if (result === 'ok') expect(leaksIn(path, viewer, answer), `${path} answered ${viewer} with`).toEqual([]);
        const role = viewer === 'quality lead' ? 'analyst' : panel ? 'agent' : viewer;
        const lead = viewer === 'quality lead' || viewer === 'admin';
        const meta = procedure._def.meta as Partial<ProcedureMeta> | undefined;
        const allowed = role !== 'anonymous' && policy![role] !== undefined && (!meta?.qualityLead || lead) && (!panel || meta?.panel === true);
        // NOT_FOUND is an object-level answer (the sample object is outside a narrow scope),
        // so the role got past the policy; a mutation's sample input must simply succeed,
        // or (starting a workflow here, where no engine runs) fail its precondition.
        const pastPolicy = result === 'ok' || (!mutation && result === 'NOT_FOUND') || (mutation && result === 'PRECONDITION_FAILED');
        actual[viewer] = allowed && pastPolicy ? 'allowed' : result;
        expected[viewer] = viewer === 'anonymous' ? 'UNAUTHORIZED' : allowed ? 'allowed' : 'FORBIDDEN';
      }
      expect(actual, `${path} (${procedure._def.type}) per viewer`).toEqual(expected);
    });
  });

  describe('what leaves: every answer has the shape its procedure declares', () => {
    it('declares an output schema on every procedure', () => {
      const missing = Object.entries(procedures)
        .filter(([, p]) => p._def.output === undefined)
        .map(([path]) => path);
      expect(missing, 'procedures without .output(...): declare what they answer (packages/api/src/outputs)').toEqual([]);
    });

    it("cuts an agent's swaps and time off to their shape: no tenant, no user id of who decided, no colleague's internal id", async () => {
      await f.newOwnSwapA();
      await f.newOwnTimeOffA();
      const db = t.host.db.db;
      const hidden = ['tenantId', 'decidedBy', 'requesterId', 'colleagueId'];
      // The stored rows carry them, and the services hand the rows on.
      const [storedSwap] = await listSwaps(db, f.tenantA, { agentId: f.scheduling.agentId });
      const [storedTimeOff] = await listTimeOff(db, f.tenantA, { agentIds: [f.scheduling.agentId] });
      expect(Object.keys({ ...storedSwap, ...storedTimeOff })).toEqual(expect.arrayContaining(hidden));

      const swaps = (await call(f.usersA.agent, 'me.swaps.list', undefined)) as Record<string, unknown>[];
      const timeOff = ((await call(f.usersA.agent, 'me.timeOff.list', undefined)) as { requests: Record<string, unknown>[] }).requests;
      expect(swaps.length).toBeGreaterThan(0);
      expect(timeOff.length).toBeGreaterThan(0);
      for (const row of [...swaps, ...timeOff]) expect(Object.keys(row).filter((k) => hidden.includes(k))).toEqual([]);
      // Whom each swap is with stays, by name.
      const teammate = f.dirA.agents.find((a) => a.key === f.teammateKey)!.displayName;
      expect(swaps).toContainEqual(expect.objectContaining({ mine: true, colleague: teammate }));
      expect(swaps).toContainEqual(expect.objectContaining({ mine: false, requester: teammate }));
    });

    it("reads the agent's own call with the customer's email and phone redacted and no customer reference; a colleague's call is not found", async () => {
      const around = new Date().toISOString();
      type Timeline = { events: { type: string; text: string }[] };
      for (const [viewer, userId] of [
        ['agent', f.usersA.agent],
        ['supervisor', f.usersA.supervisor],
      ] as const) {
        const timeline = (await call(userId, 'interactions.timeline', { interactionId: seeded.own, around })) as Timeline;
        const said = timeline.events.find((e) => e.type === 'transcript.segment')?.text;
        expect(said).toBe('You can reach me at [email] or on [phone].');
        expect(leaksIn('interactions.timeline', viewer, timeline), `the timeline as ${viewer}`).toEqual([]);
      }
      for (const interactionId of [seeded.teammate, seeded.outsider]) {
        expect((await rejection(call(f.usersA.agent, 'interactions.timeline', { interactionId, around }))).code).toBe('NOT_FOUND');
      }
    });

    it('shows an agent their own part of a call they transferred, not the colleague who took it over', async () => {
      const around = new Date().toISOString();
      type Timeline = { events: { type: string; agent_id: string; talk_ms: number }[]; agents: Record<string, string> };
      const read = async (userId: string) => (await call(userId, 'interactions.timeline', { interactionId: seeded.shared, around })) as Timeline;
      const ended = (t: Timeline) => t.events.filter((e) => e.type === 'interaction.ended').map((e) => [e.agent_id, e.talk_ms]);
      const asAgent = await read(f.usersA.agent);
      expect(ended(asAgent)).toEqual([[f.agentKey, ownFigures.talkMs]]);
      expect(asAgent.events.some((e) => e.type === 'interaction.transferred')).toBe(true);
      expect(Object.keys(asAgent.agents)).toEqual([f.agentKey]);
      expect(leaksIn('interactions.timeline', 'agent', asAgent)).toEqual([]);
      // A supervisor reads the whole call.
      expect(ended(await read(f.usersA.supervisor))).toEqual([
        [f.agentKey, ownFigures.talkMs],
        [f.teammateKey, colleagueFigures.teammate.talkMs],
      ]);
    });

    it('withholds a team figure on the desktop panel while fewer than three colleagues make it', async () => {
      type Kpis = { mine: { handled: number }; team: { agents: number; handled: number | null; aht_s: number | null; csat: number | null } };
      const withheld = { handled: null, aht_s: null, hold_rate: null, transfer_rate: null, csat: null };
      // Only the teammate has contacts today besides the agent: the team's figures less the agent's own would be theirs.
      const alone = (await call(f.usersA.agent, 'desktop.kpis', undefined, true)) as Kpis;
      expect(alone.team).toEqual({ agents: alone.team.agents, ...withheld });

      const others = f.dirA.agents.filter((a) => a.teamKey === f.team.key && a.key !== f.agentKey && a.key !== f.teammateKey).slice(0, 2);
      expect(others).toHaveLength(2);
      const { key } = await createApiKey(t.host.db.db, f.tenantA, 'more colleagues');
      const figures = { waitMs: 2_000, talkMs: 30_000, wrapupMs: 5_000 };
      const at = Date.now() - 3 * 60_000;
      const queueId = f.dirA.queues[0]!.key;
      await postAll(
        t.url,
        key,
        others.flatMap((a) => contact({ interactionId: `colleague-${randomUUID()}`, agentId: a.key, queueId, at, figures, lines: [] })),
      );
      const three = (await call(f.usersA.agent, 'desktop.kpis', undefined, true)) as Kpis;
      expect(three.team.handled).toBe(three.mine.handled + teammateContacts + others.length);
      expect(three.team.aht_s).not.toBeNull();
      // No colleague was surveyed: the team's CSAT stays withheld.
      expect(three.team.csat).toBeNull();
    });
  });

  describe('object-level scope answers NOT_FOUND, never "exists but forbidden"', () => {
    it('an agent sees their own day only, and another agent looks exactly like no agent', async () => {
      const own = (await call(f.usersA.agent, 'agents.day', {})) as { agent: { key: string } };
      expect(own.agent.key).toBe(f.agentKey);

      const teammate = await rejection(call(f.usersA.agent, 'agents.day', { agentKey: f.teammateKey }));
      const missing = await rejection(call(f.usersA.agent, 'agents.day', { agentKey: 'no-such-agent' }));
      const otherTenant = await rejection(call(f.usersA.agent, 'agents.day', { agentKey: f.dirB.agents[0]!.key }));
      expect(teammate.code).toBe('NOT_FOUND');
      expect(teammate).toEqual(missing);
      expect(otherTenant).toEqual(missing);
    });

    it('a supervisor sees the agents of their teams only', async () => {
      const inTeam = (await call(f.usersA.supervisor, 'agents.day', { agentKey: f.teammateKey })) as { agent: { key: string; team: string } };
      expect(inTeam.agent).toMatchObject({ key: f.teammateKey, team: f.team.name });

      const outside = await rejection(call(f.usersA.supervisor, 'agents.day', { agentKey: f.outsiderKey }));
      const missing = await rejection(call(f.usersA.supervisor, 'agents.day', { agentKey: 'no-such-agent' }));
      expect(outside.code).toBe('NOT_FOUND');
      expect(outside).toEqual(missing);
      // A supervisor has no agent of their own: no key is not a way around the scope.
      expect((await rejection(call(f.usersA.supervisor, 'agents.day', {}))).code).toBe('NOT_FOUND');
    });

    it('the wallboard shows a supervisor the queues tenant-wide but only their team in the agent grid', async () => {
      type Board = { queues: { id: string }[]; agents: { key: string; team: string }[] };
      const board = (await call(f.usersA.supervisor, 'wallboard.snapshot', undefined)) as Board;
      const teamAgents = f.dirA.agents.filter((a) => a.teamKey === f.team.key);
      expect(board.agents.length).toBe(teamAgents.length);
      for (const agent of board.agents) expect(agent.team, `agent ${agent.key}`).toBe(f.team.name);
      expect(board.queues.map((q) => q.id).sort()).toEqual(f.dirA.queues.map((q) => q.id).sort());

      const adminBoard = (await call(f.usersA.admin, 'wallboard.snapshot', undefined)) as Board;
      expect(adminBoard.agents.map((a) => a.key).sort()).toEqual(f.dirA.agents.map((a) => a.key).sort());
    });

    it("evaluations: a supervisor reaches their teams' agents only, tenant B nothing of A's; outside looks like missing", async () => {
      const inTeam = await f.newEvaluationA();
      const outside = await f.newEvaluationA({ agentKey: f.outsiderKey });
      const view = (await call(f.usersA.supervisor, 'quality.get', { evaluationId: inTeam })) as { agentKey: string; sections: unknown[] };
      expect(view.agentKey).toBe(f.agentKey);
      const missing = await rejection(call(f.usersA.supervisor, 'quality.get', { evaluationId: randomUUID() }));
      expect(missing.code).toBe('NOT_FOUND');
      expect(await rejection(call(f.usersA.supervisor, 'quality.get', { evaluationId: outside }))).toEqual(missing);
      expect(await rejection(call(f.adminB, 'quality.get', { evaluationId: inTeam }))).toEqual(missing);
      const answerOutside = { evaluationId: outside, answers: [{ questionId: 'greeting', answer: 'no', reason: 'no name given' }] };
      expect((await rejection(call(f.usersA.supervisor, 'quality.answer', answerOutside))).code).toBe('NOT_FOUND');
      expect((await rejection(call(f.usersA.supervisor, 'quality.list', { agentKey: f.outsiderKey }))).code).toBe('NOT_FOUND');
      const listed = (await call(f.usersA.supervisor, 'quality.list', {})) as { agentKey: string }[];
      const team = new Set(f.dirA.agents.filter((a) => a.teamKey === f.team.key).map((a) => a.key));
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.filter((e) => !team.has(e.agentKey))).toEqual([]);
      expect(((await call(f.usersA.analyst, 'quality.list', { agentKey: f.outsiderKey })) as unknown[]).length).toBeGreaterThan(0);
      expect(await call(f.adminB, 'quality.list', {})).toEqual([]);
    });

    it("tenant B's admin sees only B's queues and agents", async () => {
      const board = (await call(f.adminB, 'wallboard.snapshot', undefined)) as { queues: { id: string }[]; agents: { key: string }[] };
      expect(board.queues.map((q) => q.id).sort()).toEqual(f.dirB.queues.map((q) => q.id).sort());
      expect(board.agents.map((a) => a.key).sort()).toEqual(f.dirB.agents.map((a) => a.key).sort());
      const idsOfA = new Set([...f.dirA.queues.map((q) => q.id), ...f.dirA.agents.map((a) => a.key)]);
      expect([...board.queues.map((q) => q.id), ...board.agents.map((a) => a.key)].filter((id) => idsOfA.has(id))).toEqual([]);
    });

    it("tenant B's admin can neither change nor delete A's alert rules, attach a rule to A's queue or team, nor see or resolve A's incidents", async () => {
      const db = t.host.db.db;
      const input = {
        name: 'of A',
        queueId: f.dirA.queues[1]!.id,
        teamId: null,
        match: 'all',
        conditions: [{ metric: 'longest_wait_s', comparator: 'above', threshold: 42, clearThreshold: 30 }],
        fireAfterS: 0,
        clearAfterS: 0,
        severity: 'warning',
        enabled: true,
      };
      const rule = (await call(f.usersA.admin, 'wallboard.alertRules.save', input)) as AlertRule;
      const rulesOfB = (await listAlertRules(db, f.tenantB)).length;

      const removed = await rejection(call(f.adminB, 'wallboard.alertRules.remove', { id: rule.id }));
      expect(removed).toEqual(await rejection(call(f.adminB, 'wallboard.alertRules.remove', { id: randomUUID() })));
      expect(removed.code).toBe('NOT_FOUND');

      const overwrite = { ...input, id: rule.id, queueId: null, severity: 'critical' };
      const overwritten = await rejection(call(f.adminB, 'wallboard.alertRules.save', overwrite));
      expect(overwritten).toEqual(await rejection(call(f.adminB, 'wallboard.alertRules.save', { ...overwrite, id: randomUUID() })));
      expect(overwritten.code).toBe('NOT_FOUND');

      const foreignQueue = await rejection(call(f.adminB, 'wallboard.alertRules.save', { ...input, queueId: f.dirA.queues[0]!.id }));
      expect(foreignQueue.code).toBe('NOT_FOUND');
      const foreignTeam = await rejection(
        call(f.adminB, 'wallboard.alertRules.save', {
          ...input,
          queueId: null,
          teamId: f.dirA.teams[0]!.id,
          conditions: [{ metric: 'agents_out_of_adherence', comparator: 'above', threshold: 2, clearThreshold: 1 }],
        }),
      );
      expect(foreignTeam.code).toBe('NOT_FOUND');

      const incident = await f.newIncidentA();
      const foreignIncident = await rejection(call(f.adminB, 'wallboard.incidents.resolve', { id: incident }));
      expect(foreignIncident).toEqual(await rejection(call(f.adminB, 'wallboard.incidents.resolve', { id: randomUUID() })));
      expect(foreignIncident.code).toBe('NOT_FOUND');
      expect(((await call(f.adminB, 'wallboard.incidents.list', {})) as { incidents: unknown[] }).incidents).toEqual([]);

      const stored = (await listAlertRules(db, f.tenantA)).find((r) => r.id === rule.id);
      expect(stored).toMatchObject({ queueId: f.dirA.queues[1]!.id, name: 'of A', severity: 'warning', conditions: input.conditions });
      expect((await listAlertRules(db, f.tenantB)).length).toBe(rulesOfB);
    });
  });

  describe('over HTTP with better-auth sessions', () => {
    async function signIn(email: string, password: string): Promise<Response> {
      return fetch(`${t.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: t.url },
        body: JSON.stringify({ email, password }),
      });
    }

    /** The cookies a browser would send back (name=value of each Set-Cookie). */
    function cookieOf(res: Response): string {
      return res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    }

    async function query(path: string, cookie?: string): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
      const res = await fetch(`${t.url}/api/trpc/${path}`, { headers: cookie ? { cookie } : {} });
      return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
    }

    /** Error bodies carry a code and a message, never a stack or a source path. */
    function expectNoInternals(body: unknown): void {
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/stack|node_modules|\.ts:\d|\/work\/|at [\w.]+ \(/);
    }

    const cookies: Partial<Record<'supervisor' | 'agent', string>> = {};

    it('signs in the supervisor and the agent with a session cookie', async () => {
      for (const role of ['supervisor', 'agent'] as const) {
        const res = await signIn(f.emails[role], f.passwords[f.emails[role]]!);
        expect(res.status, `${role} sign-in`).toBe(200);
        cookies[role] = cookieOf(res);
        expect(cookies[role]).toContain('switchboard.session_token=');
      }
    });

    it("answers session.me with the signed-in member's role and scope", async () => {
      const supervisor = await query('session.me', cookies.supervisor);
      expect(supervisor.status).toBe(200);
      expect(supervisor.body).toMatchObject({ result: { data: { role: 'supervisor', scope: 'teams', teams: [{ name: f.team.name }], agent: null } } });

      const agent = await query('session.me', cookies.agent);
      expect(agent.status).toBe(200);
      expect(agent.body).toMatchObject({ result: { data: { role: 'agent', scope: 'self', teams: [], agent: { key: f.agentKey } } } });
    });

    it("serves the supervisor's wallboard narrowed to their team", async () => {
      const res = await query('wallboard.snapshot', cookies.supervisor);
      expect(res.status).toBe(200);
      const board = (res.body.result as { data: { queues: unknown[]; agents: { team: string }[] } }).data;
      expect(board.queues.length).toBe(f.dirA.queues.length);
      expect(board.agents.length).toBeGreaterThan(0);
      for (const agent of board.agents) expect(agent.team).toBe(f.team.name);
    });

    it('refuses the wallboard to the agent with 403, a JSON error and no data', async () => {
      const res = await query('wallboard.snapshot', cookies.agent);
      expect(res.status).toBe(403);
      expect(res.type).toContain('application/json');
      expect(res.body).not.toHaveProperty('result');
      expect(res.body).toMatchObject({ error: { message: 'the agent role may not do this', data: { code: 'FORBIDDEN', httpStatus: 403 } } });
      expectNoInternals(res.body);
    });

    it('answers 401 without a session, or with a forged one', async () => {
      for (const cookie of [undefined, 'switchboard.session_token=forged.value']) {
        const res = await query('session.me', cookie);
        expect(res.status, `cookie ${cookie}`).toBe(401);
        expect(res.body).not.toHaveProperty('result');
        expect(res.body).toMatchObject({ error: { data: { code: 'UNAUTHORIZED' } } });
        expectNoInternals(res.body);
      }
    });

    it('answers bad input with 400 and the issues, no internals', async () => {
      // Forcing a real 500 would need a mock; a malformed input shows what error bodies carry.
      const res = await query(`agents.day?input=${encodeURIComponent(JSON.stringify({ agentKey: '' }))}`, cookies.supervisor);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { data: { code: 'BAD_REQUEST', issues: [{ path: 'agentKey' }] } } });
      expectNoInternals(res.body);
    });

    // Last in the file: it uses up this client address's sign-in budget for a minute.
    it('rate-limits sign-in per client address: the attempt after the budget gets 429', async () => {
      const statuses: number[] = [];
      for (let i = 0; i <= SIGN_IN_LIMIT.max; i++) statuses.push((await signIn(f.emails.supervisor, 'wrong-password-123')).status);
      expect(statuses[0]).toBe(401);
      expect(statuses).toContain(429);
      // Once limited, every further attempt is limited too (2xx or 401 never returns).
      const first429 = statuses.indexOf(429);
      expect(
        statuses.slice(first429).every((s) => s === 429),
        `statuses ${statuses.join(',')}`,
      ).toBe(true);
      expect(
        statuses.slice(0, first429).every((s) => s === 401),
        `statuses ${statuses.join(',')}`,
      ).toBe(true);

      // The limit is on attempts, not failures: the right password does not get through either.
      const right = await signIn(f.emails.supervisor, f.passwords[f.emails.supervisor]!);
      expect(right.status).toBe(429);
      expect(right.headers.getSetCookie()).toEqual([]);

      // The host sets the client address from the socket: a client-supplied header cannot reset the budget.
      const spoofed = await fetch(`${t.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: t.url, 'x-switchboard-client-ip': '203.0.113.7', 'x-forwarded-for': '203.0.113.8' },
        body: JSON.stringify({ email: f.emails.supervisor, password: f.passwords[f.emails.supervisor] }),
      });
      expect(spoofed.status).toBe(429);
    });
  });
});
