'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Outcome } from '../../components/outcome';
import { useTRPC } from '../../lib/trpc';

/**
 * How long the tenant keeps what it sends (raw events, transcripts' words, rejected events)
 * and its audit trail. Rollups and imported history outlive the raw events, so reports of
 * older periods keep their figures without the events behind them.
 */
export function RetentionPanel() {
  const trpc = useTRPC();
  const client = useQueryClient();
  const retention = useQuery(trpc.admin.retention.queryOptions());
  const [notice, setNotice] = useState<string | null>(null);
  const saved = {
    onSuccess: async () => {
      setNotice('Retention saved. Stored data older than it is deleted over the next hours.');
      await client.invalidateQueries({ queryKey: trpc.admin.retention.queryKey() });
    },
  };
  const data = useMutation(trpc.admin.setDataRetention.mutationOptions(saved));
  const audit = useMutation(trpc.admin.setAuditRetention.mutationOptions(saved));
  const error = retention.error ?? data.error ?? audit.error;
  const current = retention.data;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!current) return;
    const form = new FormData(e.currentTarget);
    const days = (name: string) => Number(form.get(name));
    const transcripts = String(form.get('transcriptRetentionDays') ?? '').trim();
    setNotice(null);
    const next = {
      retentionDays: days('retentionDays'),
      transcriptRetentionDays: transcripts === '' ? null : Number(transcripts),
      rejectionRetentionDays: days('rejectionRetentionDays'),
    };
    if (
      next.retentionDays !== current.retentionDays ||
      next.transcriptRetentionDays !== current.transcriptRetentionDays ||
      next.rejectionRetentionDays !== current.rejectionRetentionDays
    ) {
      if (next.retentionDays < current.retentionDays && !window.confirm(`Delete raw events older than ${next.retentionDays} days? This cannot be undone.`))
        return;
      await data.mutateAsync(next);
    }
    if (days('auditRetentionDays') !== current.auditRetentionDays) await audit.mutateAsync({ days: days('auditRetentionDays') });
  };

  return (
    <section className="panel" aria-labelledby="retention-heading">
      <h2 id="retention-heading">Retention</h2>
      <p className="muted small">Reports keep their figures (rollups) after the raw events behind them are gone.</p>
      <Outcome error={error} notice={notice} />
      {current && (
        <form className="inline-form" aria-label="Retention" onSubmit={(e) => void submit(e)} key={JSON.stringify(current)}>
          <label>
            Raw events (days)
            <input name="retentionDays" type="number" min={30} max={3650} required defaultValue={current.retentionDays} />
          </label>
          <label>
            Transcripts (days; empty: as events)
            <input name="transcriptRetentionDays" type="number" min={1} max={3650} defaultValue={current.transcriptRetentionDays ?? ''} />
          </label>
          <label>
            Rejected events (days, ≤ 30)
            <input name="rejectionRetentionDays" type="number" min={1} max={30} required defaultValue={current.rejectionRetentionDays} />
          </label>
          <label>
            Audit trail (days)
            <input name="auditRetentionDays" type="number" min={90} max={3650} required defaultValue={current.auditRetentionDays} />
          </label>
          <button type="submit" disabled={data.isPending || audit.isPending}>
            Save retention
          </button>
          {current.pending && <span className="muted small">Being applied to stored data…</span>}
        </form>
      )}
    </section>
  );
}
