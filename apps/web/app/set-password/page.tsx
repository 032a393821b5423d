'use client';

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';

/**
 * Where an invitation or a password-reset link lands (better-auth checks the link and sends
 * the browser here with its token): choose a password, then sign in.
 */
export default function SetPassword() {
  const [state, setState] = useState<'form' | 'busy' | 'done'>('form');
  const [error, setError] = useState<string | null>(null);
  // Read after mounting: the page is prerendered without the link's query.
  const [link, setLink] = useState<{ token: string | null; error: string | null } | null>(null);
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    setLink({ token: params.get('token'), error: params.get('error') });
  }, []);
  const token = link?.token;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password') ?? '');
    if (password !== form.get('repeat')) {
      setError('The two passwords differ.');
      return;
    }
    setState('busy');
    setError(null);
    const res = await fetch('/api/auth/reset-password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ newPassword: password, token }),
    }).catch(() => null);
    if (res?.ok) {
      setState('done');
      return;
    }
    setState('form');
    const body = (await res?.json().catch(() => null)) as { message?: string } | null;
    setError(res ? (body?.message ?? `Could not set the password (${res.status}).`) : 'The server cannot be reached.');
  };

  if (!link) return <main className="sign-in muted">Loading…</main>;
  if (link.error || !token) {
    return (
      <main className="sign-in">
        <h1>This link cannot be used</h1>
        <p role="alert">It has expired or was used already. Ask your administrator for a new one.</p>
      </main>
    );
  }
  if (state === 'done') {
    return (
      <main className="sign-in">
        <h1>Your password is set</h1>
        <p>
          <Link href="/sign-in">Sign in</Link> with your e-mail address and the new password.
        </p>
      </main>
    );
  }
  return (
    <main className="sign-in">
      <h1>Choose your password</h1>
      <form onSubmit={(e) => void submit(e)} className="stacked" aria-label="Choose your password">
        <label>
          New password (at least 12 characters)
          <input name="password" type="password" autoComplete="new-password" minLength={12} required autoFocus />
        </label>
        <label>
          The same again
          <input name="repeat" type="password" autoComplete="new-password" minLength={12} required />
        </label>
        <button type="submit" disabled={state === 'busy'}>
          {state === 'busy' ? 'Saving…' : 'Set password'}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
