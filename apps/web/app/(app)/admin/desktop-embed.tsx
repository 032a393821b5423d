'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Outcome } from '../../components/outcome';
import { useTRPC } from '../../lib/trpc';

/**
 * Where the agent desktop panel may be embedded (docs/desktop.md, Embedding): the origins of the apps allowed to
 * frame it. The app's server opens a panel with an API key of the `desktop:embed` scope (API keys, above).
 */
export function DesktopEmbedPanel() {
  const trpc = useTRPC();
  const client = useQueryClient();
  const embed = useQuery(trpc.admin.desktopEmbed.queryOptions());
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation(
    trpc.admin.setDesktopFrameAncestors.mutationOptions({
      onSuccess: async (saved) => {
        setNotice(saved.frameAncestors.length > 0 ? 'Saved: these origins may frame the panel within 30 seconds.' : 'Saved: no site may frame the panel.');
        await client.invalidateQueries({ queryKey: trpc.admin.desktopEmbed.queryKey() });
      },
    }),
  );
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setNotice(null);
    const text = String(new FormData(e.currentTarget).get('origins') ?? '');
    save.mutate({ origins: text.split(/[\s,]+/).filter((o) => o !== '') });
  };
  const error = embed.error ?? save.error;
  return (
    <section className="panel" aria-labelledby="desktop-embed-heading">
      <h2 id="desktop-embed-heading">Desktop panel in other apps</h2>
      <p className="muted small">
        Origins allowed to show the agents’ desktop panel in a frame (one per line, such as <code>https://crm.example.com</code>); empty: none. The app’s server
        asks <code>POST /api/v1/desktop/embed-tokens</code> with an API key of the <code>desktop:embed</code> scope for each agent’s frame.
      </p>
      <Outcome error={error} notice={notice} />
      {embed.data && (
        <form aria-label="Desktop embedding" onSubmit={submit} key={embed.data.frameAncestors.join(' ')}>
          <p className="small">
            Frame address: <code>{embed.data.pagePath}</code>
          </p>
          <label>
            Allowed origins
            <textarea name="origins" rows={3} cols={48} defaultValue={embed.data.frameAncestors.join('\n')} />
          </label>
          <button type="submit" disabled={save.isPending}>
            Save origins
          </button>
        </form>
      )}
    </section>
  );
}
