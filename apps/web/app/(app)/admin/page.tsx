'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import type { AppRouter } from '@switchboard/api';
import { useState, type FormEvent } from 'react';
import { SortableTable } from '../../components/sortable-table';
import { describeError } from '../../lib/errors';
import { useSession, type Role } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { CenterConfigPanel } from './center-config';
import { CenterItemsPanel } from './center-items';
import { DesktopEmbedPanel } from './desktop-embed';
import { RetentionPanel } from './retention';
import { SingleSignOnPanel } from './single-sign-on';
import { WebhooksPanel } from './webhooks';

const roles: Role[] = ['admin', 'supervisor', 'planner', 'analyst', 'agent'];
const formatDateTime = (iso: string) => new Date(iso).toLocaleString();

/** Tenant administration: the people who use Switchboard and the API keys that send it events. */
export default function AdminPage() {
  return (
    <>
      <h1>Administration</h1>
      <p>
        <Link href="/admin/audit">Audit trail</Link> — who did what, and when.
      </p>
      <People />
      <ApiKeys />
      <SingleSignOnPanel />
      <WebhooksPanel />
      <DesktopEmbedPanel />
      <RetentionPanel />
      <CenterItemsPanel />
      <CenterConfigPanel />
    </>
  );
}

function ErrorLine({ error }: { error: { message: string; data?: unknown } | null }) {
  return error ? (
    <p className="error" role="alert">
      {describeError(error)}
    </p>
  ) : null;
}

type Admin = inferRouterOutputs<AppRouter>['admin'];
type KeyScope = inferRouterInputs<AppRouter>['admin']['createApiKey']['scopes'] extends (infer S)[] | undefined ? S : never;

/** What a key may do, as the API names it (`satisfies`: a scope the API no longer has fails the build). */
const keyScopes = [
  { scope: 'ingest', label: 'send events', meaning: 'POST /api/v1/events' },
  { scope: 'schedule:read', label: 'read schedules', meaning: 'GET /api/v1/schedule/activities' },
  { scope: 'desktop:embed', label: 'embed desktop panels', meaning: 'POST /api/v1/desktop/embed-tokens' },
] as const satisfies readonly { scope: KeyScope; label: string; meaning: string }[];
/** Rows as the API answers them, one definition (packages/db people.ts, services/admin.ts). */
type PersonRow = Admin['people'][number];

/** How the person signs in: the identity provider, a password, and whether an authenticator confirms it. */
function signInOf(p: PersonRow): string {
  const ways = [p.sso ? 'single sign-on' : null, p.password ? 'password' : null].filter((w) => w !== null).join(' or ');
  return ways === '' ? '—' : p.twoFactor ? `${ways} + authenticator` : ways;
}

function statusOf(p: PersonRow): string {
  if (p.deactivatedAt) return 'deactivated';
  return p.invited ? 'invited' : 'active';
}

