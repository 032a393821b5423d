import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { calibrationAnswers, calibrationItems, calibrationParticipants, calibrationSessions, users } from './schema.ts';
import { withTenant } from './tenancy.ts';

/**
 * Calibration: a quality lead picks interactions and participants (the lead among them); each participant answers
 * the form for every interaction on their own and hands the answers in; answers are final once handed in. Who may
 * see whose answers (only after the lead closes the session) is the API's rule.
 */

export type CalibrationSessionRow = typeof calibrationSessions.$inferSelect;

/** A change the session's state does not allow (closed, handed in already, not a participant). */
export class CalibrationStateError extends Error {}

export function createCalibrationSession(
  db: Db,
  tenantId: string,
  leadId: string,
  input: {
    name: string;
    formId: string;
    items: readonly { interactionId: string; agentKey: string; channel: string; interactionEndedAt: Date }[];
    participantIds: readonly string[];
  },
): Promise<CalibrationSessionRow> {
  return withTenant(db, tenantId, async (tx) => {
    const [session] = await tx.insert(calibrationSessions).values({ tenantId, name: input.name, formId: input.formId, leadId }).returning();
    await tx.insert(calibrationItems).values(input.items.map((item, position) => ({ tenantId, sessionId: session!.id, position, ...item })));
    const people = [...new Set([leadId, ...input.participantIds])];
    await tx.insert(calibrationParticipants).values(people.map((userId) => ({ tenantId, sessionId: session!.id, userId })));
    await audit(tx, tenantId, leadId, 'calibration.create', 'calibration_session', session!.id);
    return session!;
  });
}

/** Sessions latest first, with how many have handed in; only those `userId` takes part in unless null (every one). */
export function listCalibrationSessions(db: Db, tenantId: string, userId: string | null) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: calibrationSessions.id,
        name: calibrationSessions.name,
        status: calibrationSessions.status,
        leadId: calibrationSessions.leadId,
        createdAt: calibrationSessions.createdAt,
        items: sql<number>`(select count(*)::int from ${calibrationItems} i where i.tenant_id = ${calibrationSessions.tenantId} and i.session_id = ${calibrationSessions.id})`,
        participants: sql<number>`(select count(*)::int from ${calibrationParticipants} p where p.tenant_id = ${calibrationSessions.tenantId} and p.session_id = ${calibrationSessions.id})`,
        submitted: sql<number>`(select count(*)::int from ${calibrationParticipants} p where p.tenant_id = ${calibrationSessions.tenantId} and p.session_id = ${calibrationSessions.id} and p.submitted_at is not null)`,
      })
      .from(calibrationSessions)
      .where(
        and(
          eq(calibrationSessions.tenantId, tenantId),
          userId === null
            ? undefined
            : sql`exists (select 1 from ${calibrationParticipants} p where p.tenant_id = ${calibrationSessions.tenantId} and p.session_id = ${calibrationSessions.id} and p.user_id = ${userId})`,
        ),
      )
      .orderBy(desc(calibrationSessions.createdAt)),
  );
}

