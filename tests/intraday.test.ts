import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServices, evaluateTenantAlerts } from '@switchboard/api';
import { addLocalDays, localDateOf, localDayStart, localWeekStart } from '@switchboard/calendar';
import type { TelemetryEvent } from '@switchboard/contracts';
import {
  createWebhookSubscription,
  decideAdherenceException,
  deleteAlertRule,
  fileAdherenceException,
  getDirectory,
  listAudit,
  listIntradayProposals,
  listPlanningGroups,
  listPublishedActivities,
  listStaffingSettings,
  listWebhookDeliveries,
  publishSchedule,
  saveAlertRule,
  saveDraftSchedule,
  saveShiftTemplate,
  seedSchedulingDefaults,
  type ActivityInput,
  type Directory,
} from '@switchboard/db';
import { getStaffingWaterfall, reforecastRestOfDay } from '@switchboard/planning';
import { demoCenter } from '@switchboard/simulator';
import { getIntradayDay, getScheduledActivities, publishForecastVersion, toChDateTimeText, writeForecastSeries } from '@switchboard/telemetry';
import { createMathPool, createPlanningWorker, PLANNING_TASK_QUEUE, syncScheduleSnapshots, type MathPool } from '@switchboard/workflows';
import { postAll } from './support/events.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { seedTenantWithMembers } from './support/members.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * The intraday loop on the Temporal dev server, with chDB and PGlite behind it, and the planner's and agents' side
 * through the real router. A day two days back (events must be in the past), measured as of 11:00: a forecast of
 * 8 contacts per quarter hour 08:00–17:00 and 1 until 18:00 that actuals run 50% above; eight agents on 08:00–17:00
 * all lunching 12:00–13:00 (one never logs in, one excused 10:00–10:30), five more on 13:00–17:00. Every
 * staffing figure below is counted by hand; the requirement comes from the staffing math the planner uses.
 */

const tz = demoCenter.timezone;
const DAY = addLocalDays(localDateOf(Date.now(), tz), -2);
const dayStart = localDayStart(DAY, tz).getTime();
const MIN = 60_000;
const t = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(dayStart + (h * 60 + m) * MIN);
};
/** The slot of the day (15 minutes) starting at hh:mm. */
const slot = (hhmm: string) => Math.round((t(hhmm).getTime() - dayStart) / (15 * MIN));

const voiceAgents = demoCenter.agents.filter((a) => a.skills.some((s) => s.skill_id === 'general_banking'));
const fullShift = voiceAgents.slice(0, 8);
const lateShift = voiceAgents.slice(8, 13);
const [a1, a2, a3, a4] = fullShift as [(typeof fullShift)[number], (typeof fullShift)[number], (typeof fullShift)[number], (typeof fullShift)[number]];
const noShow = fullShift[7]!;
const excused = fullShift[1]!;
const queue = demoCenter.queues.find((q) => q.id === 'general-voice')!;

let clock = t('11:00');
let env: TestWorkflowEnvironment;
let host: TestHost;
let math: MathPool;
let worker: Worker;
let running: Promise<void>;
let tenantId: string;
let directory: Directory;
let voiceGroupId: string;
const taskQueue = `${PLANNING_TASK_QUEUE}-${randomUUID().slice(0, 8)}`;
type Caller = Awaited<ReturnType<typeof seedTenantWithMembers>>['callers'][number];
let planner: Caller;
let supervisor: Caller;
let agents: Caller[];

function stateEvent(agentKey: string, hhmm: string, state: string): TelemetryEvent {
  const at = t(hhmm).toISOString();
  return {
    event_id: randomUUID(),
    type: 'agent.state_changed',
    schema_version: 1,
    occurred_at: at,
    sent_at: at,
    source: 'desktop',
    agent_id: agentKey,
    state,
  } as TelemetryEvent;
}

async function insertActuals(from: string, to: string, offered: number) {
  const rows = [];
  for (let s = slot(from); s < slot(to); s++)
    rows.push({
      tenant_id: tenantId,
      interval_start: toChDateTimeText(new Date(dayStart + s * 15 * MIN)),
      queue_id: queue.id,
      channel: 'voice',
      offered,
      handled: offered,
      talk_ms_sum: offered * 300_000,
    });
  await host.host.telemetry.client.insert({ table: 'queue_interval_15m', values: rows, format: 'JSONEachRow' });
}

