import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createDb } from './client.ts';
import { migrateDb } from './migrate.ts';
import { databaseUrl, describeEngines } from '../test/engines.ts';
import { createTenant, getTenantBySlug } from './tenants.ts';

describeEngines('migrateDb', (ctx) => {
  it('applies again without error or change', async () => {
    await migrateDb(ctx.handle);
    await migrateDb(ctx.handle);
    const tables = await ctx.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'accounts',
      'adherence_exceptions',
      'adherence_settings',
      'agent_skills',
      'agent_work_rules',
      'agents',
      'alert_incidents',
      'alert_rules',
      'alert_states',
      'api_keys',
      'audit_log',
      'bots',
      'calibration_answers',
      'calibration_items',
      'calibration_participants',
      'calibration_sessions',
      'coaching_assignments',
      'coaching_events',
      'coaching_rules',
      'desktop_embed_tokens',
      'detected_days',
      'evaluation_answers',
      'evaluation_cursors',
      'evaluation_disputes',
      'evaluation_plans',
      'evaluations',
      'forecast_overrides',
      'forecast_settings',
      'intents',
      'intraday_offer_acceptances',
      'intraday_proposals',
      'intraday_settings',
      'mail_outbox',
      'memberships',
      'planning_group_queues',
      'planning_groups',
      'quality_forms',
      'queues',
      'rate_limits',
      'schedule_acknowledgements',
      'schedule_activities',
      'schedule_settings',
      'schedules',
      'sessions',
      'shift_swaps',
      'shift_templates',
      'skills',
      'special_days',
      'sso_connections',
      'sso_domains',
      'staffing_settings',
      'supervisor_teams',
      'teams',
      'tenants',
      'time_off_allowances',
      'time_off_requests',
      'two_factors',
      'users',
      'verifications',
      'webhook_deliveries',
      'webhook_subscriptions',
      'work_contracts',
    ]);
  });

  it('refuses a database migrated by a newer version, and applies nothing', async () => {
    const future = sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', 4102444800000)`;
    await ctx.db.execute(future);
    try {
      await expect(migrateDb(ctx.handle)).rejects.toThrow('Postgres was migrated by a newer version of Switchboard (1 migration newer than this one knows)');
    } finally {
      await ctx.db.execute(sql`delete from drizzle.__drizzle_migrations where hash = 'from-a-newer-version'`);
    }
    await migrateDb(ctx.handle);
  });
});

it('keeps an on-disk PGlite database across reopen and re-migration', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-db-'));
  try {
    const first = await createDb({ dataDir });
    expect(first.kind).toBe('pglite');
    await migrateDb(first);
    await createTenant(first.db, { slug: 'on-disk', name: 'On disk' });
    await first.close();

    const again = await createDb({ dataDir });
    await migrateDb(again);
    expect((await getTenantBySlug(again.db, 'on-disk'))?.name).toBe('On disk');
    await again.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it.skipIf(!databaseUrl)('lets processes that start together migrate a fresh PostgreSQL database', async () => {
  const admin = await createDb({ databaseUrl });
  const name = `switchboard_migrate_${process.pid}_${Date.now()}`;
  await admin.db.execute(sql`create database ${sql.identifier(name)}`);
  try {
    const url = new URL(databaseUrl ?? '');
    url.pathname = `/${name}`;
    const handles = await Promise.all([1, 2, 3].map(() => createDb({ databaseUrl: url.toString() })));
    try {
      await Promise.all(handles.map((h) => migrateDb(h)));
      const [one] = handles;
      const applied = await one?.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applied?.rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  } finally {
    await admin.db.execute(sql`drop database ${sql.identifier(name)}`);
    await admin.close();
  }
});
