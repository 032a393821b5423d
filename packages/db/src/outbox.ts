import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from './client.ts';
import { accounts, mailOutbox, memberships } from './schema.ts';

/** Mail kept for an operator to deliver by hand when no mail server is configured (see schema: mailOutbox). */

export type OutboxMail = typeof mailOutbox.$inferSelect;

export async function queueMail(db: Db, mail: { tenantId: string | null; recipient: string; kind: string; subject: string; body: string }): Promise<void> {
  await db.insert(mailOutbox).values(mail);
}

/**
 * Mail not delivered yet, oldest first (one tenant's, or every tenant's), marked delivered
 * as it is read: an operator reads each message once.
 */
export async function takeOutbox(db: Db, tenantId?: string): Promise<OutboxMail[]> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(mailOutbox)
      .where(and(isNull(mailOutbox.deliveredAt), tenantId ? eq(mailOutbox.tenantId, tenantId) : undefined))
      .orderBy(asc(mailOutbox.createdAt))
      .for('update');
    if (rows.length > 0)
      await tx
        .update(mailOutbox)
        .set({ deliveredAt: new Date() })
        .where(
          inArray(
            mailOutbox.id,
            rows.map((r) => r.id),
          ),
        );
    return rows;
  });
}

/** Who a password mail is for: their tenant (if any) and whether they ever set a password (else it is an invitation). */
export async function getAccountStatus(db: Db, userId: string): Promise<{ tenantId: string | null; hasPassword: boolean }> {
  const [membership] = await db.select({ tenantId: memberships.tenantId }).from(memberships).where(eq(memberships.userId, userId));
  const [password] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.providerId, 'credential'), isNotNull(accounts.password)));
  return { tenantId: membership?.tenantId ?? null, hasPassword: password !== undefined };
}