function People() {
  const trpc = useTRPC();
  const client = useQueryClient();
  const me = useSession().data;
  const people = useQuery(trpc.admin.people.queryOptions());
  const [editing, setEditing] = useState<PersonRow | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: trpc.admin.people.queryKey() });
  const done = (message: string) => ({
    onSuccess: async () => {
      setNotice(message);
      await refresh();
    },
  });
  const deactivate = useMutation(trpc.admin.deactivate.mutationOptions(done('Deactivated: they are signed out and refused from now on.')));
  const activate = useMutation(trpc.admin.activate.mutationOptions(done('Activated again.')));
  const reset = useMutation(trpc.admin.resetPassword.mutationOptions(done('A password link is on its way (see the outbox if no mail server is set up).')));
  const failed = deactivate.error ?? activate.error ?? reset.error;

  const columns: ColumnDef<PersonRow, unknown>[] = [
    { header: 'Name', accessorKey: 'name' },
    { header: 'E-mail', accessorKey: 'email' },
    {
      header: 'Role',
      accessorKey: 'role',
      cell: ({ row }) => `${row.original.role}${row.original.qualityLead && row.original.role !== 'admin' ? ' · quality lead' : ''}`,
    },
    {
      header: 'Scope',
      id: 'scope',
      accessorFn: (p) => (p.agentKey ? `agent ${p.agentKey}` : p.teamKeys.join(', ')),
    },
    { header: 'Status', id: 'status', accessorFn: statusOf },
    { header: 'Sign-in', id: 'signIn', accessorFn: signInOf },
    { header: 'Last seen', accessorKey: 'lastSeenAt', cell: ({ row }) => (row.original.lastSeenAt ? formatDateTime(row.original.lastSeenAt) : '—') },
    {
      header: '',
      id: 'actions',
      enableSorting: false,
      cell: ({ row }) => {
        const p = row.original;
        return (
          <span className="actions">
            <button type="button" className="ghost" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
              Edit
            </button>
            <button type="button" className="ghost" onClick={() => reset.mutate({ userId: p.userId })} aria-label={`Send ${p.name} a password link`}>
              {p.invited ? 'Resend invitation' : 'Reset password'}
            </button>
            {p.userId !== me?.userId &&
              (p.deactivatedAt ? (
                <button type="button" className="ghost" onClick={() => activate.mutate({ userId: p.userId })} aria-label={`Activate ${p.name}`}>
                  Activate
                </button>
              ) : (
                <button
                  type="button"
                  className="ghost danger"
                  onClick={() => {
                    if (window.confirm(`Deactivate ${p.name}? They are signed out at once; their history stays.`)) deactivate.mutate({ userId: p.userId });
                  }}
                  aria-label={`Deactivate ${p.name}`}
                >
                  Deactivate
                </button>
              ))}
          </span>
        );
      },
    },
  ];

  return (
    <section className="panel" aria-labelledby="people-heading">
      <h2 id="people-heading">People</h2>
      <ErrorLine error={people.error ?? failed} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {people.data && <SortableTable data={people.data} columns={columns} rowKey={(p) => p.userId} testId="people" caption="People" />}
      {editing === null && (
        <button type="button" onClick={() => setEditing('new')}>
          Invite someone
        </button>
      )}
      {editing !== null && (
        <PersonForm
          person={editing === 'new' ? null : editing}
          onDone={async (message) => {
            setEditing(null);
            if (message) setNotice(message);
            await refresh();
          }}
        />
      )}
    </section>
  );
}

function PersonForm({ person, onDone }: { person: PersonRow | null; onDone: (message: string | null) => Promise<void> }) {
  const trpc = useTRPC();
  const directory = useQuery(trpc.admin.directory.queryOptions());
  const [role, setRole] = useState<Role>(person?.role ?? 'agent');
  const invite = useMutation(
    trpc.admin.invite.mutationOptions({
      onSuccess: () => onDone('Invited: the link to choose a password is on its way (in the outbox if no mail server is set up).'),
    }),
  );
  const update = useMutation(trpc.admin.updatePerson.mutationOptions({ onSuccess: () => onDone('Saved: it applies on their next request.') }));
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const scoping = {
      role,
      agentKey: role === 'agent' ? text('agentKey') : undefined,
      teamKeys: role === 'supervisor' ? form.getAll('teamKeys').map(String) : undefined,
      qualityLead: form.get('qualityLead') === 'on',
    };
    if (person) update.mutate({ userId: person.userId, ...scoping });
    else invite.mutate({ email: text('email'), name: text('name'), ...scoping });
  };
  return (
    <form className="stacked" aria-label={person ? `Edit ${person.name}` : 'Invite someone'} onSubmit={submit}>
      <h3>{person ? `Edit ${person.name}` : 'Invite someone'}</h3>
      {!person && (
        <>
          <label>
            Name
            <input name="name" required maxLength={100} autoFocus />
          </label>
          <label>
            E-mail
            <input name="email" type="email" required maxLength={200} />
          </label>
        </>
      )}
      <label>
        Role
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      {role === 'agent' && (
        <label>
          Agent
          <select name="agentKey" required defaultValue={person?.agentKey ?? ''}>
            <option value="" disabled>
              Choose the agent they are
            </option>
            {directory.data?.agents.map((a) => (
              <option key={a.key} value={a.key}>
                {a.name} ({a.key}, {a.team})
              </option>
            ))}
          </select>
        </label>
      )}
      {role === 'supervisor' && (
        <fieldset>
          <legend>Teams supervised</legend>
          {directory.data?.teams.map((t) => (
            <label key={t.key} className="inline">
              <input type="checkbox" name="teamKeys" value={t.key} defaultChecked={person?.teamKeys.includes(t.key) ?? false} /> {t.name}
            </label>
          ))}
        </fieldset>
      )}
      {(role === 'analyst' || role === 'supervisor') && (
        <label className="inline">
          <input name="qualityLead" type="checkbox" defaultChecked={person?.qualityLead ?? false} /> Quality lead (runs calibration, decides disputes)
        </label>
      )}
      <ErrorLine error={invite.error ?? update.error} />
      <span className="actions">
        <button type="submit" disabled={invite.isPending || update.isPending}>
          {person ? 'Save' : 'Send invitation'}
        </button>
        <button type="button" className="ghost" onClick={() => void onDone(null)}>
          Cancel
        </button>
      </span>
    </form>
  );
}

