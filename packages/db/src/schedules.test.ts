import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { seedTenant } from './center-config.ts';
import { getDirectory } from './directory.ts';
import {
  acknowledgeSchedule,
  editDraftDay,
  getSchedule,
  listAcknowledgements,
  listPlanningGroups,
  listPublishedActivities,
  publishSchedule,
  rejectSchedule,
  saveDraftSchedule,
  savePlanningGroup,
  saveShiftTemplate,
  saveWorkContract,
  ScheduleConflictError,
  type ActivityInput,
} from './schedules.ts';
import { auditLog, scheduleActivities } from './schema.ts';
import { withTenant } from './tenancy.ts';
import { applySwap, createSwap, createTimeOff, decideTimeOff, getTimeOffBalance, listTimeOff, setTimeOffAllowance, updateSwap } from './time-off.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';

const summary = { figures: { cost: 8 }, required: [1, 1], scheduled: [1, 1], dayStarts: [0, 1440], notes: [] };

describeEngines('schedules', (ctx) => {
  const seed = async (label: string) => {
    const tenantId = ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug(label), name: label, config: buildCenterConfig() }));
    const directory = (await getDirectory(ctx.db, tenantId))!;
    const group = (await savePlanningGroup(ctx.db, tenantId, null, { key: 'voice', name: 'Voice', queueIds: [directory.queues[0]!.id] }))!;
    return { tenantId, directory, group };
  };
  const shiftOf = (agentId: string, date: string, startHour: number): ActivityInput[] => {
    const at = (h: number) => new Date(`${date}T${String(h).padStart(2, '0')}:00:00Z`);
    return [
      { agentId, kind: 'work', startsAt: at(startHour), endsAt: at(startHour + 4), shiftDate: date, templateId: null },
      { agentId, kind: 'lunch', startsAt: at(startHour + 4), endsAt: at(startHour + 5), shiftDate: date, templateId: null },
      { agentId, kind: 'work', startsAt: at(startHour + 5), endsAt: at(startHour + 9), shiftDate: date, templateId: null },
    ];
  };

  it('keeps a queue in one planning group and refuses another tenant’s queue', async () => {
    const a = await seed('sched-groups-a');
    const b = await seed('sched-groups-b');
    const queue = a.directory.queues[0]!.id;
    await savePlanningGroup(ctx.db, a.tenantId, null, { key: 'all', name: 'All', queueIds: [queue] });
    const groups = await listPlanningGroups(ctx.db, a.tenantId);
    expect(groups.find((g) => g.key === 'voice')!.queueIds).toEqual([]);
    expect(groups.find((g) => g.key === 'all')!.queueIds).toEqual([queue]);
    expect(await savePlanningGroup(ctx.db, b.tenantId, null, { key: 'x', name: 'X', queueIds: [queue] })).toBeNull();
  });

  it('checks templates and contracts in the database, and audits their edits', async () => {
    const { tenantId } = await seed('sched-rules');
    const template = {
      name: 'Early',
      lengthMin: 480,
      startStepMin: 15,
      earliestStartMin: 420,
      latestStartMin: 540,
      weekdays: [1, 2, 3, 4, 5],
      cost: null,
      breaks: [{ kind: 'lunch' as const, lengthMin: 30, earliestOffsetMin: 180, latestOffsetMin: 300, paid: false }],
      active: true,
    };
    const saved = await saveShiftTemplate(ctx.db, tenantId, null, template);
    expect(saved).toMatchObject({ name: 'Early', weekdays: [1, 2, 3, 4, 5] });
    await expect(saveShiftTemplate(ctx.db, tenantId, null, { ...template, name: 'Odd', lengthMin: 470 })).rejects.toMatchObject({
      cause: { constraint: 'shift_templates_length_check' },
    });
    const contract = { name: 'Full time', minHours: 36, maxHours: 40, minRestMin: 660, maxConsecutiveDays: 5, daysOffPerWeek: 2, fixedDaysOff: [] };
    expect(await saveWorkContract(ctx.db, tenantId, null, contract)).toMatchObject({ name: 'Full time' });
    await expect(saveWorkContract(ctx.db, tenantId, null, { ...contract, name: 'Bad', minHours: 45 })).rejects.toMatchObject({
      cause: { constraint: 'work_contracts_hours_check' },
    });
    const audited = await withTenant(ctx.db, tenantId, (tx) => tx.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)));
    expect(audited.map((r) => r.objectType).sort()).toEqual(['planning_group', 'shift_template', 'work_contract']);
  });

  it('stores a draft once per run, refuses an edit on a stale revision, and freezes what it publishes', async () => {
    const { tenantId, directory, group } = await seed('sched-drafts');
    const [alex, blair] = directory.agents;
    const draftInput = {
      groupId: group.id,
      weekStart: '2026-12-07',
      timezone: 'UTC',
      summary,
      staffingVersionId: null,
      workflowId: 'schedule:t:g:2026-12-07',
      activities: [...shiftOf(alex!.id, '2026-12-07', 8), ...shiftOf(blair!.id, '2026-12-07', 12)],
    };
    const draft = await saveDraftSchedule(ctx.db, tenantId, draftInput);
    expect((await saveDraftSchedule(ctx.db, tenantId, draftInput)).id).toBe(draft.id);
    expect((await getSchedule(ctx.db, tenantId, draft.id))!.activities).toHaveLength(6);

    const edit = {
      scheduleId: draft.id,
      expectedRevision: 1,
      agentId: alex!.id,
      shiftDate: '2026-12-07',
      activities: shiftOf(alex!.id, '2026-12-07', 9).map(({ kind, startsAt, endsAt, templateId }) => ({ kind, startsAt, endsAt, templateId })),
      summary,
    };
    expect(await editDraftDay(ctx.db, tenantId, null, edit)).toBe(2);
    // A second planner who opened revision 1 is refused, and the first planner's edit stands.
    await expect(editDraftDay(ctx.db, tenantId, null, { ...edit, activities: [] })).rejects.toMatchObject({ reason: 'stale_revision' });
    const afterEdit = (await getSchedule(ctx.db, tenantId, draft.id, [alex!.id]))!.activities;
    expect(afterEdit.map((a) => a.startsAt.toISOString())).toEqual(['2026-12-07T09:00:00.000Z', '2026-12-07T13:00:00.000Z', '2026-12-07T14:00:00.000Z']);

    const at = new Date('2026-12-03T10:00:00Z');
    const published = await publishSchedule(ctx.db, tenantId, null, draft.id, at, new Date('2026-12-05T10:00:00Z'));
    expect(published).toMatchObject({ status: 'published', revision: 2 });
    await expect(editDraftDay(ctx.db, tenantId, null, { ...edit, expectedRevision: 2 })).rejects.toBeInstanceOf(ScheduleConflictError);
    // The database itself refuses to change a published version's activities.
    await expect(
      withTenant(ctx.db, tenantId, (tx) =>
        tx
          .update(scheduleActivities)
          .set({ endsAt: new Date('2026-12-07T23:00:00Z') })
          .where(and(eq(scheduleActivities.tenantId, tenantId), eq(scheduleActivities.scheduleId, draft.id))),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringContaining('cannot change') } });
    await expect(withTenant(ctx.db, tenantId, (tx) => tx.delete(scheduleActivities).where(eq(scheduleActivities.scheduleId, draft.id)))).rejects.toMatchObject({
      cause: { message: expect.stringContaining('cannot change') },
    });

    // A second version supersedes the first; only the newest published one is read.
    const second = await saveDraftSchedule(ctx.db, tenantId, { ...draftInput, workflowId: 'second', activities: shiftOf(alex!.id, '2026-12-07', 14) });
    expect(await rejectSchedule(ctx.db, tenantId, null, draft.id, 'no')).toBeNull();
    await publishSchedule(ctx.db, tenantId, null, second.id, at, at);
    expect((await getSchedule(ctx.db, tenantId, draft.id))!.schedule.status).toBe('superseded');
    const week = { from: new Date('2026-12-07T00:00:00Z'), to: new Date('2026-12-14T00:00:00Z') };
    const live = await listPublishedActivities(ctx.db, tenantId, week);
    expect(live.map((a) => [a.agentId, a.startsAt.toISOString()])).toEqual([
      [alex!.id, '2026-12-07T14:00:00.000Z'],
      [alex!.id, '2026-12-07T18:00:00.000Z'],
      [alex!.id, '2026-12-07T19:00:00.000Z'],
    ]);

    expect(await acknowledgeSchedule(ctx.db, tenantId, second.id, alex!.id, at)).toBe(true);
    expect(await acknowledgeSchedule(ctx.db, tenantId, draft.id, alex!.id, at)).toBe(false);
    expect(await listAcknowledgements(ctx.db, tenantId, second.id)).toEqual([{ agentId: alex!.id, at }]);

    // Another tenant sees none of it.
    const other = await seed('sched-drafts-other');
    expect(await getSchedule(ctx.db, other.tenantId, second.id)).toBeNull();
    expect(await listPublishedActivities(ctx.db, other.tenantId, week)).toEqual([]);
    const count = await withTenant(ctx.db, other.tenantId, (tx) => tx.execute(sql`select count(*)::int as n from schedule_activities`));
    expect((count.rows[0] as { n: number }).n).toBe(0);
  });

  it('tracks time off against the year’s allowance and swaps through their statuses into a new published version', async () => {
    const { tenantId, directory, group } = await seed('sched-time-off');
    const [alex, blair] = directory.agents;
    await setTimeOffAllowance(ctx.db, tenantId, null, { agentId: alex!.id, year: 2026, hours: 200 });
    const day = { startsAt: new Date('2026-12-08T00:00:00Z'), endsAt: new Date('2026-12-09T00:00:00Z') };
    const approved = await createTimeOff(ctx.db, tenantId, null, { agentId: alex!.id, ...day, paidHours: 8, status: 'approved', decisionNote: 'covered' });
    const pending = await createTimeOff(ctx.db, tenantId, null, { agentId: alex!.id, ...day, paidHours: 4, status: 'pending', decisionNote: 'short' });
    const year = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
    expect(await getTimeOffBalance(ctx.db, tenantId, alex!.id, 2026, year)).toEqual({ allowance: 200, approved: 8, pending: 4 });
    expect(await decideTimeOff(ctx.db, tenantId, null, { id: approved.id, status: 'refused' })).toBeNull();
    expect(await decideTimeOff(ctx.db, tenantId, null, { id: pending.id, status: 'refused', note: 'Christmas' })).toMatchObject({ status: 'refused' });
    // An agent cancels only their own.
    expect(await decideTimeOff(ctx.db, tenantId, null, { id: approved.id, status: 'cancelled', agentId: blair!.id })).toBeNull();
    const listed = await listTimeOff(ctx.db, tenantId, { ...{ from: day.startsAt, to: day.endsAt }, statuses: ['approved'] });
    expect(listed.map((r) => r.id)).toEqual([approved.id]);

    const draft = await saveDraftSchedule(ctx.db, tenantId, {
      groupId: group.id,
      weekStart: '2026-12-07',
      timezone: 'UTC',
      summary,
      staffingVersionId: null,
      workflowId: 'w',
      activities: [...shiftOf(alex!.id, '2026-12-07', 8), ...shiftOf(blair!.id, '2026-12-07', 12)],
    });
    await publishSchedule(ctx.db, tenantId, null, draft.id, new Date(), new Date());
    const seen = new Date('2026-12-03T09:00:00Z');
    for (const agent of [alex!, blair!]) await acknowledgeSchedule(ctx.db, tenantId, draft.id, agent.id, seen);
    const swap = await createSwap(ctx.db, tenantId, null, {
      weekStart: '2026-12-07',
      requesterId: alex!.id,
      requesterDate: '2026-12-07',
      colleagueId: blair!.id,
      colleagueDate: '2026-12-07',
    });
    expect(await applySwap(ctx.db, tenantId, null, { swapId: swap.id, scheduleId: draft.id, activities: [], summary, at: new Date() })).toBeNull();
    expect(await updateSwap(ctx.db, tenantId, null, { id: swap.id, from: ['requested'], to: 'accepted' })).toMatchObject({ status: 'accepted' });
    // The week as the planner carries it out: Alex's day as it was, Blair's moved to 13:00.
    const swapped = [...shiftOf(alex!.id, '2026-12-07', 8), ...shiftOf(blair!.id, '2026-12-07', 13)];
    const next = await applySwap(ctx.db, tenantId, null, {
      swapId: swap.id,
      scheduleId: draft.id,
      activities: swapped,
      summary: { ...summary, notes: ['swapped'] },
      at: new Date(),
    });
    // Only the agent whose week did not change keeps their acknowledgement; the new version has the new summary.
    expect(await listAcknowledgements(ctx.db, tenantId, next!)).toEqual(
      expect.arrayContaining([
        { agentId: alex!.id, at: seen },
        { agentId: blair!.id, at: null },
      ]),
    );
    expect((await getSchedule(ctx.db, tenantId, next!))!.schedule.summary.notes).toEqual(['swapped']);
    expect((await getSchedule(ctx.db, tenantId, next!))!.schedule.status).toBe('published');
    expect((await getSchedule(ctx.db, tenantId, draft.id))!.schedule.status).toBe('superseded');
    const live = await listPublishedActivities(ctx.db, tenantId, {
      from: new Date('2026-12-07T00:00:00Z'),
      to: new Date('2026-12-08T00:00:00Z'),
      agentIds: [blair!.id],
    });
    expect(live[0]!.startsAt.toISOString()).toBe('2026-12-07T13:00:00.000Z');
  });
});
