import { expect, it } from 'vitest';
import { seedTenant } from './center-config.ts';
import { getDirectory } from './directory.ts';
import {
  DEFAULT_STAFFING,
  deleteForecastOverride,
  deleteSpecialDay,
  listForecastOverrides,
  listSpecialDays,
  listStaffingSettings,
  saveForecastOverride,
  saveSpecialDay,
  saveStaffingSettings,
} from './planning.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';

describeEngines('planning inputs', (ctx) => {
  const seedTwo = async () => {
    const a = ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug('plan-a'), name: 'A', config: buildCenterConfig() }));
    const b = ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug('plan-b'), name: 'B', config: buildCenterConfig() }));
    const queueOf = async (tenantId: string) => {
      const queue = (await getDirectory(ctx.db, tenantId))?.queues[0];
      if (!queue) throw new Error('no queue');
      return queue.id;
    };
    return { a, b, queueA: await queueOf(a), queueB: await queueOf(b) };
  };

  it('keeps one special day per date and drops the multiplier of an exclusion', async () => {
    const { a, b } = await seedTwo();
    await saveSpecialDay(ctx.db, a, null, { date: '2026-12-25', label: 'Christmas', effect: 'multiply', multiplier: 0 });
    const replaced = await saveSpecialDay(ctx.db, a, null, { date: '2026-12-25', label: 'Outage', effect: 'exclude', multiplier: 3 });
    expect(replaced).toMatchObject({ date: '2026-12-25', label: 'Outage', effect: 'exclude', multiplier: null });
    expect((await listSpecialDays(ctx.db, a)).map((d) => d.label)).toEqual(['Outage']);
    expect(await listSpecialDays(ctx.db, b)).toEqual([]);
    expect(await deleteSpecialDay(ctx.db, b, replaced.id)).toBe(false);
    expect(await deleteSpecialDay(ctx.db, a, replaced.id)).toBe(true);
    await expect(saveSpecialDay(ctx.db, a, null, { date: '2026-12-26', label: 'x', effect: 'multiply', multiplier: null })).rejects.toMatchObject({
      cause: { constraint: 'special_days_multiplier_check' },
    });
  });

  it('stores overrides for the tenant’s own queues only', async () => {
    const { a, b, queueA, queueB } = await seedTwo();
    const input = {
      queueId: queueA,
      fromDate: '2026-12-01',
      toDate: '2026-12-02',
      fromMinute: 540,
      toMinute: 600,
      kind: 'multiply' as const,
      value: 1.2,
      label: 'mailing',
    };
    const saved = await saveForecastOverride(ctx.db, a, null, input);
    expect(saved).toMatchObject(input);
    expect(await saveForecastOverride(ctx.db, a, null, { ...input, queueId: queueB })).toBeNull();
    expect(await saveForecastOverride(ctx.db, b, null, { ...input, queueId: queueA })).toBeNull();
    expect(await saveForecastOverride(ctx.db, b, null, { ...input, queueId: queueB, id: saved!.id })).toBeNull();
    expect((await listForecastOverrides(ctx.db, a, queueA)).map((o) => o.value)).toEqual([1.2]);
    expect(await listForecastOverrides(ctx.db, b)).toEqual([]);
    await expect(saveForecastOverride(ctx.db, a, null, { ...input, fromMinute: 600, toMinute: 540 })).rejects.toMatchObject({
      cause: { constraint: 'forecast_overrides_minutes_check' },
    });
    expect(await deleteForecastOverride(ctx.db, a, saved!.id)).toBe(true);
    expect(await listForecastOverrides(ctx.db, a)).toEqual([]);
  });

  it('answers defaults until a queue’s staffing settings are saved', async () => {
    const { a, queueA, queueB } = await seedTwo();
    const before = await listStaffingSettings(ctx.db, a);
    expect(before.length).toBe(buildCenterConfig().queues.length);
    expect(before.every((s) => s.saved === false && s.shrinkage === DEFAULT_STAFFING.shrinkage)).toBe(true);
    expect(await saveStaffingSettings(ctx.db, a, null, { queueId: queueB, shrinkage: 0.2, maxOccupancy: 0.9, patienceS: 120, plannedAhtS: null })).toBeNull();
    await saveStaffingSettings(ctx.db, a, null, { queueId: queueA, shrinkage: 0.25, maxOccupancy: 0.9, patienceS: 120, plannedAhtS: 240 });
    const after = await listStaffingSettings(ctx.db, a);
    expect(after.find((s) => s.queueId === queueA)).toEqual({
      queueId: queueA,
      shrinkage: 0.25,
      maxOccupancy: 0.9,
      patienceS: 120,
      plannedAhtS: 240,
      saved: true,
    });
    expect(after.filter((s) => s.saved).length).toBe(1);
    // Saved without a planned AHT (as the what-if does): the stored one stays; null clears it.
    expect(await saveStaffingSettings(ctx.db, a, null, { queueId: queueA, shrinkage: 0.3, maxOccupancy: 0.9, patienceS: null })).toMatchObject({
      plannedAhtS: 240,
    });
    expect(
      await saveStaffingSettings(ctx.db, a, null, { queueId: queueA, shrinkage: 0.3, maxOccupancy: 0.9, patienceS: null, plannedAhtS: null }),
    ).toMatchObject({ plannedAhtS: null });
    await expect(
      saveStaffingSettings(ctx.db, a, null, { queueId: queueA, shrinkage: 0.25, maxOccupancy: 0.9, patienceS: null, plannedAhtS: 0 }),
    ).rejects.toMatchObject({
      cause: { constraint: 'staffing_settings_planned_aht_check' },
    });
  });
});
