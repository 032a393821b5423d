import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMember } from '@switchboard/api';
import { createDb, migrateDb, queueMail, schema, seedTenant } from '@switchboard/db';
import { startMailSender, type MailSender } from '@switchboard/host';
import { demoCenter } from '@switchboard/simulator';
import { runAdmin } from './support/admin-cli.ts';
import { callApi, cookieOf, signIn } from './support/api-client.ts';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * Invitations delivered by SMTP (SWITCHBOARD_SMTP_URL) to an smtp-server on loopback: the
 * host's own sender delivers one made through the API, and the link in it works; a server
 * that refuses gets the mail again after 30 s, then 60 s (a test clock moves instead of
 * waiting); one that never accepts leaves the mail, after 10 attempts, to the operator's
 * `admin outbox`. Senders of several processes on one PostgreSQL send each mail once.
 */

const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
if (!databaseUrl && (process.env.CI === 'true' || process.env.CI === '1')) {
  throw new Error('CI is set but TEST_DATABASE_URL is not: scripts/test.sh starts PostgreSQL; run the suite through it.');
}

const SMTP_USER = 'mailer';
const SMTP_PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
const FROM = 'Switchboard <switchboard@center.test>';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A loopback SMTP server that wants our credentials and refuses recipients while `refusals` lasts (-1: always). */
async function startSmtp(): Promise<{ url: string; received: Received[]; rcptTries: string[]; refuse(times: number): void; close(): Promise<void> }> {
  const received: Received[] = [];
  const rcptTries: string[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error('invalid credentials'));
    },
    onRcptTo(address, _session, callback) {
      rcptTries.push(address.address);
      if (refusals === 0) return callback();
      if (refusals > 0) refusals -= 1;
      callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
    received,
    rcptTries,
    refuse(times) {
      refusals = times;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The text of a received message, quoted-printable soft breaks undone (a long link is wrapped). */
const decoded = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A tenant with a signed-in administrator, who invites people over the API as /admin does. */
async function adminOf(t: TestHost): Promise<{ slug: string; invite(email: string): Promise<void> }> {
  const slug = `mail-${randomUUID().slice(0, 8)}`;
  const tenantId = await seedTenant(t.host.db.db, { slug, name: 'Mail tenant', config: demoCenter });
  const email = `admin-${randomUUID().slice(0, 8)}@center.test`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  await ensureMember(t.host.auth, t.host.db.db, { email, name: 'Ada Admin', password, role: 'admin', tenantId });
  const cookie = cookieOf(await signIn(t.url, email, password));
  return {
    slug,
    async invite(invitee) {
      const invited = await callApi(t.url, cookie, 'admin.invite', { email: invitee, name: 'Pat Planner', role: 'planner' });
      expect(invited.status, invited.message).toBe(200);
    },
  };
}

const mailTo = async (t: TestHost, recipient: string) =>
  (await t.host.db.db.select().from(schema.mailOutbox).where(eq(schema.mailOutbox.recipient, recipient)))[0];

describe('the host delivers the outbox by SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestHost;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestHost({ SWITCHBOARD_SMTP_URL: smtp.url, SWITCHBOARD_MAIL_FROM: FROM });
  });
  afterAll(async () => {
    await t?.stop();
    await smtp?.close();
  });

  it('sends an invitation made through the API; its link lets the person choose a password and sign in', async () => {
    const admin = await adminOf(t);
    const email = `pat-${randomUUID().slice(0, 8)}@center.test`;
    await admin.invite(email);

    const message = await until('the invitation at the SMTP server', () => smtp.received.find((m) => m.to.includes(email)));
    expect(message.from).toBe('switchboard@center.test');
    const text = decoded(message.raw);
    expect(text).toContain('Subject: You are invited to Switchboard');
    const row = await until('the mail marked delivered', async () => {
      const mail = await mailTo(t, email);
      return mail?.deliveredAt ? mail : undefined;
    });
    expect(row).toMatchObject({ kind: 'invitation', attempts: 1, lastError: null, failedAt: null });
    const link = /https?:\/\/\S+/.exec(row.body)![0];
    expect(text).toContain(link);

    const redirect = await fetch(link, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const token = new URL(redirect.headers.get('location')!, t.url).searchParams.get('token');
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const set = await fetch(`${t.url}/api/auth/reset-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.url },
      body: JSON.stringify({ newPassword: password, token }),
    });
    expect(set.status).toBe(200);
    expect((await signIn(t.url, email, password)).status).toBe(200);

    // The operator is told where mail goes; nothing is theirs to deliver.
    const outbox = await runAdmin(t.dataDir, 'outbox', '--tenant', admin.slug);
    expect(outbox.stderr).toBe('');
    expect(outbox.stdout).toContain('mail is delivered by SMTP');
    expect(outbox.stdout).toContain('nothing is waiting for delivery');
    expect(outbox.stdout).toContain('no mail failed');
    expect(outbox.stdout).not.toContain(link);
  });
});

describe('retries with a growing wait, then gives the mail to the operator', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestHost;
  let admin: Awaited<ReturnType<typeof adminOf>>;
  let sender: MailSender;
  const lines: string[] = [];
  let clock = new Date('2030-01-07T09:00:00Z');
  const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

  beforeAll(async () => {
    smtp = await startSmtp();
    // No SMTP for the host itself: this suite's sender, on a clock it moves, is the only one.
    t = await startTestHost();
    admin = await adminOf(t);
    sender = startMailSender({ SWITCHBOARD_SMTP_URL: smtp.url, SWITCHBOARD_MAIL_FROM: FROM }, t.host.db.db, {
      pollMs: 0,
      now: () => clock,
      log: (line) => lines.push(line),
    })!;
  });
  let hostStopped = false;
  afterAll(async () => {
    await sender?.stop();
    if (t && !hostStopped) await t.host.stop();
    if (t) rmSync(t.dataDir, { recursive: true, force: true });
    await smtp?.close();
  });

  it('a refusing server gets the mail again after 30 s, then 60 s, and takes it the third time', async () => {
    const email = `sam-${randomUUID().slice(0, 8)}@center.test`;
    await admin.invite(email);
    smtp.refuse(2);

    await sender.deliverDue();
    let row = (await mailTo(t, email))!;
    expect(row).toMatchObject({ attempts: 1, deliveredAt: null, failedAt: null });
    expect(row.lastError).toContain('451 mailbox busy');
    expect(row.nextAttemptAt).toEqual(new Date(clock.getTime() + 30_000));

    // Not due yet: nothing is sent.
    advance(29_000);
    await sender.deliverDue();
    expect(smtp.rcptTries.filter((a) => a === email)).toHaveLength(1);

    advance(1_000);
    await sender.deliverDue();
    row = (await mailTo(t, email))!;
    expect(row).toMatchObject({ attempts: 2, deliveredAt: null });
    expect(row.nextAttemptAt).toEqual(new Date(clock.getTime() + 60_000));

    advance(60_000);
    await sender.deliverDue();
    row = (await mailTo(t, email))!;
    expect(row).toMatchObject({ attempts: 3, deliveredAt: clock, failedAt: null });
    expect(smtp.received.filter((m) => m.to.includes(email))).toHaveLength(1);
    expect(decoded(smtp.received.find((m) => m.to.includes(email))!.raw)).toContain(/https?:\/\/\S+/.exec(row.body)![0]);
  });

  it('a server that never accepts: 10 attempts (30 s doubling, at most an hour apart), then failed and listed by admin outbox', async () => {
    const email = `lee-${randomUUID().slice(0, 8)}@center.test`;
    await admin.invite(email);
    smtp.refuse(-1);

    const waits: (number | null)[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      await sender.deliverDue();
      const row = (await mailTo(t, email))!;
      expect(row.attempts).toBe(attempt);
      waits.push(row.nextAttemptAt && row.nextAttemptAt.getTime() - clock.getTime());
      advance(3_600_000);
    }
    expect(waits).toEqual([...[30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map((s) => s * 1000), null]);
    const row = (await mailTo(t, email))!;
    expect(row).toMatchObject({ attempts: 10, deliveredAt: null });
    expect(row.failedAt).toEqual(new Date(clock.getTime() - 3_600_000));
    expect(row.lastError).toContain('451 mailbox busy');

    // Given up: no further attempt.
    await sender.deliverDue();
    expect(smtp.rcptTries.filter((a) => a === email)).toHaveLength(10);
    expect(lines.some((l) => l.includes('gave up on invitation'))).toBe(true);
    // The log names mail by id: no password, no address, no link.
    for (const line of lines) for (const secret of [SMTP_PASSWORD, email, 'token']) expect(line).not.toContain(secret);

    // With no host running the CLI opens the store itself, in the hosts' environment (SMTP on).
    await sender.stop();
    await t.host.stop();
    hostStopped = true;
    Object.assign(process.env, { SWITCHBOARD_SMTP_URL: smtp.url, SWITCHBOARD_MAIL_FROM: FROM });
    try {
      const outbox = await runAdmin(t.dataDir, 'outbox', '--tenant', admin.slug);
      expect(outbox.stderr).toBe('');
      expect(outbox.stdout).toContain('mail is delivered by SMTP');
      expect(outbox.stdout).toContain('1 failed (SMTP gave up): deliver these by hand');
      expect(outbox.stdout).toContain(`To: ${email}`);
      expect(outbox.stdout).toContain('Failed: after 10 attempts: EENVELOPE');
      expect(outbox.stdout).toContain(/https?:\/\/\S+/.exec(row.body)![0]);
      expect((await runAdmin(t.dataDir, 'outbox', '--tenant', admin.slug)).stdout).toContain('no mail failed');
    } finally {
      delete process.env.SWITCHBOARD_SMTP_URL;
      delete process.env.SWITCHBOARD_MAIL_FROM;
    }
  });
});

describe.skipIf(!databaseUrl)('senders of two processes on one PostgreSQL', () => {
  it('deliver each mail once: a mail claimed by one is skipped by the other', async () => {
    const smtp = await startSmtp();
    // A database of its own: a sender would deliver other suites' mail in the shared one.
    const admin = await createDb({ databaseUrl });
    const name = `switchboard_mail_${process.pid}_${Date.now()}`;
    await admin.db.execute(sql`create database ${sql.identifier(name)}`);
    const url = new URL(databaseUrl!);
    url.pathname = `/${name}`;
    const handles = [await createDb({ databaseUrl: url.toString() }), await createDb({ databaseUrl: url.toString() })];
    const senders: MailSender[] = [];
    try {
      await migrateDb(handles[0]!);
      const recipients = Array.from({ length: 20 }, (_, i) => `person-${i}@center.test`);
      for (const recipient of recipients)
        await queueMail(handles[0]!.db, { tenantId: null, recipient, kind: 'invitation', subject: 'You are invited to Switchboard', body: 'a link' });
      for (const handle of handles)
        senders.push(startMailSender({ SWITCHBOARD_SMTP_URL: smtp.url, SWITCHBOARD_MAIL_FROM: FROM }, handle.db, { pollMs: 0, log: () => undefined })!);

      await Promise.all(senders.map((s) => s.deliverDue()));
      expect(smtp.received.flatMap((m) => m.to).sort()).toEqual([...recipients].sort());
      const rows = await handles[1]!.db.select().from(schema.mailOutbox);
      expect(rows.every((r) => r.deliveredAt !== null && r.attempts === 1)).toBe(true);
    } finally {
      await Promise.all(senders.map((s) => s.stop()));
      await Promise.all(handles.map((h) => h.close()));
      await admin.db.execute(sql`drop database ${sql.identifier(name)}`);
      await admin.close();
      await smtp.close();
    }
  });
});
