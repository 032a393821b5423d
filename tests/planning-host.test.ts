import { spawn } from 'node:child_process';
import path from 'node:path';
import { addLocalDays, localDateOf, localWeekStart } from '@switchboard/calendar';
import { getCoachingAssignment, getTenantBySlug, listCoachingAssignments, listCoachingRules, listSchedules } from '@switchboard/db';
import { getIntradayDay, getScheduledActivities, listForecastVersions } from '@switchboard/telemetry';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCenter } from '@switchboard/simulator';
import type { ForecastWorkflowResult } from '@switchboard/workflows';
import { repoRoot, startTestHost } from './support/host.ts';
import { seedTenantWithMembers } from './support/members.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * The host with TEMPORAL_ADDRESS runs the planning worker in-process and the API starts
 * workflows on it; without it the API says what to do. (chDB allows one data directory per
 * process, so this file has its own.)
 */

const START_DATE = '2026-11-30';
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
}, 180_000);

afterAll(async () => {
  await env?.teardown();
});

describe('the host runs the planning worker in-process', () => {
  it('starts a forecast through the API and shows its versions', async () => {
    const t = await startTestHost({ TEMPORAL_ADDRESS: env.address, TEMPORAL_UI_URL: 'http://127.0.0.1:8233' });
    try {
      const { tenantId, callers } = await seedTenantWithMembers(t, demoCenter, [{ role: 'planner' }]);
      const planner = callers[0]!;
      const overview = await planner.planning.overview();
      expect(overview.engine).toEqual({ configured: true, uiUrl: 'http://127.0.0.1:8233', namespace: 'default' });
      expect(overview.versions).toEqual([]);

      const started = await planner.planning.runForecast({ startDate: START_DATE, horizonDays: 2 });
      expect(started.workflowId).toBe(`forecast:${tenantId}:${START_DATE}`);
      const result = (await env.client.workflow.getHandle(started.workflowId).result()) as ForecastWorkflowResult;
      const after = await planner.planning.overview();
      expect(after.versions.map((v) => v.version_id)).toEqual([result.versionId]);
      expect(after.staffingVersions.map((v) => v.version_id)).toEqual([result.staffingVersionId]);
    } finally {
      await t.stop();
    }
  });

  it("publishes the demo's first forecast, staffing plan and the schedules of this week and the next as npm start does, printing its progress", async () => {
    const t = await startTestHost({ TEMPORAL_ADDRESS: env.address, SWITCHBOARD_SEED_DEMO: '1' }, { demoCenter });
    try {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/demo-planning.ts'), '--url', t.url, '--data-dir', t.dataDir], {
          cwd: repoRoot,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d.toString()));
        child.stderr.on('data', (d: Buffer) => (text += d.toString()));
        child.on('exit', (exit) => resolve({ code: exit, output: text }));
      });
      expect({ code, output }).toMatchObject({ code: 0, output: expect.stringContaining('forecast and staffing plan published') });
      expect(output).toMatch(/demo planning: forecasting from \d{4}-\d{2}-\d{2} \(America\/New_York\)/);
      const tenant = (await getTenantBySlug(t.host.db.db, 'demo'))!;
      const versions = await listForecastVersions(t.host.telemetry.client, tenant.id, 10);
      expect(versions).toHaveLength(1);
      // From the start of this week in the demo center's zone: today is covered, and both weeks have a requirement.
      const thisWeek = localWeekStart(localDateOf(new Date(), demoCenter.timezone), 1);
      expect(versions[0]!.start_date).toBe(thisWeek);
      expect(output).toContain('schedules of this week and the next published');
      const published = (await listSchedules(t.host.db.db, tenant.id)).filter((s) => s.status === 'published');
      expect(published.map((s) => s.weekStart).sort()).toEqual([
        thisWeek,
        thisWeek,
        thisWeek,
        addLocalDays(thisWeek, 7),
        addLocalDays(thisWeek, 7),
        addLocalDays(thisWeek, 7),
      ]);
      // Each published week has its ClickHouse snapshot for adherence.
      const snapshot = await getScheduledActivities(t.host.telemetry.client, {
        tenantId: tenant.id,
        from: new Date(Date.now() - 8 * 86_400_000),
        to: new Date(Date.now() + 15 * 86_400_000),
      });
      expect(new Set(snapshot.map((a) => a.schedule_id))).toEqual(new Set(published.map((s) => s.id)));
      // Then one pass of the intraday loop: today measured for each of the demo's planning groups.
      expect(output).toContain('intraday loop started');
      const today = localDateOf(new Date(), demoCenter.timezone);
      await expect
        .poll(() => getIntradayDay(t.host.telemetry.client, { tenantId: tenant.id, date: today }), { timeout: 120_000, interval: 500 })
        .not.toBeNull();
      const day = (await getIntradayDay(t.host.telemetry.client, { tenantId: tenant.id, date: today }))!;
      expect(new Set(day.groups.map((g) => g.group_id))).toEqual(new Set(['voice', 'chat', 'email']));
      expect(day.forecastVersionId).toBe(versions[0]!.version_id);
      // Then coaching: the demo's rules are seeded, and the demo agent has a tip delivered, its loop timed in minutes.
      expect((await listCoachingRules(t.host.db.db, tenant.id)).map((r) => r.name)).toEqual(['Critical fail', 'Greeting']);
      expect(output).toContain(`demo coaching: a tip waits for ${demoCenter.agents[0]!.display_name} in /desktop`);
      const [assignment] = await listCoachingAssignments(t.host.db.db, tenant.id, {});
      expect(assignment).toMatchObject({ ruleName: 'Assigned by hand', target: { type: 'metric', metric: 'hold_rate' }, sessionMinutes: 15 });
      await expect.poll(async () => (await getCoachingAssignment(t.host.db.db, tenant.id, assignment!.id))?.deliveredAt, { timeout: 60_000 }).not.toBeNull();
      const history = await env.client.workflow.getHandle(`coaching:${tenant.id}:${assignment!.id}`).fetchHistory();
      const started = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!;
      expect(JSON.parse(Buffer.from(started).toString())).toEqual({
        tenantId: tenant.id,
        assignmentId: assignment!.id,
        remindAfterS: 120,
        escalateAfterS: 300,
        sessionLeadS: 300,
        measureForS: 1800,
      });
    } finally {
      await t.stop();
    }
  });

  it('tells a planner on a host without Temporal how to get workflows', async () => {
    const t = await startTestHost();
    try {
      const { callers } = await seedTenantWithMembers(t, demoCenter, [{ role: 'planner' }]);
      await expect(callers[0]!.planning.runForecast({ startDate: START_DATE })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        message: expect.stringContaining('TEMPORAL_ADDRESS'),
      });
      expect((await callers[0]!.planning.overview()).engine.configured).toBe(false);
      expect(await callers[0]!.planning.runs()).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
