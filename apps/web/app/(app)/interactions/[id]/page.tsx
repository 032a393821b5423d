'use client';

import { useQuery } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { formatDuration } from '../../../lib/format';
import { describeTimeline } from '../../../lib/timeline';
import { useTRPC } from '../../../lib/trpc';

function Timeline() {
  const trpc = useTRPC();
  const { id } = useParams<{ id: string }>();
  const at = useSearchParams().get('at') ?? new Date().toISOString();
  const timeline = useQuery(trpc.interactions.timeline.queryOptions({ interactionId: decodeURIComponent(id), around: at }));
  if (!timeline.data) return <p className="muted">{timeline.error ? timeline.error.message : 'Loading the interaction…'}</p>;
  const items = describeTimeline(timeline.data);
  return (
    <>
      <div className="page-head">
        <h1>Interaction</h1>
        <code className="muted">{timeline.data.interactionId}</code>
        <span className="muted small">{items.length} events · transcripts are stored with PII redacted; reading one is audited</span>
      </div>
      <ol className="timeline" data-testid="timeline">
        {items.map((item) =>
          item.kind === 'transcript' ? (
            <li key={item.id} className={`tl transcript ${item.speaker}`}>
              <span className="when">+{formatDuration(item.offsetS)}</span>
              <span className="speaker">{item.speaker}</span>
              <q>{item.text}</q>
            </li>
          ) : (
            <li key={item.id} className={`tl ${item.kind}`}>
              <span className="when" title={new Date(item.at).toLocaleString()}>
                +{formatDuration(item.offsetS)}
              </span>
              <strong>{item.title}</strong>
              {item.detail && <span className="muted"> · {item.detail}</span>}
            </li>
          ),
        )}
      </ol>
    </>
  );
}

export default function InteractionPage() {
  return (
    <section>
      <Suspense fallback={<p className="muted">Loading…</p>}>
        <Timeline />
      </Suspense>
    </section>
  );
}
