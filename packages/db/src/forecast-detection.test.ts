import { expect, it } from 'vitest';
import { seedTenant } from './center-config.ts';
import { getDirectory } from './directory.ts';
import { decideDetectedDay, getForecastSettings, listDetectedDays, recordDetectedDays, saveForecastSettings } from './forecast-detection.ts';
import { eq } from 'drizzle-orm';
import { listSpecialDays } from './planning.ts';
import { auditLog } from './schema.ts';
import { withTenant } from './tenancy.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';

describeEngines('forecast detection', (ctx) => {
  const seed = async (name: string) => {
    const tenantId = ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug(name), name, config: buildCenterConfig() }));
    const queues = (await getDirectory(ctx.db, tenantId))!.queues;
    return { tenantId, queueIds: queues.map((q) => q.id), queueKeys: queues.map((q) => q.key) };
  };

  it('keeps holiday settings per tenant, defaults until saved', async () => {
    const a = await seed('fd-settings-a');
    const b = await seed('fd-settings-b');
    expect(await getForecastSettings(ctx.db, a.tenantId)).toEqual({ holidayRegion: null, holidayMultiplier: 0, saved: false });
    await saveForecastSettings(ctx.db, a.tenantId, null, { holidayRegion: 'DE-BY', holidayMultiplier: 0.4 });
    expect(await getForecastSettings(ctx.db, a.tenantId)).toEqual({ holidayRegion: 'DE-BY', holidayMultiplier: 0.4, saved: true });
    expect((await getForecastSettings(ctx.db, b.tenantId)).saved).toBe(false);
    await expect(saveForecastSettings(ctx.db, a.tenantId, null, { holidayRegion: null, holidayMultiplier: -1 })).rejects.toMatchObject({
      cause: { constraint: 'forecast_settings_holiday_multiplier_check' },
    });
  });

  it('replaces pending findings on each run, keeps decisions, and turns a decision into a special day', async () => {
    const a = await seed('fd-days-a');
    const b = await seed('fd-days-b');
    const [q1, q2] = a.queueIds;
    const at = new Date('2026-12-01T03:00:00Z');
    await recordDetectedDays(
      ctx.db,
      a.tenantId,
      q1!,
      [
        { date: '2026-11-26', kind: 'closed', total: 0, expected: 1200 },
        { date: '2026-11-10', kind: 'unusual', total: 2900, expected: 1300 },
        { date: '2026-10-05', kind: 'unusual', total: 300, expected: 1250 },
      ],
      at,
    );
    await recordDetectedDays(ctx.db, a.tenantId, q2!, [{ date: '2026-11-26', kind: 'unusual', total: 100, expected: 800 }], at);
    expect((await listDetectedDays(ctx.db, a.tenantId)).map((d) => [d.date, d.queueKey, d.kind, d.status])).toEqual(
      [
        ['2026-11-26', a.queueKeys[0], 'closed', 'pending'],
        ['2026-11-26', a.queueKeys[1], 'unusual', 'pending'],
        ['2026-11-10', a.queueKeys[0], 'unusual', 'pending'],
        ['2026-10-05', a.queueKeys[0], 'unusual', 'pending'],
      ].sort((x, y) => (x[0]! < y[0]! ? 1 : x[0]! > y[0]! ? -1 : x[1]!.localeCompare(y[1]!))),
    );
    expect(await listDetectedDays(ctx.db, b.tenantId)).toEqual([]);

    // Thanksgiving: closed in one queue, unusual in another; one decision covers both, closed wins.
    const confirmed = await decideDetectedDay(ctx.db, a.tenantId, null, { date: '2026-11-26', decision: 'recurring' });
    expect(confirmed?.decided).toBe(2);
    expect(confirmed?.specialDay).toMatchObject({ date: '2026-11-26', effect: 'multiply', multiplier: 0, recursYearly: true });
    const rejected = await decideDetectedDay(ctx.db, a.tenantId, null, { date: '2026-11-10', decision: 'reject' });
    expect(rejected).toEqual({ decided: 1, specialDay: null });
    expect(await decideDetectedDay(ctx.db, a.tenantId, null, { date: '2026-01-01', decision: 'confirm' })).toBeNull();
    expect(await decideDetectedDay(ctx.db, b.tenantId, null, { date: '2026-10-05', decision: 'confirm' })).toBeNull();
    // Every decision is in the audit log, with the special day it saved.
    const audited = await withTenant(ctx.db, a.tenantId, (tx) =>
      tx.select({ action: auditLog.action, objectId: auditLog.objectId }).from(auditLog).where(eq(auditLog.tenantId, a.tenantId)),
    );
    expect(audited).toEqual(
      expect.arrayContaining([
        { action: 'special_day.save', objectId: confirmed!.specialDay!.id },
        { action: 'detected_day.recurring', objectId: '2026-11-26' },
        { action: 'detected_day.reject', objectId: '2026-11-10' },
      ]),
    );
    expect(audited).toHaveLength(3);
    expect((await listSpecialDays(ctx.db, a.tenantId)).map((d) => d.date)).toEqual(['2026-11-26']);

    // The next run no longer finds 10-05 and finds 11-10 again: the pending one goes, the decided ones stay.
    await recordDetectedDays(ctx.db, a.tenantId, q1!, [{ date: '2026-11-10', kind: 'unusual', total: 2950, expected: 1300 }], new Date('2026-12-02T03:00:00Z'));
    expect((await listDetectedDays(ctx.db, a.tenantId, q1)).map((d) => [d.date, d.status])).toEqual([
      ['2026-11-26', 'confirmed'],
      ['2026-11-10', 'rejected'],
    ]);
  });
});
