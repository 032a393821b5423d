import { describe, expect, it } from 'vitest';
import { loadHostEnv } from './env.ts';
import { isMailbox, isSmtpUrl, retryDelayMs } from './mail-sender.ts';

describe('retryDelayMs', () => {
  it('waits 30 s after the first failure, doubling each time, never more than an hour', () => {
    const minutes = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1) / 60_000);
    expect(minutes).toEqual([0.5, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]);
  });
});

describe('SMTP settings', () => {
  it('takes smtp:// and smtps:// URLs with a host, as nodemailer reads them', () => {
    expect(isSmtpUrl('smtp://user:p%40ss@mail.example.com:587')).toBe(true);
    expect(isSmtpUrl('smtps://mail.example.com')).toBe(true);
    expect(isSmtpUrl('smtp://')).toBe(false);
    expect(isSmtpUrl('https://mail.example.com')).toBe(false);
    expect(isSmtpUrl('mail.example.com:587')).toBe(false);
  });

  it('takes one sender address, with or without a name', () => {
    expect(isMailbox('switchboard@example.com')).toBe(true);
    expect(isMailbox('Switchboard <switchboard@example.com>')).toBe(true);
    expect(isMailbox('Switchboard')).toBe(false);
    expect(isMailbox('a@example.com, b@example.com')).toBe(false);
  });

  it('refuses to start with an SMTP URL and no sender, or a wrong URL, without repeating the password', () => {
    const password = 'hunter2-secret';
    const refusal = (env: NodeJS.ProcessEnv) => {
      try {
        loadHostEnv(env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('loadHostEnv took it');
    };
    const noSender = refusal({ SWITCHBOARD_SMTP_URL: `smtps://u:${password}@mail.example.com:465` });
    expect(noSender).toContain('with SWITCHBOARD_SMTP_URL set, also set SWITCHBOARD_MAIL_FROM');
    const wrongUrl = refusal({ SWITCHBOARD_SMTP_URL: `mail.example.com:${password}`, SWITCHBOARD_MAIL_FROM: 'Switchboard' });
    expect(wrongUrl).toContain('SWITCHBOARD_SMTP_URL: must be smtp://');
    expect(wrongUrl).toContain('SWITCHBOARD_MAIL_FROM: must be one address');
    for (const message of [noSender, wrongUrl]) expect(message).not.toContain(password);

    const env = loadHostEnv({ SWITCHBOARD_SMTP_URL: `smtps://u:${password}@mail.example.com:465`, SWITCHBOARD_MAIL_FROM: 'Switchboard <sb@example.com>' });
    expect(env.SWITCHBOARD_MAIL_FROM).toBe('Switchboard <sb@example.com>');
    expect(loadHostEnv({}).SWITCHBOARD_SMTP_URL).toBeUndefined();
  });
});
