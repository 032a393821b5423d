import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema, storeEvaluations } from '@switchboard/db';
import { scoreInteraction, standardForm, type FormDefinition } from '@switchboard/quality';
import { demoCenter } from '@switchboard/simulator';
import { startTestHost, type TestHost } from './support/host.ts';
import { seedTenantWithMembers } from './support/members.ts';
import { labelledTranscripts } from './support/quality.ts';

/**
 * The form designer's API on the real router and stores, as an analyst: a form that cannot work is refused with
 * every reason and stores nothing, an edit becomes the next version, a version evaluations used never changes, and
 * a form is tried on a transcript before it is saved.
 */

const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
const engines = databaseUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

type Caller = Awaited<ReturnType<typeof seedTenantWithMembers>>['callers'][number];

/** The standard form with one change made to a copy. */
function edited(change: (form: FormDefinition) => void): FormDefinition {
  const form = structuredClone(standardForm);
  change(form);
  return form;
}
const question = (form: FormDefinition, id: string) => form.sections.flatMap((s) => s.questions).find((q) => q.id === id)!;

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; problems: string[] }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; message: string; cause?: { issues?: { message: string }[] } };
    if (!e.code) throw error;
    return { code: e.code, message: e.message, problems: (e.cause?.issues ?? []).map((i) => i.message) };
  }
  throw new Error('expected the call to be refused, it succeeded');
}

