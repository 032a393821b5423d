import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import {
  CalibrationStateError,
  closeCalibrationSession,
  createCalibrationSession,
  getCalibrationSession,
  listCalibrationSessions,
  saveCalibrationAnswers,
} from './calibration.ts';
import { seedTenant } from './center-config.ts';
import { ensureBuiltInForm, latestFormVersion } from './quality.ts';
import { qualityForms, users } from './schema.ts';
import { withTenant } from './tenancy.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';
import { eq } from 'drizzle-orm';

describeEngines('calibration', (ctx) => {
  const seed = async (label: string) => ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug(label), name: label, config: buildCenterConfig() }));
  const person = async (name: string) => {
    const id = `user-${randomUUID()}`;
    await ctx.db.insert(users).values({ id, name, email: `${id}@calibration.test` });
    return id;
  };
  const item = (interactionId: string) => ({ interactionId, agentKey: 'agent-1', channel: 'voice', interactionEndedAt: new Date('2026-12-01T10:00:00Z') });

  it('answers stay with their participant until handed in, then stand; the lead closes; the form version is frozen', async () => {
    const tenantId = await seed('calibration');
    const form = await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition: { name: 'Mini', sections: [] } });
    const [lead, rater, outsider] = [await person('Lee Lead'), await person('Rae Rater'), await person('Oz Outsider')];
    const session = await createCalibrationSession(ctx.db, tenantId, lead, {
      name: 'December',
      formId: form.id,
      items: [item('i-1'), item('i-2')],
      participantIds: [rater],
    });
    expect(await listCalibrationSessions(ctx.db, tenantId, rater)).toMatchObject([{ id: session.id, items: 2, participants: 2, submitted: 0 }]);
    expect(await listCalibrationSessions(ctx.db, tenantId, outsider)).toEqual([]);

    await saveCalibrationAnswers(ctx.db, tenantId, rater, session.id, [{ interactionId: 'i-1', questionId: 'greeting', answer: 'no' }], false);
    await saveCalibrationAnswers(ctx.db, tenantId, rater, session.id, [{ interactionId: 'i-1', questionId: 'greeting', answer: 'yes' }], true);
    await expect(
      saveCalibrationAnswers(ctx.db, tenantId, rater, session.id, [{ interactionId: 'i-1', questionId: 'greeting', answer: 'no' }], false),
    ).rejects.toThrow(/handed in/);
    await expect(saveCalibrationAnswers(ctx.db, tenantId, outsider, session.id, [], true)).rejects.toThrow(CalibrationStateError);
    await expect(
      saveCalibrationAnswers(ctx.db, tenantId, lead, session.id, [{ interactionId: 'elsewhere', questionId: 'greeting', answer: 'no' }], false),
    ).rejects.toThrow(/not an interaction of this session/);

    const full = (await getCalibrationSession(ctx.db, tenantId, session.id))!;
    expect(full.items.map((i) => i.interactionId)).toEqual(['i-1', 'i-2']);
    expect(full.participants.map((p) => [p.name, p.submittedAt !== null])).toEqual([
      ['Lee Lead', false],
      ['Rae Rater', true],
    ]);
    expect(full.answers.map((a) => [a.userId, a.interactionId, a.questionId, a.answer])).toEqual([[rater, 'i-1', 'greeting', 'yes']]);

    const rename = withTenant(ctx.db, tenantId, (tx) => tx.update(qualityForms).set({ name: 'renamed' }).where(eq(qualityForms.id, form.id)));
    await expect(rename).rejects.toMatchObject({ cause: { message: expect.stringContaining('save a new version instead') } });
    expect((await latestFormVersion(ctx.db, tenantId, 'standard'))!.name).toBe('Standard');

    expect(await closeCalibrationSession(ctx.db, tenantId, lead, session.id)).toBe(true);
    expect(await closeCalibrationSession(ctx.db, tenantId, lead, session.id)).toBe(false);
    await expect(saveCalibrationAnswers(ctx.db, tenantId, lead, session.id, [], true)).rejects.toThrow(/closed/);
    expect(await getCalibrationSession(ctx.db, await seed('calibration-other'), session.id)).toBeNull();
  });
});
