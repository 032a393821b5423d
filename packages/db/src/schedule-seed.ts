import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { listPlanningGroups, savePlanningGroup, saveAgentWorkRules, saveShiftTemplate, saveWorkContract } from './schedules.ts';
import { setTimeOffAllowance } from './time-off.ts';
import { agents, queues } from './schema.ts';
import { withTenant } from './tenancy.ts';

/**
 * A starting point for scheduling a seeded center (the demo, the tests): one planning group per channel, a full
 * day and two part-time shift templates, full- and part-time contracts, and each agent's rules from the shift the
 * center configuration gives them (their weekdays as availability, their start as the preferred start) and a
 * yearly time-off allowance. Does
 * nothing when the tenant already has a planning group, so planners' changes stand.
 */
export async function seedSchedulingDefaults(db: Db, tenantId: string, now = new Date()): Promise<boolean> {
  const allowanceYears = [now.getUTCFullYear(), now.getUTCFullYear() + 1];
  if ((await listPlanningGroups(db, tenantId)).length > 0) return false;
  const { queueRows, agentRows } = await withTenant(db, tenantId, async (tx) => ({
    queueRows: await tx.select({ id: queues.id, channel: queues.channel }).from(queues).where(eq(queues.tenantId, tenantId)),
    agentRows: await tx.select({ id: agents.id, shift: agents.shift }).from(agents).where(eq(agents.tenantId, tenantId)),
  }));
  const channelNames: Record<string, string> = { voice: 'Voice', chat: 'Chat', email: 'Email', sms: 'SMS', social: 'Social' };
  for (const channel of [...new Set(queueRows.map((q) => q.channel))].sort()) {
    const queueIds = queueRows.filter((q) => q.channel === channel).map((q) => q.id);
    await savePlanningGroup(db, tenantId, null, { key: channel, name: channelNames[channel] ?? channel, queueIds });
  }
  const everyDay = [0, 1, 2, 3, 4, 5, 6];
  const shortBreak = { kind: 'break' as const, lengthMin: 15, earliestOffsetMin: 90, latestOffsetMin: 150, paid: true };
  const templates = [
    {
      name: 'Full day 8h30',
      lengthMin: 510,
      startStepMin: 30,
      earliestStartMin: 7 * 60,
      latestStartMin: 12 * 60 + 30,
      weekdays: everyDay,
      breaks: [
        shortBreak,
        { kind: 'lunch' as const, lengthMin: 30, earliestOffsetMin: 210, latestOffsetMin: 270, paid: false },
        { kind: 'break' as const, lengthMin: 15, earliestOffsetMin: 360, latestOffsetMin: 420, paid: true },
      ],
    },
    { name: 'Morning 4h', lengthMin: 240, startStepMin: 15, earliestStartMin: 9 * 60, latestStartMin: 10 * 60, weekdays: everyDay, breaks: [shortBreak] },
    {
      name: 'Evening 4h30',
      lengthMin: 270,
      startStepMin: 15,
      earliestStartMin: 16 * 60,
      latestStartMin: 16 * 60 + 45,
      weekdays: everyDay,
      breaks: [shortBreak],
    },
  ];
  for (const template of templates) await saveShiftTemplate(db, tenantId, null, { ...template, cost: null, active: true });
  const common = { minRestMin: 11 * 60, maxConsecutiveDays: 6, daysOffPerWeek: 2, fixedDaysOff: [] };
  const fullTime = await saveWorkContract(db, tenantId, null, { name: 'Full time', minHours: 32, maxHours: 40, ...common });
  const partTime = await saveWorkContract(db, tenantId, null, { name: 'Part time', minHours: 12, maxHours: 25, ...common });
  for (const agent of agentRows) {
    const full = agent.shift.length_minutes >= 8 * 60;
    await saveAgentWorkRules(db, tenantId, null, {
      agentId: agent.id,
      contractId: (full ? fullTime : partTime)!.id,
      timezone: null,
      availability: everyDay.map((weekday) => (agent.shift.weekdays.includes(weekday) ? { from: 0, to: 1440 } : null)),
      preferredStartFrom: agent.shift.start_minute,
      preferredStartTo: Math.min(1439, agent.shift.start_minute + 60),
      preferredDaysOff: [],
    });
    // Paid time off a year: five weeks of a full-timer's hours, pro rata for part-timers.
    for (const year of allowanceYears) await setTimeOffAllowance(db, tenantId, null, { agentId: agent.id, year, hours: full ? 200 : 100 });
  }
  return true;
}
