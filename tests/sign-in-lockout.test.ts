import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMember } from '@switchboard/api';
import { schema, seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * Failed sign-ins lock the account they name, whichever addresses they come from (the
 * per-address limit of 20 a minute is never reached here), until the lock lapses or the
 * password changes. The test host trusts 127.0.0.1 as a proxy, so X-Forwarded-For sets the
 * client address better-auth sees; the lock lasts LOCK_S.
 */

const LOCK_S = 3;
let t: TestHost;
let tenantId: string;
const password = `pw-${randomBytes(12).toString('hex')}`;

function signIn(email: string, secret: string, clientAddress: string) {
  return fetch(`${t.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.url, 'x-forwarded-for': clientAddress },
    body: JSON.stringify({ email, password: secret }),
  });
}

async function member(name: string): Promise<string> {
  const email = `${name}-${randomUUID().slice(0, 8)}@lockout.test`;
  await ensureMember(t.host.auth, t.host.db.db, { email, name, password, role: 'analyst', tenantId });
  return email;
}

async function failTenTimes(email: string) {
  for (let i = 0; i < 10; i++) {
    const res = await signIn(email, 'a wrong password, long enough', i % 2 === 0 ? '198.51.100.1' : '203.0.113.7');
    expect(res.status, `attempt ${i + 1}`).toBe(401);
  }
}

beforeAll(async () => {
  t = await startTestHost({ SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.1,::1', SWITCHBOARD_ACCOUNT_LOCK_S: String(LOCK_S) });
  tenantId = await seedTenant(t.host.db.db, { slug: `lockout-${randomUUID().slice(0, 8)}`, name: 'Lockout tenant', config: demoCenter });
});

afterAll(async () => {
  await t?.stop();
});

describe('per-account sign-in lock-out', () => {
  it('locks an account after 10 failures from two addresses, leaves another account alone, and lapses', async () => {
    const email = await member('locked');
    const other = await member('bystander');
    await failTenTimes(email);

    // The right password, from a third address, in other capitals: refused all the same.
    const refused = await signIn(email.toUpperCase(), password, '192.0.2.50');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(LOCK_S);
    expect(await refused.json()).toMatchObject({
      code: 'ACCOUNT_LOCKED',
      message: 'too many failed sign-ins for this account; try again in 1 minute or ask an administrator to reset your password',
    });
    expect((await signIn(other, password, '198.51.100.1')).status).toBe(200);

    // The lock-out is in the tenant's audit log, once.
    const { auditLog } = schema;
    const audit = await t.host.db.db
      .select({ objectType: auditLog.objectType })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, 'sign_in.locked')));
    expect(audit).toEqual([{ objectType: 'user' }]);
    // Every failure is in the trail too, under the account (the refusals while locked are not attempts).
    const [lockedUser] = await t.host.db.db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, email));
    const failures = await t.host.db.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.objectId, lockedUser!.id), eq(auditLog.action, 'sign_in.failed')));
    expect(failures).toHaveLength(10);

    await new Promise((done) => setTimeout(done, LOCK_S * 1000 + 200));
    expect((await signIn(email, password, '198.51.100.1')).status).toBe(200);
    const signIns = await t.host.db.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectId, lockedUser!.id), eq(auditLog.action, 'sign_in.password')));
    expect(signIns).toHaveLength(1);
  });

  it('starts counting afresh after a success', async () => {
    const email = await member('careless');
    for (let i = 0; i < 9; i++) expect((await signIn(email, 'a wrong password, long enough', '198.51.100.2')).status).toBe(401);
    expect((await signIn(email, password, '198.51.100.2')).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await signIn(email, 'a wrong password, long enough', '203.0.113.8')).status).toBe(401);
    expect((await signIn(email, password, '203.0.113.8')).status).toBe(200);
  });

  it('lets no more than 10 guesses through when they arrive at once', async () => {
    const email = await member('besieged');
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => signIn(email, 'a wrong password, long enough', `198.51.100.${10 + (i % 3)}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([...Array<number>(10).fill(401), ...Array<number>(5).fill(429)]);
  });

  it('ends the lock when an administrator sets a new password', async () => {
    const email = await member('forgetful');
    await failTenTimes(email);
    expect((await signIn(email, password, '192.0.2.51')).status).toBe(429);
    const fresh = `pw-${randomBytes(12).toString('hex')}`;
    await ensureMember(t.host.auth, t.host.db.db, { email, name: 'forgetful', password: fresh, role: 'analyst', tenantId });
    expect((await signIn(email, fresh, '192.0.2.51')).status).toBe(200);
  });

  it('locks a name with no account the same way, so the answer does not tell which accounts exist', async () => {
    const email = `nobody-${randomUUID().slice(0, 8)}@lockout.test`;
    await failTenTimes(email);
    const res = await signIn(email, password, '192.0.2.52');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });
});

describe('client address behind a trusted proxy', () => {
  it('keys the per-address limit on the forwarded address', async () => {
    const anyone = () => `guess-${randomUUID().slice(0, 8)}@lockout.test`;
    for (let i = 0; i < 20; i++) expect((await signIn(anyone(), password, '192.0.2.99')).status).toBe(401);
    const limited = await signIn(anyone(), password, '192.0.2.99');
    expect(limited.status).toBe(429);
    expect(await limited.json()).not.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect((await signIn(anyone(), password, '192.0.2.100')).status).toBe(401);
  });
});