/** A session with its interactions, participants (with names) and every answer given so far. */
export async function getCalibrationSession(db: Db, tenantId: string, id: string) {
  const found = await withTenant(db, tenantId, async (tx) => {
    const [session] = await tx
      .select()
      .from(calibrationSessions)
      .where(and(eq(calibrationSessions.tenantId, tenantId), eq(calibrationSessions.id, id)));
    if (!session) return null;
    const scope = (table: typeof calibrationItems | typeof calibrationParticipants | typeof calibrationAnswers) =>
      and(eq(table.tenantId, tenantId), eq(table.sessionId, id));
    const items = await tx.select().from(calibrationItems).where(scope(calibrationItems)).orderBy(asc(calibrationItems.position));
    const people = await tx
      .select({ userId: calibrationParticipants.userId, submittedAt: calibrationParticipants.submittedAt })
      .from(calibrationParticipants)
      .where(scope(calibrationParticipants));
    const answers = await tx.select().from(calibrationAnswers).where(scope(calibrationAnswers));
    return { session, items, people, answers };
  });
  if (!found) return null;
  // Users are not a tenant's rows: their names are read as getMembership reads them.
  const names = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(
      inArray(
        users.id,
        found.people.map((p) => p.userId),
      ),
    );
  const participants = found.people
    .map((p) => ({ ...p, name: names.find((n) => n.id === p.userId)?.name ?? 'former user' }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { session: found.session, items: found.items, participants, answers: found.answers };
}

/**
 * A participant's answers (replacing earlier ones for the same questions) while the session is open and they have
 * not handed in; `submit` hands them in, after which they stand as given.
 */
export function saveCalibrationAnswers(
  db: Db,
  tenantId: string,
  userId: string,
  sessionId: string,
  answers: readonly { interactionId: string; questionId: string; answer: string }[],
  submit: boolean,
): Promise<void> {
  return withTenant(db, tenantId, async (tx) => {
    const [session] = await tx
      .select({ status: calibrationSessions.status })
      .from(calibrationSessions)
      .where(and(eq(calibrationSessions.tenantId, tenantId), eq(calibrationSessions.id, sessionId)))
      .for('share');
    if (!session) throw new CalibrationStateError('no such calibration session');
    if (session.status !== 'open') throw new CalibrationStateError('the session is closed');
    const [me] = await tx
      .select({ submittedAt: calibrationParticipants.submittedAt })
      .from(calibrationParticipants)
      .where(and(eq(calibrationParticipants.tenantId, tenantId), eq(calibrationParticipants.sessionId, sessionId), eq(calibrationParticipants.userId, userId)))
      .for('update');
    if (!me) throw new CalibrationStateError('you are not a participant of this session');
    if (me.submittedAt) throw new CalibrationStateError('you handed in your answers already');
    const items = await tx
      .select({ interactionId: calibrationItems.interactionId })
      .from(calibrationItems)
      .where(and(eq(calibrationItems.tenantId, tenantId), eq(calibrationItems.sessionId, sessionId)));
    const known = new Set(items.map((i) => i.interactionId));
    const stray = answers.find((a) => !known.has(a.interactionId));
    if (stray) throw new CalibrationStateError(`${stray.interactionId} is not an interaction of this session`);
    for (const a of answers) {
      await tx
        .insert(calibrationAnswers)
        .values({ tenantId, sessionId, userId, ...a })
        .onConflictDoUpdate({
          target: [
            calibrationAnswers.tenantId,
            calibrationAnswers.sessionId,
            calibrationAnswers.userId,
            calibrationAnswers.interactionId,
            calibrationAnswers.questionId,
          ],
          set: { answer: a.answer },
        });
    }
    if (submit) {
      await tx
        .update(calibrationParticipants)
        .set({ submittedAt: new Date() })
        .where(
          and(eq(calibrationParticipants.tenantId, tenantId), eq(calibrationParticipants.sessionId, sessionId), eq(calibrationParticipants.userId, userId)),
        );
      await audit(tx, tenantId, userId, 'calibration.submit', 'calibration_session', sessionId);
    }
  });
}

/** The lead closes the session: no more answers, and everyone's become visible. False when it was closed already. */
export function closeCalibrationSession(db: Db, tenantId: string, userId: string, id: string): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const closed = await tx
      .update(calibrationSessions)
      .set({ status: 'closed', closedAt: new Date() })
      .where(and(eq(calibrationSessions.tenantId, tenantId), eq(calibrationSessions.id, id), eq(calibrationSessions.status, 'open')))
      .returning({ id: calibrationSessions.id });
    if (closed.length > 0) await audit(tx, tenantId, userId, 'calibration.close', 'calibration_session', id);
    return closed.length > 0;
  });
}
