import { getAccountStatus, queueMail, type Db } from '@switchboard/db';

/**
 * The mail with a one-time link to set a password: an invitation for someone who never had
 * one, a reset otherwise. It goes to the outbox (the operator delivers it when no mail
 * server is configured), never to the log: the link is as good as the password.
 */
export async function queuePasswordMail(db: Db, user: { id: string; name: string; email: string }, url: string): Promise<void> {
  const account = await getAccountStatus(db, user.id);
  const invitation = !account.hasPassword;
  await queueMail(db, {
    tenantId: account.tenantId,
    recipient: user.email,
    kind: invitation ? 'invitation' : 'password_reset',
    subject: invitation ? 'You are invited to Switchboard' : 'Reset your Switchboard password',
    body: [
      `Hello ${user.name},`,
      '',
      invitation
        ? 'You have been invited to Switchboard. Open this link within a day to choose your password:'
        : 'Someone (you, or an administrator) asked to reset your Switchboard password. Open this link within a day to choose a new one:',
      url,
      '',
      invitation ? '' : 'If you did not ask for this, you can ignore this mail: your password is unchanged.',
    ]
      .join('\n')
      .trimEnd(),
  });
}
