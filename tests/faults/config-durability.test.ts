import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, ensureBuiltInForm, getTenantBySlug, listEvaluations, storeEvaluations } from '@switchboard/db';
import { createSeededRandom } from '@switchboard/planning';
import { standardForm } from '@switchboard/quality';
import { demoCenter } from '@switchboard/simulator';
import { z } from 'zod';
import { cookieOf, signIn } from '../support/api-client.ts';
import { byTier, recordFaultFigures } from '../support/faults.ts';
import { tempDataDir } from '../support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from '../support/spawn-host.ts';

/**
 * R7, configuration durability in embedded mode (PGlite): signed-in people change alert rules, shift templates and
 * evaluation answers through the API in a loop while the host is `kill -9`ed at seeded random moments and started
 * again. Every change is versioned in its text; a change that answered 200 must be there after the last restart (its
 * version or a later one), and so must every session that signed in.
 */
const dataDir = tempDataDir('config-durability');
let current: SpawnedHost | undefined;
afterAll(() => {
  current?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const KILLS = byTier(3, 5);
/** Writes acknowledged by a host before its kill: a seeded number up to this (the host is slow just after a start). */
const WRITES_PER_HOST = byTier(30, 120);
const EVALUATIONS = 4;
/** A request still unanswered after this long hangs: the test fails rather than waits. */
const HANG_MS = 60_000;
const random = createSeededRandom(7);

const DemoUsers = z.array(z.object({ role: z.string(), email: z.string(), password: z.string() }));

/** `down`: certainly not applied (no connection, or the host still starting); `unknown`: the connection broke mid-request. */
type Answer = { kind: 'ok'; data: unknown } | { kind: 'refused'; status: number; message: string } | { kind: 'down' } | { kind: 'unknown'; why: string };

/** One person's session: tRPC calls with its cookie. A 401 means an acknowledged sign-in was lost. */
class Person {
  cookie = '';
  lostSessions = 0;
  constructor(
    private readonly url: () => string,
    private readonly email: string,
    private readonly password: string,
  ) {}

  async signIn(): Promise<void> {
    for (;;) {
      try {
        const res = await signIn(this.url(), this.email, this.password);
        if (res.status === 200) {
          this.cookie = cookieOf(res);
          return;
        }
        await res.arrayBuffer();
      } catch {
        // The host is down: again in a moment.
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async call(procedure: string, input: unknown, method: 'GET' | 'POST' = 'POST'): Promise<Answer> {
    const url = this.url();
    const timeout = AbortSignal.timeout(HANG_MS);
    let res: Response;
    let text: string;
    try {
      res =
        method === 'GET'
          ? await fetch(`${url}/api/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, {
              headers: { cookie: this.cookie },
              signal: timeout,
            })
          : await fetch(`${url}/api/trpc/${procedure}`, {
              method: 'POST',
              headers: { cookie: this.cookie, origin: url, 'content-type': 'application/json' },
              body: JSON.stringify(input),
              signal: timeout,
            });
      text = await res.text();
    } catch (error) {
      if (timeout.aborted) throw new Error(`${procedure} hung for ${HANG_MS} ms`);
      if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return { kind: 'down' };
      return { kind: 'unknown', why: (error as Error).message };
    }
    if (res.status === 503 && res.headers.get('retry-after')) return { kind: 'down' };
    const body = JSON.parse(text) as { result?: { data: unknown }; error?: { message: string } };
    if (res.status === 200) return { kind: 'ok', data: body.result?.data };
    if (res.status === 401) {
      this.lostSessions++;
      await this.signIn();
      return { kind: 'unknown', why: 'signed out' };
    }
    return { kind: 'refused', status: res.status, message: body.error?.message ?? text };
  }
}

/** Versions of one object: those acknowledged, and how far attempts went (an unacknowledged one may have landed). */
interface Versions {
  id: string;
  acked: number[];
  attempted: number;
}

/**
 * Evaluations waiting for an analyst, written straight to PGlite while the host is down (the quality workflow, which
 * makes them, needs Temporal). Returns their ids.
 */
async function seedEvaluations(): Promise<string[]> {
  const db = await createDb({ dataDir });
  try {
    const tenant = (await getTenantBySlug(db.db, 'demo'))!;
    const form = await ensureBuiltInForm(db.db, tenant.id, { key: 'standard', name: standardForm.name, definition: standardForm });
    const questions = standardForm.sections.flatMap((s) => s.questions);
    await storeEvaluations(
      db.db,
      tenant.id,
      Array.from({ length: EVALUATIONS }, (_, i) => ({
        interactionId: `config-durability-${i}`,
        agentKey: demoCenter.agents[i]!.id,
        queueKey: demoCenter.queues[0]!.id,
        channel: 'voice',
        formId: form.id,
        planId: null,
        reviewReason: 'config durability',
        score: 100,
        failedCritical: false,
        interactionEndedAt: new Date(Date.now() - 3_600_000),
        answers: questions.map((q) => ({ questionId: q.id, machineAnswer: 'yes', confidence: 0.9, evidence: [], needsReview: false })),
      })),
      null,
    );
    return (await listEvaluations(db.db, tenant.id, { statuses: ['in_review'], limit: 100 })).map((e) => e.id);
  } finally {
    await db.close();
  }
}

const versionOf = (text: string | null | undefined): number => Number(/ v(\d+)$/.exec(text ?? '')?.[1] ?? 0);

describe('configuration durability under kill -9', () => {
  it(
    'keeps every acknowledged alert rule, shift template and evaluation answer across repeated kills',
    async () => {
      const port = await freePort();
      current = spawnHost(dataDir, port);
      await waitReady(current);
      const users = DemoUsers.parse(JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')));
      const url = () => current!.url;
      const person = (role: string) => {
        const user = users.find((u) => u.role === role)!;
        return new Person(url, user.email, user.password);
      };
      const admin = person('admin');
      const planner = person('planner');
      const analyst = person('analyst');
      const people = [admin, planner, analyst];
      await Promise.all(people.map((p) => p.signIn()));

      const rules = new Map<number, Versions>();
      const templates = new Map<number, Versions>();
      const evaluations = new Map<string, Versions>();
      const unexpected: string[] = [];
      let acknowledged = 0;
      let ackedByHost = 0;
      let unknown = 0;
      let stopping = false;

      const rule = (name: string, id?: string) => ({
        ...(id ? { id } : {}),
        name,
        queueId: null,
        teamId: null,
        match: 'all',
        conditions: [{ metric: 'waiting', comparator: 'above', threshold: 50, clearThreshold: 40 }],
        fireAfterS: 60,
        clearAfterS: 120,
        severity: 'warning',
        enabled: false,
      });
      const template = (name: string, id?: string) => ({
        ...(id ? { id } : {}),
        name,
        lengthMin: 480,
        startStepMin: 60,
        earliestStartMin: 420,
        latestStartMin: 660,
        weekdays: [1, 2, 3, 4, 5],
        cost: null,
        breaks: [],
        active: false,
      });

      /** Creates a new object (version 1) or moves a random acknowledged one to its next version. */
      const writes = (
        who: Person,
        objects: Map<number, Versions>,
        label: string,
        save: (name: string, id?: string) => unknown,
        procedure: string,
      ): (() => Promise<Answer>) => {
        let created = 0;
        return async () => {
          const known = [...objects.entries()].filter(([, v]) => v.id);
          if (known.length < 3 || random() < 0.25) {
            const index = created++;
            objects.set(index, { id: '', acked: [], attempted: 1 });
            const answer = await who.call(procedure, save(`${label} ${index} v1`));
            if (answer.kind === 'ok') Object.assign(objects.get(index)!, { id: (answer.data as { id: string }).id, acked: [1] });
            if (answer.kind === 'down') objects.delete(index);
            return answer;
          }
          const [index, versions] = known[Math.floor(random() * known.length)]!;
          const version = ++versions.attempted;
          const answer = await who.call(procedure, save(`${label} ${index} v${version}`, versions.id));
          if (answer.kind === 'ok') versions.acked.push(version);
          if (answer.kind === 'down') versions.attempted--;
          return answer;
        };
      };
      const answerEvaluation = async (): Promise<Answer> => {
        const versions = [...evaluations.values()][Math.floor(random() * evaluations.size)]!;
        const version = ++versions.attempted;
        const answer = await analyst.call('quality.answer', {
          evaluationId: versions.id,
          answers: [{ questionId: 'greeting', answer: 'no', reason: `changed by the analyst v${version}` }],
        });
        if (answer.kind === 'ok') versions.acked.push(version);
        if (answer.kind === 'down') versions.attempted--;
        return answer;
      };

      const loop = async (write: () => Promise<Answer>) => {
        while (!stopping) {
          const answer = await write();
          if (answer.kind === 'ok') {
            acknowledged++;
            ackedByHost++;
          } else if (answer.kind === 'refused') unexpected.push(`${answer.status}: ${answer.message}`);
          else {
            if (answer.kind === 'unknown') unknown++;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      };

      let kills = 0;
      const restartMs: number[] = [];
      const evaluationLoop: Promise<void>[] = [];
      const killer = async () => {
        for (let k = 0; k < KILLS; k++) {
          const target = Math.ceil(WRITES_PER_HOST * (0.3 + random() * 0.7));
          while (ackedByHost < target) await new Promise((r) => setTimeout(r, 5));
          // A random moment within the next write or two, with writes in flight.
          await new Promise((r) => setTimeout(r, random() * 150));
          current!.child.kill('SIGKILL');
          await current!.exited;
          kills++;
          if (k === 0) {
            for (const id of await seedEvaluations()) evaluations.set(id, { id, acked: [], attempted: 0 });
            evaluationLoop.push(loop(answerEvaluation));
          }
          const spawned = performance.now();
          // As a deployment restarts: the demo tenant and its people are there already.
          current = spawnHost(dataDir, port, { SWITCHBOARD_SEED_DEMO: '0' });
          ackedByHost = 0;
          await waitReady(current);
          restartMs.push(Math.round(performance.now() - spawned));
        }
        // Some writes on the last host too, then the loops stop.
        while (ackedByHost < 10) await new Promise((r) => setTimeout(r, 5));
        stopping = true;
      };

      await Promise.all([
        loop(writes(admin, rules, 'config durability rule', rule, 'wallboard.alertRules.save')),
        loop(writes(planner, templates, 'config durability template', template, 'schedules.setup.saveTemplate')),
        killer(),
      ]);
      await Promise.all(evaluationLoop);
      expect(kills).toBe(KILLS);
      expect(evaluations.size).toBe(EVALUATIONS);
      expect(unexpected, 'answers other than 200, a broken connection or 503 starting').toEqual([]);

      // Read back through the API of the last host.
      const storedRules = new Map<number, number>();
      const listed = await admin.call('wallboard.alertRules.list', undefined, 'GET');
      expect(listed.kind).toBe('ok');
      for (const r of listed.kind === 'ok' ? (listed.data as { name: string }[]) : []) {
        const match = /^config durability rule (\d+) v(\d+)$/.exec(r.name);
        if (match) storedRules.set(Number(match[1]), Number(match[2]));
      }
      const storedTemplates = new Map<number, number>();
      const setup = await planner.call('schedules.setup.get', undefined, 'GET');
      expect(setup.kind).toBe('ok');
      for (const t of setup.kind === 'ok' ? (setup.data as { templates: { name: string }[] }).templates : []) {
        const match = /^config durability template (\d+) v(\d+)$/.exec(t.name);
        if (match) storedTemplates.set(Number(match[1]), Number(match[2]));
      }
      const storedAnswers = new Map<string, number>();
      for (const id of evaluations.keys()) {
        const view = await analyst.call('quality.get', { evaluationId: id }, 'GET');
        expect(view.kind).toBe('ok');
        const greeting = (view.kind === 'ok' ? (view.data as { sections: { questions: { id: string; overrideReason: string | null }[] }[] }).sections : [])
          .flatMap((s) => s.questions)
          .find((q) => q.id === 'greeting');
        storedAnswers.set(id, versionOf(greeting?.overrideReason));
      }

      // An object's acknowledged versions above the one stored were lost; a stored version never attempted is a phantom.
      const lostOf = <K>(objects: Map<K, Versions>, stored: Map<K, number>) => {
        let lost = 0;
        const problems: string[] = [];
        for (const [key, v] of objects) {
          const version = stored.get(key) ?? 0;
          const missing = v.acked.filter((a) => a > version);
          if (missing.length > 0) {
            lost += missing.length;
            problems.push(`${key}: acknowledged v${missing.join(', v')}, stored v${version}`);
          }
          if (version > v.attempted) problems.push(`${key}: stored v${version}, never sent`);
        }
        return { lost, problems };
      };
      const checked = {
        rules: lostOf(rules, storedRules),
        templates: lostOf(templates, storedTemplates),
        evaluations: lostOf(evaluations, storedAnswers),
      };
      const lostSessions = people.reduce((n, p) => n + p.lostSessions, 0);
      const lost = checked.rules.lost + checked.templates.lost + checked.evaluations.lost + lostSessions;
      recordFaultFigures('config-durability', {
        kills,
        lost,
        extra: {
          writes_acknowledged: acknowledged,
          writes_unknown: unknown,
          sessions_lost: lostSessions,
          objects: { rules: rules.size, templates: templates.size, evaluations: evaluations.size },
          restart_ready_ms: restartMs,
        },
      });
      expect(acknowledged).toBeGreaterThan(0);
      expect({ ...checked, lostSessions }).toEqual({
        rules: { lost: 0, problems: [] },
        templates: { lost: 0, problems: [] },
        evaluations: { lost: 0, problems: [] },
        lostSessions: 0,
      });
      await stopHost(current);
      current = undefined;
    },
    byTier(300_000, 900_000),
  );
});
