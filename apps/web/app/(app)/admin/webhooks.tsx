'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { webhookEventKinds, type WebhookEventKind } from '@switchboard/contracts';
import { useState, type FormEvent } from 'react';
import { SortableTable } from '../../components/sortable-table';
import { describeError } from '../../lib/errors';
import { Outcome } from '../../components/outcome';
import { useTRPC } from '../../lib/trpc';

type Webhooks = inferRouterOutputs<AppRouter>['admin']['webhooks'];
type SubscriptionRow = Webhooks['list'][number];
type DeliveryRow = Webhooks['deliveries']['deliveries'][number];

const formatDateTime = (iso: string) => new Date(iso).toLocaleString();

/** What a delivery came to, in words: the receiver's status code when there was one. */
function outcomeOf(d: { status: string; lastStatus: number | null }): string {
  return d.lastStatus === null ? d.status : `${d.status} (${d.lastStatus})`;
}

/**
 * Outbound webhooks: URLs subscribed to event kinds, each delivery signed with the subscription's
 * secret (shown once, when it is made or rotated), retried with backoff by a workflow, and logged.
 * The server refuses a URL that points inside the network (the outbound guard) before saving it.
 */
export function WebhooksPanel() {
  const trpc = useTRPC();
  const client = useQueryClient();
  const list = useQuery(trpc.admin.webhooks.list.queryOptions());
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<SubscriptionRow | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: trpc.admin.webhooks.list.queryKey() });
  const create = useMutation(
    trpc.admin.webhooks.create.mutationOptions({
      onSuccess: async (created, input) => {
        setSecret({ name: input.name, secret: created.secret });
        await refresh();
      },
    }),
  );
  const rotate = useMutation(
    trpc.admin.webhooks.rotate.mutationOptions({
      onSuccess: async (rotated) => {
        setSecret({ name: 'the new secret', secret: rotated.secret });
        setNotice(`The old secret also signs until ${formatDateTime(rotated.previousSecretExpiresAt)}.`);
        await refresh();
      },
    }),
  );
  const update = useMutation(trpc.admin.webhooks.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    trpc.admin.webhooks.delete.mutationOptions({
      onSuccess: async (_, input) => {
        if (logOf?.id === input.id) setLogOf(null);
        await refresh();
      },
    }),
  );
  const sendTest = useMutation(
    trpc.admin.webhooks.sendTest.mutationOptions({
      onSuccess: async (_, input) => {
        setNotice('Test event on its way: the delivery log shows how it was answered.');
        setLogOf(list.data?.find((s) => s.id === input.id) ?? null);
        await client.invalidateQueries({ queryKey: trpc.admin.webhooks.deliveries.queryKey() });
        await refresh();
      },
    }),
  );
  const error = list.error ?? create.error ?? rotate.error ?? update.error ?? remove.error ?? sendTest.error;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setNotice(null);
    create.mutate({
      name: String(form.get('name') ?? '').trim(),
      url: String(form.get('url') ?? '').trim(),
      kinds: form.getAll('kinds').map(String) as WebhookEventKind[],
    });
  };

  const columns: ColumnDef<SubscriptionRow, unknown>[] = [
    { header: 'Name', accessorKey: 'name' },
    { header: 'URL', accessorKey: 'url', cell: ({ row }) => <code>{row.original.url}</code> },
    { header: 'Events', id: 'kinds', accessorFn: (s) => s.kinds.join(', ') },
    {
      header: 'Last delivery',
      id: 'last',
      accessorFn: (s) => s.lastDelivery?.createdAt ?? '',
      cell: ({ row }) => {
        const last = row.original.lastDelivery;
        return last ? `${outcomeOf(last)}, ${formatDateTime(last.createdAt)}` : 'none yet';
      },
    },
    {
      header: 'Status',
      id: 'status',
      accessorFn: (s) => (s.active ? 'active' : 'inactive'),
      cell: ({ row }) =>
        `${row.original.active ? 'active' : 'inactive'}${row.original.previousSecretExpiresAt ? ` · old secret signs until ${formatDateTime(row.original.previousSecretExpiresAt)}` : ''}`,
    },
    {
      header: '',
      id: 'actions',
      enableSorting: false,
      cell: ({ row }) => {
        const s = row.original;
        return (
          <span className="actions">
            <button type="button" className="ghost" onClick={() => setLogOf(s)} aria-label={`Delivery log of ${s.name}`}>
              Log
            </button>
            {s.active && (
              <button
                type="button"
                className="ghost"
                disabled={sendTest.isPending}
                onClick={() => sendTest.mutate({ id: s.id })}
                aria-label={`Send a test event to ${s.name}`}
              >
                Send test event
              </button>
            )}
            <button type="button" className="ghost" onClick={() => rotate.mutate({ id: s.id })} aria-label={`Rotate the secret of ${s.name}`}>
              Rotate secret
            </button>
            <button
              type="button"
              className="ghost"
              onClick={() => update.mutate({ id: s.id, active: !s.active })}
              aria-label={`${s.active ? 'Deactivate' : 'Activate'} ${s.name}`}
            >
              {s.active ? 'Deactivate' : 'Activate'}
            </button>
            <button
              type="button"
              className="ghost danger"
              onClick={() => {
                if (window.confirm(`Delete ${s.name} and its delivery log? Deliveries still being retried stop.`)) remove.mutate({ id: s.id });
              }}
              aria-label={`Delete ${s.name}`}
            >
              Delete
            </button>
          </span>
        );
      },
    },
  ];

  return (
    <section className="panel" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="muted small">
        Switchboard POSTs a signed JSON event to each URL for the kinds it subscribes to, retrying with backoff for a few hours while it is not answered with a
        2xx. Only https, and never an address inside your network unless your operator allows its host.
      </p>
      <Outcome error={error} notice={notice} />
      {secret && (
        <div className="notice" role="status" data-testid="webhook-secret">
          <p>
            The signing secret for {secret.name}, shown this once — copy it to the receiver now:
            <br />
            <code className="secret">{secret.secret}</code>
          </p>
          <button type="button" className="ghost" onClick={() => void navigator.clipboard?.writeText(secret.secret)}>
            Copy
          </button>
          <button type="button" className="ghost" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      {list.data && <SortableTable data={list.data} columns={columns} rowKey={(s) => s.id} testId="webhooks" caption="Webhook subscriptions" />}
      <form className="stacked" aria-label="New webhook" onSubmit={submit}>
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="e.g. Workforce sync" />
        </label>
        <label>
          URL
          <input name="url" type="url" required maxLength={2000} placeholder="https://hooks.example.com/switchboard" />
        </label>
        <fieldset>
          <legend>Events</legend>
          {webhookEventKinds.map((kind) => (
            <label key={kind}>
              <input type="checkbox" name="kinds" value={kind} /> <code>{kind}</code>
            </label>
          ))}
        </fieldset>
        <div className="button-row">
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Checking the URL…' : 'Add webhook'}
          </button>
        </div>
      </form>
      {logOf && <DeliveryLog subscription={logOf} onClose={() => setLogOf(null)} />}
    </section>
  );
}

/** A subscription's deliveries, newest first, a page at a time. */
function DeliveryLog({ subscription, onClose }: { subscription: SubscriptionRow; onClose: () => void }) {
  const trpc = useTRPC();
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const before = pages.at(-1);
  const log = useQuery(trpc.admin.webhooks.deliveries.queryOptions({ id: subscription.id, limit: 50, ...(before ? { before } : {}) }));
  const columns: ColumnDef<DeliveryRow, unknown>[] = [
    { header: 'Created', accessorKey: 'createdAt', cell: ({ row }) => formatDateTime(row.original.createdAt) },
    { header: 'Event', accessorKey: 'kind', cell: ({ row }) => <code>{row.original.kind}</code> },
    { header: 'Status', accessorKey: 'status' },
    { header: 'Answer', accessorKey: 'lastStatus', cell: ({ row }) => row.original.lastStatus ?? '—' },
    { header: 'Attempts', accessorKey: 'attempts' },
    { header: 'Error', accessorKey: 'lastError', cell: ({ row }) => row.original.lastError ?? '' },
    { header: 'Delivered', accessorKey: 'deliveredAt', cell: ({ row }) => (row.original.deliveredAt ? formatDateTime(row.original.deliveredAt) : '') },
  ];
  return (
    <div aria-label={`Delivery log of ${subscription.name}`} role="region">
      <h3>Delivery log: {subscription.name}</h3>
      {log.error && (
        <p className="error" role="alert">
          {describeError(log.error)}
        </p>
      )}
      {log.data && (
        <SortableTable
          data={log.data.deliveries}
          columns={columns}
          rowKey={(d) => d.id}
          testId="webhook-deliveries"
          caption={`Deliveries to ${subscription.name}`}
        />
      )}
      <div className="button-row">
        <button type="button" className="ghost" onClick={() => void log.refetch()}>
          Refresh
        </button>
        {pages.length > 1 && (
          <button type="button" className="ghost" onClick={() => setPages(pages.slice(0, -1))}>
            Newer
          </button>
        )}
        {log.data?.next && (
          <button type="button" className="ghost" onClick={() => setPages([...pages, log.data.next ?? undefined])}>
            Older
          </button>
        )}
        <button type="button" className="ghost" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