type KeyRow = Admin['apiKeys'][number];

function ApiKeys() {
  const trpc = useTRPC();
  const client = useQueryClient();
  const keys = useQuery(trpc.admin.apiKeys.queryOptions());
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: trpc.admin.apiKeys.queryKey() });
  const create = useMutation(
    trpc.admin.createApiKey.mutationOptions({
      onSuccess: async (created, input) => {
        setShown({ name: input.name, key: created.key });
        await refresh();
      },
    }),
  );
  const rotate = useMutation(
    trpc.admin.rotateApiKey.mutationOptions({
      onSuccess: async (created) => {
        setShown({ name: 'the replacement key', key: created.key });
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.admin.revokeApiKey.mutationOptions({ onSuccess: refresh }));

  const columns: ColumnDef<KeyRow, unknown>[] = [
    { header: 'Name', accessorKey: 'name' },
    { header: 'Key', accessorKey: 'prefix', cell: ({ row }) => <code>sbk_{row.original.prefix}_…</code> },
    { header: 'Scopes', id: 'scopes', accessorFn: (k) => k.scopes.join(', ') },
    {
      header: 'Created',
      accessorKey: 'createdAt',
      cell: ({ row }) => `${formatDateTime(row.original.createdAt)}${row.original.createdBy ? ` by ${row.original.createdBy}` : ''}`,
    },
    { header: 'Last used', accessorKey: 'lastUsedAt', cell: ({ row }) => (row.original.lastUsedAt ? formatDateTime(row.original.lastUsedAt) : 'never') },
    {
      header: 'Status',
      accessorKey: 'status',
      cell: ({ row }) =>
        row.original.status === 'rotating' && row.original.expiresAt ? `works until ${formatDateTime(row.original.expiresAt)}` : row.original.status,
    },
    {
      header: '',
      id: 'actions',
      enableSorting: false,
      cell: ({ row }) => {
        const k = row.original;
        if (k.status === 'revoked' || k.status === 'expired') return null;
        return (
          <span className="actions">
            {k.status === 'active' && (
              <button type="button" className="ghost" onClick={() => rotate.mutate({ keyId: k.id, overlapHours: 24 })} aria-label={`Rotate ${k.name}`}>
                Rotate (old key works 24 h)
              </button>
            )}
            <button
              type="button"
              className="ghost danger"
              onClick={() => {
                if (window.confirm(`Revoke ${k.name}? Anything sending with it is refused at once.`)) revoke.mutate({ keyId: k.id });
              }}
              aria-label={`Revoke ${k.name}`}
            >
              Revoke
            </button>
          </span>
        );
      },
    },
  ];

  return (
    <section className="panel" aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <p className="muted small">Routing, voice and bot systems send events with a key. A key is shown once, when it is made; only its hash is kept.</p>
      <ErrorLine error={keys.error ?? create.error ?? rotate.error ?? revoke.error} />
      {shown && (
        <div className="notice" role="status" data-testid="new-key">
          <p>
            The key for {shown.name}, shown this once — copy it now:
            <br />
            <code className="secret">{shown.key}</code>
          </p>
          <button type="button" className="ghost" onClick={() => void navigator.clipboard?.writeText(shown.key)}>
            Copy
          </button>
          <button type="button" className="ghost" onClick={() => setShown(null)}>
            Done
          </button>
        </div>
      )}
      {keys.data && <SortableTable data={keys.data} columns={columns} rowKey={(k) => k.id} testId="api-keys" caption="API keys" />}
      <form
        className="inline-form"
        aria-label="New API key"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const scopes = keyScopes.filter((s) => form.get(`scope-${s.scope}`) === 'on').map((s) => s.scope);
          create.mutate({ name: String(form.get('name') ?? '').trim(), scopes: scopes.length > 0 ? scopes : ['ingest'] });
          e.currentTarget.reset();
        }}
      >
        <label>
          New key for
          <input name="name" required maxLength={100} placeholder="e.g. Genesys connector" />
        </label>
        {keyScopes.map((s) => (
          <label key={s.scope} title={s.meaning}>
            <input type="checkbox" name={`scope-${s.scope}`} defaultChecked={s.scope === 'ingest'} /> {s.label}
          </label>
        ))}
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
      </form>
    </section>
  );
}