const runIntraday = (name: string, at: Date) =>
  env.client.workflow.execute('intradayWorkflow', { taskQueue, workflowId: `intraday:${tenantId}:${name}`, args: [{ tenantId, at: at.toISOString() }] });

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  host = await startTestHost();
  math = createMathPool({ threads: 1 });
  const seeded = await seedTenantWithMembers(
    host,
    demoCenter,
    [{ role: 'planner' }, { role: 'supervisor', teamKeys: [a1.team_id] }, ...[a1, a2, a3, a4].map((a) => ({ role: 'agent' as const, agentKey: a.id }))],
    () => clock,
  );
  tenantId = seeded.tenantId;
  [planner, supervisor, ...agents] = seeded.callers as [Caller, Caller, ...Caller[]];
  const db = host.host.db.db;
  directory = (await getDirectory(db, tenantId))!;
  await seedSchedulingDefaults(db, tenantId, clock);
  voiceGroupId = (await listPlanningGroups(db, tenantId)).find((g) => g.key === 'voice')!.id;
  worker = await createPlanningWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    deps: { telemetry: host.host.telemetry.client, db, math, now: () => clock },
    taskQueue,
  });
  running = worker.run();

  // A shift whose break may start 09:00–11:00 and lunch 11:00–14:00.
  const template = (await saveShiftTemplate(db, tenantId, null, {
    name: 'Intraday test day',
    lengthMin: 540,
    startStepMin: 15,
    earliestStartMin: 480,
    latestStartMin: 480,
    weekdays: [0, 1, 2, 3, 4, 5, 6],
    cost: null,
    breaks: [
      { kind: 'break', lengthMin: 15, earliestOffsetMin: 60, latestOffsetMin: 180, paid: true },
      { kind: 'lunch', lengthMin: 60, earliestOffsetMin: 180, latestOffsetMin: 360, paid: false },
    ],
    active: true,
  }))!;
  const idOf = (key: string) => directory.agents.find((a) => a.key === key)!.id;
  const activity = (key: string, kind: ActivityInput['kind'], from: string, to: string, templateId: string | null = template.id): ActivityInput => ({
    agentId: idOf(key),
    kind,
    startsAt: t(from),
    endsAt: t(to),
    shiftDate: DAY,
    templateId,
  });
  const clockOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const activities = [
    ...fullShift.flatMap((a, i) => {
      const breakAt = clockOf(540 + 15 * i);
      return [
        activity(a.id, 'work', '08:00', breakAt),
        activity(a.id, 'break', breakAt, clockOf(555 + 15 * i)),
        activity(a.id, 'work', clockOf(555 + 15 * i), '12:00'),
        activity(a.id, 'lunch', '12:00', '13:00'),
        activity(a.id, 'work', '13:00', '17:00'),
      ];
    }),
    ...lateShift.map((a) => activity(a.id, 'work', '13:00', '17:00', null)),
  ];
  const draft = await saveDraftSchedule(db, tenantId, {
    groupId: voiceGroupId,
    weekStart: localWeekStart(DAY, 1),
    timezone: tz,
    staffingVersionId: null,
    workflowId: randomUUID(),
    summary: { figures: { lpBound: 0, penalty: 0 }, required: [], scheduled: [], dayStarts: [], notes: [] },
    activities,
  });
  await publishSchedule(db, tenantId, null, draft.id, t('06:00'), t('06:00'));
  await syncScheduleSnapshots({ db, telemetry: host.host.telemetry.client }, tenantId);

  // The morning's forecast, made the evening before.
  const versionId = randomUUID();
  const intervals = [];
  for (let s = slot('08:00'); s < slot('18:00'); s++) {
    const volume = s < slot('17:00') ? 8 : 1;
    intervals.push({
      queue_id: queue.id,
      channel: 'voice',
      interval_start: new Date(dayStart + s * 15 * MIN).toISOString(),
      volume,
      volume_lo80: volume,
      volume_hi80: volume,
      volume_statistical: volume,
      aht_s: 300,
      overridden: 0 as const,
    });
  }
  await writeForecastSeries(host.host.telemetry.client, {
    tenantId,
    versionId,
    queueId: queue.id,
    intervals,
    methods: [{ queue_id: queue.id, measure: 'volume', method: 'test', backtest_wape: null, candidates: '[]', blends: '[]' }],
  });
  await publishForecastVersion(host.host.telemetry.client, {
    tenantId,
    versionId,
    createdAt: new Date(dayStart - 3_600_000),
    trainUntil: new Date(dayStart),
    startDate: DAY,
    horizonDays: 1,
    trigger: 'manual',
    workflowId: 'intraday-test',
    series: 1,
  });
  await insertActuals('08:00', '11:00', 12);
  // Everyone but the no-show logged in before 08:00; the late shift is not due yet.
  await postAll(
    host.url,
    seeded.apiKey,
    fullShift.filter((a) => a !== noShow).map((a) => stateEvent(a.id, '07:55', 'available')),
  );
  const exception = await fileAdherenceException(db, tenantId, null, {
    agentId: idOf(excused.id),
    startsAt: t('10:00'),
    endsAt: t('10:30'),
    reason: 'coaching_overrun',
    note: null,
  });
  await decideAdherenceException(db, tenantId, null, { id: exception.id, approve: true });
}, 300_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await math?.close();
  await env?.teardown();
  await host?.stop();
});

