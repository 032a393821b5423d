import { and, asc, eq, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';
import { accounts, mailOutbox, memberships } from './schema.ts';

/** Mail delivered by the host's SMTP sender, or kept for an operator to deliver by hand (see schema: mailOutbox). */

export type OutboxMail = typeof mailOutbox.$inferSelect;

export async function queueMail(db: Db, mail: { tenantId: string | null; recipient: string; kind: string; subject: string; body: string }): Promise<void> {
  await db.insert(mailOutbox).values(mail);
}

/**
 * Mail not delivered yet, oldest first (one tenant's, or every tenant's), marked delivered
 * as it is read: an operator reads each message once.
 */
export async function takeOutbox(db: Db, tenantId?: string): Promise<OutboxMail[]> {
  return take(db, isNull(mailOutbox.deliveredAt), tenantId);
}

/** As takeOutbox, the mail the SMTP sender gave up on only: the rest is the sender's to deliver. */
export async function takeFailedMail(db: Db, tenantId?: string): Promise<OutboxMail[]> {
  return take(db, and(isNull(mailOutbox.deliveredAt), isNotNull(mailOutbox.failedAt)), tenantId);
}

async function take(db: Db, which: SQL | undefined, tenantId: string | undefined): Promise<OutboxMail[]> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(mailOutbox)
      .where(and(which, tenantId ? eq(mailOutbox.tenantId, tenantId) : undefined))
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

/** Mail the SMTP sender still has to deliver, oldest first, without its content: what the operator's outbox reports. */
export async function listPendingMail(
  db: Db,
  tenantId?: string,
): Promise<Pick<OutboxMail, 'recipient' | 'kind' | 'subject' | 'createdAt' | 'attempts' | 'lastError' | 'nextAttemptAt'>[]> {
  return db
    .select({
      recipient: mailOutbox.recipient,
      kind: mailOutbox.kind,
      subject: mailOutbox.subject,
      createdAt: mailOutbox.createdAt,
      attempts: mailOutbox.attempts,
      lastError: mailOutbox.lastError,
      nextAttemptAt: mailOutbox.nextAttemptAt,
    })
    .from(mailOutbox)
    .where(and(isNull(mailOutbox.deliveredAt), isNull(mailOutbox.failedAt), tenantId ? eq(mailOutbox.tenantId, tenantId) : undefined))
    .orderBy(asc(mailOutbox.createdAt));
}

/**
 * Claims the oldest mail due at `now` for one SMTP attempt: counts the attempt and holds the
 * mail `claimMs` from the other senders (SKIP LOCKED: processes sharing the database never
 * wait for each other's claim). A sender that dies mid-send leaves it due again after that.
 */
export async function claimMail(db: Db, now: Date, claimMs: number): Promise<OutboxMail | undefined> {
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(isNull(mailOutbox.deliveredAt), isNull(mailOutbox.failedAt), or(isNull(mailOutbox.nextAttemptAt), lte(mailOutbox.nextAttemptAt, now))))
    .orderBy(asc(mailOutbox.createdAt))
    .limit(1)
    .for('update', { skipLocked: true });
  const [claimed] = await db
    .update(mailOutbox)
    .set({ attempts: sql`${mailOutbox.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + claimMs) })
    .where(inArray(mailOutbox.id, due))
    .returning();
  return claimed;
}

/** The SMTP server took the mail. */
export async function markMailDelivered(db: Db, id: string, now: Date): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ deliveredAt: now })
    .where(and(eq(mailOutbox.id, id), isNull(mailOutbox.deliveredAt)));
}

/**
 * Records a failed attempt: due again at `retryAt`, or given up on (null) for the operator.
 * Only the claim that made the attempt writes it: a later claim of the same mail changed `attempts`.
 */
export async function recordMailFailure(
  db: Db,
  mail: { id: string; attempts: number },
  failure: { error: string; now: Date; retryAt: Date | null },
): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ lastError: failure.error, nextAttemptAt: failure.retryAt, failedAt: failure.retryAt ? null : failure.now })
    .where(and(eq(mailOutbox.id, mail.id), eq(mailOutbox.attempts, mail.attempts), isNull(mailOutbox.deliveredAt)));
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
