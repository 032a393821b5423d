'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ssoErrorMessage } from '@switchboard/contracts';

/** Only same-site paths are followed after sign-in. */
function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function SignIn() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const [secondFactor, setSecondFactor] = useState<'totp' | 'backup' | null>(null);

  const enter = () => {
    queryClient.clear();
    router.replace(nextPath());
  };

  const verify = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get('code') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(secondFactor === 'backup' ? '/api/auth/two-factor/verify-backup-code' : '/api/auth/two-factor/verify-totp', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      if (res.ok) {
        enter();
        return;
      }
      const body = (await res.json().catch(() => null)) as { message?: string } | null;
      setError(res.status === 401 ? 'That code is not right. Try the code your app shows now.' : (body?.message ?? `Sign-in failed (${res.status}).`));
    } catch {
      setError('The server cannot be reached. Is Switchboard running?');
    }
    setBusy(false);
  };

  // Back from the identity provider with a refusal: say why.
  useEffect(() => {
    const code = new URLSearchParams(window.location.search).get('sso_error');
    if (code) setError(ssoErrorMessage(code) ?? 'Single sign-on failed. Try again.');
  }, []);

  const singleSignOn = async () => {
    const email = emailRef.current;
    if (!email?.value || !email.checkValidity()) {
      setError('Enter your work e-mail address first: its domain finds your organisation’s sign-in.');
      email?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/sso/start', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: email.value, callbackURL: nextPath() }),
      });
      const body = (await res.json().catch(() => null)) as { url?: string; message?: string } | null;
      if (res.ok && body?.url) {
        window.location.assign(body.url);
        return;
      }
      setError(body?.message ?? `Single sign-on failed (${res.status}). Try again.`);
    } catch {
      setError('The server cannot be reached. Is Switchboard running?');
    }
    setBusy(false);
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
      });
      if (res.ok) {
        const body = (await res.json().catch(() => null)) as { twoFactorRedirect?: boolean } | null;
        // The password was right; an authenticator code (or a backup code) completes the sign-in.
        if (body?.twoFactorRedirect) setSecondFactor('totp');
        else enter();
        return;
      }
      if (res.status === 429) {
        // The account's lock-out says how long; the per-address limit says nothing.
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        setError(body?.message ?? 'Too many attempts. Wait a minute, then try again.');
      } else if (res.status === 401) setError('Wrong email or password.');
      else if (res.status === 403) {
        // The organisation signs in through its identity provider only.
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        setError(body?.message ? `${body.message[0]!.toUpperCase()}${body.message.slice(1)}.` : 'Sign-in refused.');
      } else setError(`Sign-in failed (${res.status}). Try again.`);
    } catch {
      setError('The server cannot be reached. Is Switchboard running?');
    } finally {
      setBusy(false);
    }
  };

  if (secondFactor) {
    return (
      <main className="sign-in">
        <h1>Sign in to Switchboard</h1>
        <form onSubmit={verify} className="stacked" aria-label="Second factor" key={secondFactor}>
          <label>
            {secondFactor === 'totp' ? 'Code from your authenticator app' : 'One of your backup codes'}
            <input name="code" autoComplete="one-time-code" inputMode={secondFactor === 'totp' ? 'numeric' : 'text'} required autoFocus />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Checking…' : 'Continue'}
          </button>
          <button type="button" className="ghost" onClick={() => setSecondFactor(secondFactor === 'totp' ? 'backup' : 'totp')}>
            {secondFactor === 'totp' ? 'Use a backup code instead' : 'Use the authenticator app'}
          </button>
          {error && (
            <p className="error" role="alert" data-testid="sign-in-error">
              {error}
            </p>
          )}
        </form>
      </main>
    );
  }

  return (
    <main className="sign-in">
      <h1>Sign in to Switchboard</h1>
      <form onSubmit={submit} method="post" className="stacked" aria-label="Sign in">
        <label>
          Email
          <input ref={emailRef} name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <button type="button" className="ghost" disabled={busy} onClick={() => void singleSignOn()}>
          Continue with single sign-on
        </button>
        {error && (
          <p className="error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
      </form>
      <p className="muted">
        Demo users (one per role) are printed by <code>npm start</code> and kept in <code>.data/demo-users.json</code>.
      </p>
    </main>
  );
}