/** The agents the voice group's queues require for `calls` in a quarter hour, as the staffing math gives them. */
async function requiredFor(calls: number): Promise<number> {
  if (calls === 0) return 0;
  const setting = (await listStaffingSettings(host.host.db.db, tenantId)).find((s) => s.queueId === directory.queues.find((q) => q.key === queue.id)!.id);
  const waterfall = getStaffingWaterfall({
    interval_s: 900,
    sl_threshold_s: queue.sl_threshold_s,
    target: { kind: 'service_level', service_level: queue.sl_target },
    max_occupancy: setting?.maxOccupancy ?? 1,
    shrinkage: setting?.shrinkage ?? 0,
    concurrency: 1,
    ...(setting?.patienceS ? { patience_s: setting.patienceS } : {}),
    calls,
    aht_s: 300,
  });
  return Math.ceil(waterfall.required_fte - 1e-9);
}

describe('the intraday loop', () => {
  it('reforecasts the rest of the day, measures the staffing gap and proposes break moves and offers', async () => {
    const result = (await runIntraday('first', t('11:00'))) as { date: string; forecastVersionId: string; proposals: number; groups: { groupId: string }[] };
    expect(result.date).toBe(DAY);
    expect(result.forecastVersionId).toBeTruthy();
    expect(result.groups.map((g) => g.groupId)).toContain(voiceGroupId);

    const day = (await getIntradayDay(host.host.telemetry.client, { tenantId, date: DAY }))!;
    const general = day.queues.filter((q) => q.queue_id === queue.id);
    expect(general).toHaveLength(96);
    // 08:00–11:00 actual 12 where 8 were forecast: the rest is scaled by (144 + 29.2) / (96 + 29.2), p·D = 0.1 × 292.
    const forecast = general.map((q) => q.forecast);
    const expected = reforecastRestOfDay(
      forecast,
      general.slice(0, slot('11:00')).map((q) => q.actual ?? 0),
    );
    expect(expected[slot('14:00')]).toBeCloseTo((8 * 173.2) / 125.2, 9);
    general.forEach((q, i) => expect(q.reforecast).toBeCloseTo(expected[i]!, 9));
    expect(general[slot('10:45')]!.actual).toBe(12);
    expect(general[slot('11:00')]!.actual).toBeNull();

    const voice = day.groups.filter((g) => g.group_id === 'voice');
    const at = (hhmm: string) => voice[slot(hhmm)]!;
    // 10:00: agent 5's break (09:00 + 4 × 15 min), the excused agent out; nobody absent yet (that starts at the run's slot).
    expect(at('10:00')).toMatchObject({ scheduled: 7, excepted: 1, absent: 0, net: 6 });
    // 11:00: all eight scheduled, the no-show absent from here on.
    expect(at('11:00')).toMatchObject({ scheduled: 8, excepted: 0, absent: 1, net: 7 });
    expect(at('12:00')).toMatchObject({ scheduled: 0, absent: 0, net: 0 });
    expect(at('13:00')).toMatchObject({ scheduled: 13, absent: 1, net: 12 });
    expect(at('17:00')).toMatchObject({ scheduled: 0, net: 0 });
    const peak = await requiredFor(expected[slot('14:00')]!);
    expect(at('14:00').required).toBe(peak);
    expect(at('14:00').gap).toBe(12 - peak);
    expect(at('17:15').required).toBe(await requiredFor(expected[slot('17:15')]!));
    expect(at('12:00').gap).toBe(-peak);

    const proposals = await listIntradayProposals(host.host.db.db, tenantId, { date: DAY, groupId: voiceGroupId });
    expect(proposals.every((p) => p.status === 'proposed')).toBe(true);
    const moves = proposals.find((p) => p.kind === 'break_moves')!;
    expect(moves).toBeDefined();
    const detail = moves.detail as { moves: { kind: string; from: string; to: string }[]; shortfallBefore: number; shortfallAfter: number };
    expect(detail.shortfallAfter).toBeLessThan(detail.shortfallBefore);
    for (const m of detail.moves) {
      // Lunches only (the breaks are past), from 12:00 to a start in their window no earlier than 11:30 (30 minutes' lead).
      expect(m.kind).toBe('lunch');
      expect(m.from).toBe(t('12:00').toISOString());
      expect(Date.parse(m.to)).toBeGreaterThanOrEqual(t('11:30').getTime());
      expect(Date.parse(m.to)).toBeLessThanOrEqual(t('14:00').getTime());
    }
    // Overtime for the lunch hour's shortfall the moves leave, and for 17:00–18:00, when nobody is scheduled.
    const overtime = proposals.find((p) => p.kind === 'overtime' && p.startsAt.getTime() === t('17:00').getTime())!;
    expect(overtime.endsAt).toEqual(t('18:00'));
    expect(overtime.agents).toBe(await requiredFor(expected[slot('17:00')]!));
    // Over by more than the threshold (2) in the afternoon: time off.
    expect(proposals.some((p) => p.kind === 'vto' && p.endsAt.getTime() === t('17:00').getTime())).toBe(true);
  }, 240_000);

  it('scores each interval with the reforecast it had when it began, beside the morning forecast', async () => {
    await insertActuals('11:00', '12:00', 10);
    clock = t('12:00');
    try {
      const ledger = await planner.planning.accuracy({ queueKey: queue.id });
      const intraday = ledger.byVersion.find((v) => v.key === 'intraday')!;
      const reforecast = (8 * 173.2) / 125.2;
      expect(intraday).toMatchObject({ intervals: 4, actual: 40 });
      expect(intraday.wape).toBeCloseTo((4 * (reforecast - 10)) / 40, 9);
      const view = await planner.intraday.day({ date: DAY, groupId: voiceGroupId });
      // The day view's elapsed part: 08:00–11:00 as the run saw it (36 contacts forecast, 144 actual).
      expect(view.accuracy.forecastWape).toBeCloseTo((12 * 4) / 144, 9);
      expect(view.accuracy.reforecastWape).toBeCloseTo((4 * (reforecast - 10)) / 40, 9);
    } finally {
      clock = t('11:00');
    }
  });

  it('fires the staffing-gap alert from the latest run, and the team alert for the agent who never came', async () => {
    const db = host.host.db.db;
    const services = createApiServices({
      db,
      telemetry: host.host.telemetry.client,
      now: () => clock,
      liveMaxAgeMs: 0,
      snapshotSchedules: (id) => syncScheduleSnapshots({ db, telemetry: host.host.telemetry.client }, id),
    });
    const common = { match: 'all', fireAfterS: 0, clearAfterS: 0, severity: 'warning', enabled: true } as const;
    const short = await saveAlertRule(db, tenantId, null, {
      ...common,
      name: 'short',
      queueId: directory.queues.find((q) => q.key === queue.id)!.id,
      teamId: null,
      conditions: [{ metric: 'agents_short', comparator: 'above', threshold: 2, clearThreshold: 1 }],
    });
    const out = await saveAlertRule(db, tenantId, null, {
      ...common,
      name: 'out',
      queueId: null,
      teamId: directory.teams.find((team) => team.key === noShow.team_id)!.id,
      conditions: [{ metric: 'agents_out_of_adherence', comparator: 'above', threshold: 0, clearThreshold: 0 }],
    });
    try {
      // 11:05: 7 agents for 9 required is 2 short, not above 2; the no-show is out of adherence past the grace.
      clock = t('11:05');
      const first = await evaluateTenantAlerts(services, tenantId);
      expect(first.fired.map((i) => [i.ruleId, i.subject])).toEqual([[out!.id, `team:${noShow.team_id}`]]);
      expect(first.fired[0]!.values).toEqual({ agents_out_of_adherence: 1 });
      // 12:00: everyone at lunch, nobody covering the 9 required.
      clock = t('12:00');
      const second = await evaluateTenantAlerts(services, tenantId);
      expect(second.fired.map((i) => [i.ruleId, i.subject, i.values])).toEqual([[short!.id, `queue:${queue.id}`, { agents_short: 9 }]]);
    } finally {
      clock = t('11:00');
      await deleteAlertRule(db, tenantId, null, short!.id);
      await deleteAlertRule(db, tenantId, null, out!.id);
    }
  });

  it('shows the day to planners and supervisors, lets only planners decide, and republishes accepted break moves', async () => {
    const view = await supervisor.intraday.day({ date: DAY, groupId: voiceGroupId });
    expect(view.canDecide).toBe(false);
    expect(view.intervals).toHaveLength(96);
    // A supervisor reads the names of their own teams' agents only.
    const teamNames = new Set(demoCenter.agents.filter((a) => a.team_id === a1.team_id).map((a) => a.display_name));
    const named = view.proposals.flatMap((p) => [...p.eligible, ...p.moves.map((m) => m.agentName)]);
    expect(named).toContain('an agent of another team');
    expect(named.filter((n) => n !== 'an agent of another team').every((n) => teamNames.has(n))).toBe(true);
    expect(named.some((n) => teamNames.has(n))).toBe(true);
    const moves = view.proposals.find((p) => p.kind === 'break_moves')!;
    await expect(supervisor.intraday.decide({ id: moves.id, approve: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(agents[0]!.intraday.day({ date: DAY })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // No workflow engine behind the router here: "Run now" says how to get one.
    await expect(planner.intraday.run()).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });

    const decided = await planner.intraday.decide({ id: moves.id, approve: true });
    expect(decided.status).toBe('applied');
    await expect(planner.intraday.decide({ id: moves.id, approve: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const db = host.host.db.db;
    const lunches = (await listPublishedActivities(db, tenantId, { from: t('11:00'), to: t('15:00') })).filter((a) => a.kind === 'lunch');
    expect(lunches).toHaveLength(8);
    const moved = moves.moves.length;
    expect(lunches.filter((l) => l.startsAt.getTime() !== t('12:00').getTime())).toHaveLength(moved);
    for (const l of lunches) expect(l.endsAt.getTime() - l.startsAt.getTime()).toBe(60 * MIN);
    // The ClickHouse snapshot (what adherence reads) follows the new version.
    const snapshot = await getScheduledActivities(host.host.telemetry.client, { tenantId, from: t('11:00'), to: t('15:00') });
    expect(snapshot.filter((a) => a.kind === 'lunch' && Date.parse(a.start) !== t('12:00').getTime())).toHaveLength(moved);
    expect((await listAudit(db, tenantId, { from: t('00:00'), to: new Date(Date.now() + 3_600_000), limit: 100 })).map((a) => a.action)).toEqual(
      expect.arrayContaining(['intraday_proposal.accept', 'republish']),
    );

    // The next run sees the lunches spread: fewer short at 12:00, and the older proposals superseded.
    clock = t('11:15');
    await runIntraday('second', t('11:15'));
    const after = (await getIntradayDay(host.host.telemetry.client, { tenantId, date: DAY }))!.groups.filter((g) => g.group_id === 'voice');
    expect(after[slot('12:00')]!.net).toBeGreaterThan(0);
    const proposals = await listIntradayProposals(db, tenantId, { date: DAY, groupId: voiceGroupId });
    expect(proposals.filter((p) => p.status === 'superseded').length).toBeGreaterThan(0);
    expect(proposals.find((p) => p.id === moves.id)!.status).toBe('applied');
  }, 240_000);

  it('opens an offer to the eligible agents, who take it first come, each taking republishing their week', async () => {
    const db = host.host.db.db;
    // Recorded for delivery (no engine runs here to send them): one event per agent who took a place.
    const subscriptionId = await createWebhookSubscription(db, tenantId, null, {
      name: 'offers',
      url: 'https://hooks.intraday.test/in',
      kinds: ['offer.accepted'],
      secretSealed: 'x',
    });
    const view = await planner.intraday.day({ date: DAY, groupId: voiceGroupId });
    const overtime = view.proposals.find((p) => p.kind === 'overtime' && p.status === 'proposed' && p.start === t('17:00').toISOString())!;
    expect(overtime.eligible).toEqual(expect.arrayContaining([a1, a2, a3, a4].map((a) => a.display_name)));
    // Before a planner accepts it, nobody is offered anything.
    expect(await agents[0]!.intraday.offers()).toEqual([]);
    expect((await planner.intraday.decide({ id: overtime.id, approve: true })).status).toBe('open');
    const offered = await agents[0]!.intraday.offers();
    expect(offered).toEqual([expect.objectContaining({ id: overtime.id, kind: 'overtime', status: 'open', taken: 0, mine: false })]);

    // All but the last place, one after another; then two agents race for the last one.
    const places = overtime.agents;
    expect(places).toBeLessThanOrEqual(agents.length - 1);
    for (let i = 0; i < places - 1; i++) expect(await agents[i]!.intraday.acceptOffer({ id: overtime.id })).toMatchObject({ outcome: 'accepted' });
    expect(await agents[0]!.intraday.acceptOffer({ id: overtime.id })).toEqual({ outcome: places > 1 ? 'already' : 'accepted' });
    const racers = agents.slice(Math.max(1, places - 1), Math.max(1, places - 1) + 2);
    const race = await Promise.all(racers.map((a) => a.intraday.acceptOffer({ id: overtime.id })));
    expect(race.map((r) => r.outcome).sort()).toEqual(['accepted', 'taken']);
    const last = agents.at(-1)!;
    if (!racers.includes(last)) expect(await last.intraday.acceptOffer({ id: overtime.id })).toEqual({ outcome: 'closed' });

    const proposals = await listIntradayProposals(db, tenantId, { date: DAY, groupId: voiceGroupId });
    expect(proposals.find((p) => p.id === overtime.id)).toMatchObject({ status: 'filled', taken: places });
    // The winners work on to 18:00: their afternoon's work runs on in one piece.
    const evening = (await listPublishedActivities(db, tenantId, { from: t('17:00'), to: t('18:00') })).filter((a) => a.kind === 'work');
    expect(evening).toHaveLength(places);
    for (const a of evening) {
      expect(a.endsAt).toEqual(t('18:00'));
      expect(a.startsAt.getTime()).toBeLessThan(t('17:00').getTime());
    }

    // Time off offered for the afternoon's surplus: taken, the agent's work in it becomes time off.
    const vto = view.proposals.find((p) => p.kind === 'vto' && p.status === 'proposed')!;
    expect((await planner.intraday.decide({ id: vto.id, approve: true })).status).toBe('open');
    const index = [a1, a2, a3, a4].findIndex((a) => vto.eligible.includes(a.display_name));
    expect(await agents[index]!.intraday.acceptOffer({ id: vto.id })).toMatchObject({ outcome: 'accepted' });
    const agentId = directory.agents.find((a) => a.key === [a1, a2, a3, a4][index]!.id)!.id;
    const during = await listPublishedActivities(db, tenantId, { from: new Date(vto.start), to: new Date(vto.end), agentIds: [agentId] });
    expect(during.map((a) => [a.kind, a.startsAt.toISOString(), a.endsAt.toISOString()])).toEqual([['time_off', vto.start, vto.end]]);
    const deliveries = await listWebhookDeliveries(db, tenantId, subscriptionId, { limit: 50 });
    expect(deliveries.map((d) => d.kind)).toEqual(new Array(places + 1).fill('offer.accepted'));
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(places + 1);
  }, 120_000);
});
