import { createTransport } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { claimMail, markMailDelivered, recordMailFailure, type Db, type OutboxMail } from '@switchboard/db';
import type { HostEnv } from './env.ts';

/**
 * Delivers the mail outbox (invitations, password resets) through the SMTP server of
 * SWITCHBOARD_SMTP_URL. Every host process may run one beside the others on a shared
 * Postgres: each mail is claimed before it is sent (claimMail). A failure is retried with
 * a growing wait; after MAX_ATTEMPTS the mail is left to the operator's `admin outbox`.
 * Nothing here logs a password, a recipient or a mail's content (its link is a password).
 */

const MAX_ATTEMPTS = 10;
const POLL_MS = 5_000;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 3_600_000;
/** How long a claim keeps other senders off a mail: well past the longest send the timeouts below allow. */
const CLAIM_MS = 10 * 60_000;
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
/** Room for the server's answer in last_error, not a transcript. */
const ERROR_CHARS = 500;

/** The wait after `failures` failed attempts: 30 s, doubling each time, at most an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), LONGEST_RETRY_MS);
}

/** Whether nodemailer reads `text` as an SMTP server: smtp:// or smtps:// and a host. */
export function isSmtpUrl(text: string): boolean {
  if (!/^smtps?:\/\//i.test(text)) return false;
  try {
    return Boolean(parseConnectionUrl(text).host);
  } catch {
    return false;
  }
}

/** One mailbox, `address@domain` or `Name <address@domain>`. */
export function isMailbox(text: string): boolean {
  const parsed = addressparser(text);
  return parsed.length === 1 && parsed[0]!.address?.includes('@') === true;
}

/** What nodemailer's errors carry (NodemailerError). */
type SmtpError = Error & { code?: string; responseCode?: number };

export interface MailSenderOptions {
  log?: (line: string) => void;
  /** How often to look for mail due; 0: only when deliverDue is called (tests drive it). */
  pollMs?: number;
  /** The clock of claims and retries (tests move it instead of waiting for a retry). */
  now?: () => Date;
}

export interface MailSender {
  /** Sends every mail due now, one claim at a time; resolves when none is left (a run already going is joined). */
  deliverDue(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts delivering when SWITCHBOARD_SMTP_URL is set; without it mail waits for the operator and this returns undefined. */
export function startMailSender(
  env: Pick<HostEnv, 'SWITCHBOARD_SMTP_URL' | 'SWITCHBOARD_MAIL_FROM'>,
  db: Db,
  options: MailSenderOptions = {},
): MailSender | undefined {
  if (!env.SWITCHBOARD_SMTP_URL) return undefined;
  const { log = console.log, pollMs = POLL_MS, now = () => new Date() } = options;
  const from = env.SWITCHBOARD_MAIL_FROM!;
  const server = parseConnectionUrl(env.SWITCHBOARD_SMTP_URL);
  // After the URL's options: nodemailer's logger would write the conversation, links and AUTH included.
  const transport = createTransport({ ...TIMEOUTS, ...server, logger: false, debug: false });
  const secret = server.auth?.pass;
  /** As last_error keeps it: nodemailer's code and the server's answer, the password masked. */
  const describe = (error: SmtpError): string => {
    const text = `${error.code ? `${error.code}: ` : ''}${error.message ?? String(error)}`;
    return (secret ? text.replaceAll(secret, '***') : text).slice(0, ERROR_CHARS);
  };
  /** As the log says it: codes only, since a server's answer may name the recipient. */
  const codes = (error: SmtpError): string => [error.code, error.responseCode].filter(Boolean).join(' ') || 'no code';

  async function deliver(mail: OutboxMail): Promise<void> {
    let failure: SmtpError | undefined;
    try {
      await transport.sendMail({ from, to: mail.recipient, subject: mail.subject, text: mail.body });
    } catch (error) {
      failure = error as SmtpError;
    }
    const at = now();
    if (failure === undefined) return markMailDelivered(db, mail.id, at);
    const retryAt = mail.attempts < MAX_ATTEMPTS ? new Date(at.getTime() + retryDelayMs(mail.attempts)) : null;
    await recordMailFailure(db, mail, { error: describe(failure), now: at, retryAt });
    log(
      retryAt
        ? `mail: ${mail.kind} ${mail.id} not delivered (${codes(failure)}; attempt ${mail.attempts} of ${MAX_ATTEMPTS}, next at ${retryAt.toISOString()})`
        : `mail: gave up on ${mail.kind} ${mail.id} after ${mail.attempts} attempts (${codes(failure)}); npm run -s admin -- outbox hands it to an operator`,
    );
  }

  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  async function drain(): Promise<void> {
    try {
      while (!stopped) {
        const mail = await claimMail(db, now(), CLAIM_MS);
        if (!mail) return;
        await deliver(mail);
      }
    } catch (error) {
      // The cause, not drizzle's wrapper, whose message lists the query's values.
      const { cause, message } = error as Error & { cause?: Error };
      log(`mail: could not work through the outbox (tried again shortly): ${cause?.message ?? message}`);
    }
  }
  const deliverDue = (): Promise<void> =>
    (running ??= drain().finally(() => {
      running = undefined;
    }));
  const tick = () =>
    void deliverDue().finally(() => {
      if (!stopped) timer = setTimeout(tick, pollMs).unref();
    });
  if (pollMs > 0) tick();
  log(`mail: delivering invitations and password resets by SMTP through ${server.host}${server.port ? `:${server.port}` : ''}`);

  return {
    deliverDue,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
