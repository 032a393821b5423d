import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createApiKey, verifyApiKey } from './api-keys.ts';
import { getDirectory } from './directory.ts';
import { recordAudit } from './audit.ts';
import { seedTenant } from './center-config.ts';
import { enterTenant, withTenant } from './tenancy.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';

/**
 * Row-level security as the database enforces it, below the repository functions: a query
 * that forgets its tenant filter, or names another tenant's id, gets nothing and changes
 * nothing. Runs on PGlite (whose own session is a superuser, so this is the non-superuser
 * check) and on PostgreSQL as an ordinary user.
 */

// Postgres' SQLSTATE for both "permission denied" and "violates row-level security policy".
const INSUFFICIENT_PRIVILEGE = '42501';

// Sign-in's tables and the mail outbox (its links are as good as passwords): the application's role gets nothing.
const AUTH_TABLES = ['users', 'sessions', 'accounts', 'verifications', 'rate_limits', 'mail_outbox'];

describeEngines('row-level security', (ctx) => {
  const seedTwo = async () => {
    const a = ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug('rls-a'), name: 'A', config: buildCenterConfig() }));
    const b = ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug('rls-b'), name: 'B', config: buildCenterConfig() }));
    return { a, b };
  };

  const column = <T>(rows: Record<string, unknown>[], name: string) => rows.map((r) => r[name] as T);

  it('covers every table that has a tenant, and grants nothing on the auth tables', async () => {
    const { rows: tables } = await ctx.db.execute<{ table: string; rls: boolean; policies: number; readable: boolean }>(sql`
      select c.relname as "table", c.relrowsecurity as rls,
             (select count(*)::int from pg_policies p
               where p.schemaname = 'public' and p.tablename = c.relname and 'switchboard_app' = any(p.roles)) as policies,
             has_table_privilege('switchboard_app', c.oid, 'select') as readable
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'mail_outbox'
         and (c.relname = 'tenants'
              or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))
       order by 1`);
    expect(tables.length).toBeGreaterThanOrEqual(13);
    // A new tenant table without a policy shows up here by name.
    expect(tables.filter((t) => !t.rls || t.policies !== 1 || !t.readable).map((t) => t.table)).toEqual([]);

    const granted = [];
    for (const table of AUTH_TABLES) {
      const { rows } = await ctx.db.execute<{ granted: boolean }>(
        sql`select has_table_privilege('switchboard_app', ${table}, 'select, insert, update, delete') as granted`,
      );
      if (rows[0]?.granted !== false) granted.push(table);
    }
    expect(granted).toEqual([]);
  });

  it('runs tenant work as a role that is neither superuser nor exempt from row security', async () => {
    const { a } = await seedTwo();
    const inside = await withTenant(ctx.db, a, async (tx) => {
      const { rows } = await tx.execute<{ role: string; superuser: string; bypass: boolean; tenant: string }>(sql`
        select current_user as role, current_setting('is_superuser') as superuser,
               (select rolbypassrls from pg_roles where rolname = current_user) as bypass,
               current_setting('switchboard.tenant_id') as tenant`);
      return rows[0];
    });
    expect(inside).toEqual({ role: 'switchboard_app', superuser: 'off', bypass: false, tenant: a });

    // Transaction-local: the connection leaves the tenant with the transaction.
    const { rows: after } = await ctx.db.execute<{ role: string; tenant: string | null }>(
      sql`select current_user as role, nullif(current_setting('switchboard.tenant_id', true), '') as tenant`,
    );
    expect(after[0]?.role).not.toBe('switchboard_app');
    expect(after[0]?.tenant).toBeNull();
  });

  it('shows a tenant only its own rows, even to a query without a tenant filter', async () => {
    const { a, b } = await seedTwo();
    const unfiltered = (tenantId: string) =>
      withTenant(ctx.db, tenantId, async (tx) => ({
        tenants: column<string>((await tx.execute(sql`select id from tenants`)).rows, 'id'),
        agentTenants: new Set(column<string>((await tx.execute(sql`select tenant_id from agents`)).rows, 'tenant_id')),
        queueTenants: new Set(column<string>((await tx.execute(sql`select tenant_id from queues`)).rows, 'tenant_id')),
        othersByName: (await tx.execute(sql`select count(*)::int as n from agents where tenant_id = ${tenantId === a ? b : a}`)).rows[0],
      }));
    expect(await unfiltered(a)).toEqual({ tenants: [a], agentTenants: new Set([a]), queueTenants: new Set([a]), othersByName: { n: 0 } });
    expect(await unfiltered(b)).toEqual({ tenants: [b], agentTenants: new Set([b]), queueTenants: new Set([b]), othersByName: { n: 0 } });
  });

  it('sees nothing at all when no tenant is set', async () => {
    await seedTwo();
    const counts = await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`set local role switchboard_app`);
      const { rows } = await tx.execute<{ tenants: number; agents: number; keys: number }>(sql`
        select (select count(*)::int from tenants) as tenants, (select count(*)::int from agents) as agents,
               (select count(*)::int from api_keys) as keys`);
      return rows[0];
    });
    expect(counts).toEqual({ tenants: 0, agents: 0, keys: 0 });
  });

  it('refuses to write another tenant’s rows and leaves them as they were', async () => {
    const { a, b } = await seedTwo();
    const before = await getDirectory(ctx.db, b);

    const [teamOfB] = (await withTenant(ctx.db, b, (tx) => tx.execute<{ id: string }>(sql`select id from teams limit 1`))).rows;
    if (!teamOfB) throw new Error('tenant B has no team');
    await expect(
      withTenant(ctx.db, a, (tx) => tx.execute(sql`insert into teams (tenant_id, key, name) values (${b}, 'planted', 'Planted')`)),
    ).rejects.toMatchObject({ cause: { code: INSUFFICIENT_PRIVILEGE } });

    const changed = await withTenant(ctx.db, a, async (tx) => ({
      updated: (await tx.execute(sql`update teams set name = 'renamed' where id = ${teamOfB.id} returning id`)).rows.length,
      deleted: (await tx.execute(sql`delete from agents where tenant_id = ${b} returning id`)).rows.length,
    }));
    expect(changed).toEqual({ updated: 0, deleted: 0 });
    // Moving one's own row into another tenant fails the policy's WITH CHECK.
    await expect(withTenant(ctx.db, a, (tx) => tx.execute(sql`update teams set tenant_id = ${b} where tenant_id = ${a}`))).rejects.toMatchObject({
      cause: { code: INSUFFICIENT_PRIVILEGE },
    });

    expect(await getDirectory(ctx.db, b)).toEqual(before);
  });

  it('keeps password hashes and sessions out of reach, and the audit log append-only', async () => {
    const { a } = await seedTwo();
    for (const table of AUTH_TABLES) {
      await expect(withTenant(ctx.db, a, (tx) => tx.execute(sql`select count(*) from ${sql.identifier(table)}`))).rejects.toMatchObject({
        cause: { code: INSUFFICIENT_PRIVILEGE },
      });
    }
    const userId = ctx.slug('user');
    await ctx.db.execute(sql`insert into users (id, name, email) values (${userId}, 'Auditor', ${`${userId}@example.test`})`);
    await recordAudit(ctx.db, { tenantId: a, userId, action: 'read', objectType: 'transcript', objectId: 'i-1' });
    for (const change of [sql`update audit_log set action = 'nothing'`, sql`delete from audit_log`]) {
      await expect(withTenant(ctx.db, a, (tx) => tx.execute(change))).rejects.toMatchObject({ cause: { code: INSUFFICIENT_PRIVILEGE } });
    }
    const entries = await withTenant(ctx.db, a, (tx) => tx.execute<{ action: string }>(sql`select action from audit_log`));
    expect(entries.rows).toEqual([{ action: 'read' }]);
  });

  it('lets the lookups that find the tenant work before one is set', async () => {
    const { a } = await seedTwo();
    const key = await createApiKey(ctx.db, a, 'ingest');
    expect(await verifyApiKey(ctx.db, key.key)).toEqual({
      tenantId: a,
      keyId: key.id,
      scopes: ['ingest'],
      retention: { retentionDays: 400, transcriptRetentionDays: null, rejectionRetentionDays: 30 },
    });
    // Entering a tenant inside an outer transaction confines the rest of it.
    const seen = await ctx.db.transaction(async (tx) => {
      const before = (await tx.execute<{ n: number }>(sql`select count(*)::int as n from tenants where id = ${a}`)).rows[0];
      await enterTenant(tx, a);
      const after = (await tx.execute<{ n: number }>(sql`select count(*)::int as n from tenants`)).rows[0];
      return { before, after };
    });
    expect(seen).toEqual({ before: { n: 1 }, after: { n: 1 } });
  });
});