describe.each(engines)('[%s]', (engine) => {
  let t: TestHost;
  let analyst: Caller;
  let tenantId: string;

  beforeAll(async () => {
    t = await startTestHost(engine === 'postgres' ? { DATABASE_URL: databaseUrl! } : {});
    const seeded = await seedTenantWithMembers(t, demoCenter, [{ role: 'analyst' }]);
    tenantId = seeded.tenantId;
    [analyst] = seeded.callers as [Caller];
  });

  afterAll(async () => {
    if (!t) return;
    // PostgreSQL outlives the run: the tenant goes, with its forms and evaluations.
    await t.host.db.db.delete(schema.tenants).where(eq(schema.tenants.id, tenantId));
    await t.stop();
  });

  it('lists the standard form as version 1 of its key, built in and unused, from the first look', async () => {
    expect(await analyst.quality.forms.list()).toEqual([
      { key: 'standard', name: standardForm.name, version: 1, versions: 1, used: false, builtIn: true, savedAt: expect.any(String) },
    ]);
    const form = await analyst.quality.forms.get({ key: 'standard' });
    expect(form).toMatchObject({ key: 'standard', version: 1, builtIn: true, used: false, versions: [{ version: 1, used: false }] });
    expect(form.definition).toEqual(standardForm);
  });

  const invalid: [string, FormDefinition, string][] = [
    [
      'conditions that go round in a circle',
      edited((f) => {
        question(f, 'greeting').showWhen = { question: 'closing', equals: ['yes'] };
        question(f, 'closing').showWhen = { question: 'greeting', equals: ['yes'] };
      }),
      'greeting: its conditions go round in a circle (greeting → closing → greeting)',
    ],
    ['weights that do not add up to 100', edited((f) => void (question(f, 'empathy').weight = 20)), 'weights add up to 107.5, not 100'],
    [
      'a rule that can never match',
      edited((f) => void (question(f, 'hold_permission').auto = { expect: { kind: 'metadata', metric: 'holds', atLeast: 3, atMost: 1 } })),
      'hold_permission: expects: holds at least 3 and at most 1 can never both hold',
    ],
  ];

  it.each(invalid)('refuses a form with %s, saying why, and stores nothing', async (_, definition, reason) => {
    const refused = await refusal(analyst.quality.forms.save({ key: 'standard', name: 'Standard form', definition }));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toContain(reason);
    expect(refused.problems).toContain(reason);
    expect((await analyst.quality.forms.get({ key: 'standard' })).version).toBe(1);
  });

  it('names every problem of a form at once', async () => {
    const definition = edited((f) => {
      question(f, 'empathy').weight = 20;
      question(f, 'closing').showWhen = { question: 'greeting', equals: ['maybe'] };
    });
    const refused = await refusal(analyst.quality.forms.save({ key: 'standard', name: 'Standard form', definition }));
    expect(refused.problems).toEqual(['weights add up to 107.5, not 100', 'closing: greeting can never be "maybe"']);
    expect(refused.message).toBe('the form cannot be used: weights add up to 107.5, not 100; closing: greeting can never be "maybe"');
  });

  it('refuses a key that is not lower-case letters, digits and dashes', async () => {
    const refused = await refusal(analyst.quality.forms.save({ key: 'Billing form', name: 'Billing', definition: standardForm }));
    expect(refused.code).toBe('BAD_REQUEST');
  });

  it('saves a valid edit as the next version; the earlier version stays as it was', async () => {
    const guidance = 'Count a greeting in the language the customer chose.';
    const saved = await analyst.quality.forms.save({
      key: 'standard',
      name: 'Standard form (ours)',
      definition: edited((f) => void (question(f, 'greeting').guidance = guidance)),
    });
    expect(saved).toMatchObject({ key: 'standard', version: 2, name: 'Standard form (ours)' });

    const latest = await analyst.quality.forms.get({ key: 'standard' });
    expect(latest).toMatchObject({ id: saved.id, version: 2, builtIn: false, name: 'Standard form (ours)' });
    expect(latest.versions.map((v) => v.version)).toEqual([2, 1]);
    // The name given is the form's name.
    expect(latest.definition.name).toBe('Standard form (ours)');
    expect(question(latest.definition, 'greeting').guidance).toBe(guidance);
    expect((await analyst.quality.forms.get({ key: 'standard', version: 1 })).definition).toEqual(standardForm);
    expect(await analyst.quality.forms.list()).toMatchObject([{ key: 'standard', version: 2, versions: 2 }]);

    const other = await analyst.quality.forms.save({ key: 'billing', name: 'Billing', definition: standardForm });
    expect(other.version).toBe(1);
    expect((await analyst.quality.forms.list()).map((f) => [f.key, f.version])).toEqual([
      ['billing', 1],
      ['standard', 2],
    ]);
    expect((await refusal(analyst.quality.forms.get({ key: 'standard', version: 9 }))).code).toBe('NOT_FOUND');
  });

  it('keeps a version evaluations used frozen: an edit becomes a new version, and the database refuses a change to it', async () => {
    const used = await analyst.quality.forms.get({ key: 'standard' });
    await storeEvaluations(
      t.host.db.db,
      tenantId,
      [
        {
          interactionId: 'forms-test-1',
          agentKey: demoCenter.agents[0]!.id,
          queueKey: demoCenter.queues[0]!.id,
          channel: 'voice',
          formId: used.id,
          planId: null,
          reviewReason: null,
          score: 100,
          failedCritical: false,
          interactionEndedAt: new Date(),
          answers: [],
        },
      ],
      new Date(0),
    );
    expect((await analyst.quality.forms.get({ key: 'standard' })).used).toBe(true);

    const next = await analyst.quality.forms.save({
      key: 'standard',
      name: used.name,
      definition: edited((f) => void (question(f, 'closing').guidance = 'A goodbye in any words.')),
    });
    expect(next.version).toBe(used.version + 1);
    const frozen = await analyst.quality.forms.get({ key: 'standard', version: used.version });
    expect(frozen).toMatchObject({ id: used.id, used: true });
    expect(frozen.definition).toEqual(used.definition);
    expect((await analyst.quality.forms.get({ key: 'standard' })).versions.map((v) => [v.version, v.used])).toEqual([
      [3, false],
      [2, true],
      [1, false],
    ]);
    expect(await analyst.quality.forms.list()).toMatchObject([
      { key: 'billing', used: false },
      { key: 'standard', version: 3, used: true },
    ]);

    const change = t.host.db.db.update(schema.qualityForms).set({ name: 'changed' }).where(eq(schema.qualityForms.id, used.id));
    await expect(change).rejects.toMatchObject({ cause: { message: expect.stringContaining('is used by evaluations: save a new version instead') } });
  });

  it('tries a form on a pasted transcript as the evaluation would score it, and refuses a form that cannot work', async () => {
    const [conversation] = labelledTranscripts('dev', 1);
    const { channel, segments, holds } = conversation!;
    const preview = await analyst.quality.forms.preview({ definition: standardForm, transcript: { channel, segments, holds } });
    expect(preview).toEqual(scoreInteraction(standardForm, { interaction_id: 'preview', channel, segments, holds, metadata: {} }));
    expect(preview.answers.length).toBeGreaterThan(0);

    const refused = await refusal(
      analyst.quality.forms.preview({ definition: edited((f) => void (question(f, 'empathy').weight = 20)), transcript: { channel, segments, holds } }),
    );
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', problems: ['weights add up to 107.5, not 100'] });
  });
});
