'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Outcome } from '../../components/outcome';
import { useTRPC } from '../../lib/trpc';

const jitRoles = ['analyst', 'planner', 'supervisor', 'admin'] as const;
type JitRole = (typeof jitRoles)[number];

/**
 * Single sign-on: the tenant's OpenID Connect provider, the e-mail domains it signs in, what a
 * first sign-in does, and whether passwords still work. The server checks the issuer (its
 * discovery document, through the outbound guard) before anything is saved.
 */
export function SingleSignOnPanel() {
  const trpc = useTRPC();
  const client = useQueryClient();
  const sso = useQuery(trpc.admin.sso.queryOptions());
  const [notice, setNotice] = useState<string | null>(null);
  const [provisioning, setProvisioning] = useState<'jit' | 'invite' | null>(null);
  const refresh = (message: string) => ({
    onSuccess: async () => {
      setNotice(message);
      await client.invalidateQueries({ queryKey: trpc.admin.sso.queryKey() });
    },
  });
  const save = useMutation(trpc.admin.saveSso.mutationOptions(refresh('Single sign-on saved: the identity provider answered.')));
  const remove = useMutation(trpc.admin.removeSso.mutationOptions(refresh('Single sign-on removed; passwords work again.')));
  const passwords = useMutation(trpc.admin.setPasswordSignIn.mutationOptions(refresh('Password sign-in changed.')));
  const error = sso.error ?? save.error ?? remove.error ?? passwords.error;
  const connection = sso.data?.connection ?? null;
  const mode = provisioning ?? connection?.provisioning ?? 'invite';

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    setNotice(null);
    save.mutate({
      issuer: text('issuer'),
      clientId: text('clientId'),
      ...(text('clientSecret') ? { clientSecret: text('clientSecret') } : {}),
      domains: text('domains')
        .split(/[\s,]+/)
        .filter((d) => d !== ''),
      provisioning: mode,
      jitRole: mode === 'jit' ? (text('jitRole') as JitRole) : null,
    });
  };

  return (
    <section className="panel" aria-labelledby="sso-heading">
      <h2 id="sso-heading">Single sign-on</h2>
      <p className="muted small">
        People sign in through your identity provider (OpenID Connect). Register this redirect URI with it:{' '}
        <code data-testid="sso-redirect-uri">{sso.data?.redirectUri ?? '…'}</code>
      </p>
      <Outcome error={error} notice={notice} />
      {sso.data && (
        <form className="stacked" aria-label="Single sign-on" onSubmit={submit} key={connection?.updatedAt ?? 'new'}>
          <label>
            Issuer
            <input name="issuer" type="url" required defaultValue={connection?.issuer ?? ''} placeholder="https://login.example.com/realms/acme" />
          </label>
          <label>
            Client id
            <input name="clientId" required defaultValue={connection?.clientId ?? ''} />
          </label>
          <label>
            Client secret
            <input
              name="clientSecret"
              type="password"
              autoComplete="off"
              required={!connection}
              placeholder={connection ? 'kept — type a new one to replace it' : ''}
            />
          </label>
          <label>
            E-mail domains (comma-separated)
            <input name="domains" required defaultValue={connection?.domains.join(', ') ?? ''} placeholder="example.com" />
          </label>
          <fieldset>
            <legend>Someone without an account signs in</legend>
            <label>
              <input type="radio" name="provisioning" checked={mode === 'invite'} onChange={() => setProvisioning('invite')} /> Refused: people are invited
              first
            </label>
            <label>
              <input type="radio" name="provisioning" checked={mode === 'jit'} onChange={() => setProvisioning('jit')} /> Added just in time, as
              <select name="jitRole" defaultValue={connection?.jitRole ?? 'analyst'} disabled={mode !== 'jit'} aria-label="Role of people added at sign-in">
                {jitRoles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
          <div className="button-row">
            <button type="submit" disabled={save.isPending}>
              {save.isPending ? 'Checking the provider…' : connection ? 'Save' : 'Set up single sign-on'}
            </button>
            {connection && (
              <button
                type="button"
                className="ghost danger"
                onClick={() => {
                  if (window.confirm('Remove single sign-on? Password sign-in comes back on.')) remove.mutate();
                }}
              >
                Remove
              </button>
            )}
          </div>
        </form>
      )}
      {sso.data && connection && (
        <p>
          <label>
            <input
              type="checkbox"
              checked={sso.data.passwordSignIn}
              disabled={passwords.isPending}
              onChange={(e) => passwords.mutate({ enabled: e.currentTarget.checked })}
            />{' '}
            Members may also sign in with a password
          </label>
        </p>
      )}
    </section>
  );
}
