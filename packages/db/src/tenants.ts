import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { tenants } from './schema.ts';

export type Tenant = typeof tenants.$inferSelect;

export async function createTenant(db: Db, input: { slug: string; name: string; timezone?: string }): Promise<Tenant> {
  const [tenant] = await db.insert(tenants).values(input).returning();
  if (!tenant) throw new Error(`tenant "${input.slug}" was not created`);
  return tenant;
}

export async function getTenantBySlug(db: Db, slug: string): Promise<Tenant | null> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, slug));
  return tenant ?? null;
}

/** Every tenant's id and time zone: provisioning-level, for jobs that run per tenant (schedules). */
export function listTenantTimezones(db: Db): Promise<{ id: string; timezone: string }[]> {
  return db.select({ id: tenants.id, timezone: tenants.timezone }).from(tenants);
}
