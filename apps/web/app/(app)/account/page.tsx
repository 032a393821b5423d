'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useState, type FormEvent } from 'react';

interface AuthSession {
  user: { email: string; name: string; twoFactorEnabled?: boolean | null };
}

/** better-auth's endpoints answer `{ message }` when they refuse; anything else is a status. */
async function authCall<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`/api/auth${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await res.json().catch(() => null)) as (T & { message?: string }) | null;
  if (!res.ok) throw new Error(answer?.message ?? `refused (${res.status})`);
  return answer as T;
}

/** The authenticator app's secret, for typing it in by hand when the QR code cannot be scanned. */
function secretOf(totpUri: string): string {
  return new URL(totpUri).searchParams.get('secret') ?? '';
}

/** The signed-in person's own account: two-factor sign-in with an authenticator app (optional). */
export default function AccountPage() {
  const client = useQueryClient();
  const session = useQuery({
    queryKey: ['auth-session'],
    queryFn: async () => (await (await fetch('/api/auth/get-session')).json()) as AuthSession | null,
  });
  const [setup, setSetup] = useState<{ totpURI: string; backupCodes: string[] } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const enabled = session.data?.user.twoFactorEnabled === true;

  const act = (work: (form: FormData) => Promise<void>) => async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await work(form);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const refresh = () => client.invalidateQueries({ queryKey: ['auth-session'] });

  return (
    <>
      <h1>Your account</h1>
      {session.data && (
        <p className="muted">
          {session.data.user.name} · {session.data.user.email}
        </p>
      )}
      <section className="panel" aria-labelledby="two-factor-heading">
        <h2 id="two-factor-heading">Two-factor sign-in</h2>
        <p className="muted small">
          After your password, a six-digit code from an authenticator app on your phone. Sign-ins through your organisation’s single sign-on follow its own
          rules instead.
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {codes && (
          <div className="notice" role="status" data-testid="backup-codes">
            <p>Two-factor sign-in is on. Keep these backup codes somewhere safe: each works once, when your phone is not at hand. They are shown this once.</p>
            <pre>{codes.join('\n')}</pre>
            <button type="button" className="ghost" onClick={() => setCodes(null)}>
              I have kept them
            </button>
          </div>
        )}
        {session.data && !enabled && !setup && (
          <form
            className="stacked"
            aria-label="Turn on two-factor sign-in"
            onSubmit={act(async (form) => setSetup(await authCall('/two-factor/enable', { password: form.get('password') })))}
          >
            <label>
              Your password
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
            <button type="submit" disabled={busy}>
              Turn on two-factor sign-in
            </button>
          </form>
        )}
        {setup && (
          <form
            className="stacked"
            aria-label="Confirm your authenticator"
            onSubmit={act(async (form) => {
              await authCall('/two-factor/verify-totp', { code: String(form.get('code') ?? '').trim() });
              setCodes(setup.backupCodes);
              setSetup(null);
              await refresh();
            })}
          >
            <p>Scan this with your authenticator app, or type the key in, then enter the code it shows.</p>
            <QRCodeSVG value={setup.totpURI} size={176} marginSize={2} title="Authenticator app QR code" />
            <code className="secret" data-testid="totp-secret">
              {secretOf(setup.totpURI)}
            </code>
            <label>
              Code from the app
              <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required />
            </label>
            <button type="submit" disabled={busy}>
              Confirm
            </button>
          </form>
        )}
        {enabled && (
          <form
            className="stacked"
            aria-label="Turn off two-factor sign-in"
            onSubmit={act(async (form) => {
              await authCall('/two-factor/disable', { password: form.get('password') });
              await refresh();
            })}
          >
            <p>Two-factor sign-in is on.</p>
            <label>
              Your password
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
            <button type="submit" className="ghost danger" disabled={busy}>
              Turn off two-factor sign-in
            </button>
          </form>
        )}
      </section>
    </>
  );
}
