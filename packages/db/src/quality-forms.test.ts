import { expect, it } from 'vitest';
import { seedTenant } from './center-config.ts';
import { ensureBuiltInForm, listForms, listFormVersions, saveFormVersion, storeEvaluations } from './quality.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';

const definition = { name: 'Mini', sections: [] };

describeEngines('quality forms', (ctx) => {
  const seed = async (label: string) => ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug(label), name: label, config: buildCenterConfig() }));
  const useForm = (tenantId: string, formId: string, interactionId: string) =>
    storeEvaluations(
      ctx.db,
      tenantId,
      [
        {
          interactionId,
          agentKey: 'agent-1',
          queueKey: 'voice',
          channel: 'voice',
          formId,
          planId: null,
          reviewReason: null,
          score: 100,
          failedCritical: false,
          interactionEndedAt: new Date('2026-12-01T10:00:00Z'),
          answers: [],
        },
      ],
      new Date('2026-12-01T10:00:05Z'),
    );

  it("lists each form's latest version with its version count and whether an evaluation uses any version", async () => {
    const tenantId = await seed('forms-list');
    const standard = await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition });
    await saveFormVersion(ctx.db, tenantId, null, { key: 'standard', name: 'Standard (edited)', definition });
    await saveFormVersion(ctx.db, tenantId, null, { key: 'billing', name: 'Billing', definition });
    expect(await listForms(ctx.db, tenantId)).toMatchObject([
      { key: 'billing', version: 1, name: 'Billing', builtIn: false, versions: 1, used: false },
      { key: 'standard', version: 2, name: 'Standard (edited)', builtIn: false, versions: 2, used: false },
    ]);

    // Only the first version is used; the form counts as used all the same.
    await useForm(tenantId, standard.id, 'i-1');
    const third = await saveFormVersion(ctx.db, tenantId, null, { key: 'standard', name: 'Standard v3', definition });
    const forms = await listForms(ctx.db, tenantId);
    expect(forms.map((f) => [f.key, f.version, f.versions, f.used])).toEqual([
      ['billing', 1, 1, false],
      ['standard', 3, 3, true],
    ]);
    expect(forms[1]!.id).toBe(third.id);
  });

  it('lists every version of one form, latest first, each with whether it is used', async () => {
    const tenantId = await seed('forms-versions');
    const first = await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition });
    const second = await saveFormVersion(ctx.db, tenantId, null, { key: 'standard', name: 'Standard (edited)', definition });
    await saveFormVersion(ctx.db, tenantId, null, { key: 'other', name: 'Other', definition });
    await useForm(tenantId, second.id, 'i-1');
    const versions = await listFormVersions(ctx.db, tenantId, 'standard');
    expect(versions.map((v) => [v.id, v.version, v.name, v.builtIn, v.used])).toEqual([
      [second.id, 2, 'Standard (edited)', false, true],
      [first.id, 1, 'Standard', true, false],
    ]);
    expect(versions[0]!.createdAt).toBeInstanceOf(Date);
    expect(await listFormVersions(ctx.db, tenantId, 'missing')).toEqual([]);
  });

  it("shows a tenant none of another tenant's forms", async () => {
    const a = await seed('forms-a');
    const b = await seed('forms-b');
    await saveFormVersion(ctx.db, a, null, { key: 'private', name: 'Private', definition });
    expect(await listForms(ctx.db, b)).toEqual([]);
    expect(await listFormVersions(ctx.db, b, 'private')).toEqual([]);
  });
});
