'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

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
        queryClient.clear();
        router.replace(nextPath());
        return;
      }
      if (res.status === 429) {
        // The account's lock-out says how long; the per-address limit says nothing.
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        setError(body?.message ?? 'Too many attempts. Wait a minute, then try again.');
      } else if (res.status === 401) setError('Wrong email or password.');
      else setError(`Sign-in failed (${res.status}). Try again.`);
    } catch {
      setError('The server cannot be reached. Is Switchboard running?');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Sign in to Switchboard</h1>
      <form onSubmit={submit} method="post" className="stacked" aria-label="Sign in">
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
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
