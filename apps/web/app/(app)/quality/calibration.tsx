'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { describeError } from '../../lib/errors';
import { formatDecimal } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import styles from './quality.module.css';

/** Calibration sessions the viewer takes part in (a quality lead sees all) and, for a lead, a new one. */
export function Calibration() {
  const trpc = useTRPC();
  const lead = useSession().data?.qualityLead === true;
  const sessions = useQuery(trpc.quality.calibration.list.queryOptions());
  return (
    <>
      {lead && <NewSession />}
      <div className="panel">
        <h2>Calibration sessions</h2>
        {sessions.error && (
          <p className="error" role="alert">
            {sessions.error.message}
          </p>
        )}
        {sessions.data &&
          (sessions.data.length === 0 ? (
            <p className="muted">No session yet{lead ? ': start one above.' : '. A quality lead invites you to one.'}</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="calibration-sessions">
                <thead>
                  <tr>
                    <th scope="col">Session</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Interactions
                    </th>
                    <th scope="col" className="num">
                      Handed in
                    </th>
                    <th scope="col">Started</th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.data.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link href={`/quality/calibration/${s.id}`}>{s.name}</Link>
                      </td>
                      <td>{s.status === 'open' ? 'Open' : 'Closed'}</td>
                      <td className="num">{s.items}</td>
                      <td className="num">
                        {s.submitted} of {s.participants}
                      </td>
                      <td>{new Date(s.createdAt).toLocaleDateString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
      </div>
    </>
  );
}

/** A lead picks recent evaluated interactions and the people who score them. */
function NewSession() {
  const trpc = useTRPC();
  const client = useQueryClient();
  const recent = useQuery(trpc.quality.list.queryOptions({ limit: 40 }));
  const people = useQuery(trpc.quality.calibration.people.queryOptions());
  const me = useSession().data;
  const [name, setName] = useState('');
  const [evaluations, setEvaluations] = useState<string[]>([]);
  const [participants, setParticipants] = useState<string[]>([]);
  const create = useMutation(
    trpc.quality.calibration.create.mutationOptions({
      onSuccess: async () => {
        setName('');
        setEvaluations([]);
        setParticipants([]);
        await client.invalidateQueries({ queryKey: trpc.quality.calibration.pathKey() });
      },
    }),
  );
  const toggle = (list: string[], set: (v: string[]) => void, id: string) => set(list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  return (
    <form
      className="panel"
      aria-label="New calibration session"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name, evaluationIds: evaluations, participantIds: participants });
      }}
    >
      <h2>New calibration session</h2>
      <div className={styles.filters}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} placeholder="e.g. Week 49 – billing calls" />
        </label>
      </div>
      <div className="two-col">
        <fieldset>
          <legend>Interactions ({evaluations.length} picked)</legend>
          <ul className={styles.pickList}>
            {(recent.data ?? []).map((e) => (
              <li key={e.id}>
                <label>
                  <input type="checkbox" checked={evaluations.includes(e.id)} onChange={() => toggle(evaluations, setEvaluations, e.id)} />
                  {new Date(e.endedAt).toLocaleString()} · {e.agent} · {e.queue} · score {formatDecimal(e.score)}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset>
          <legend>People ({participants.length} picked, you take part as the lead)</legend>
          <ul className={styles.pickList}>
            {(people.data ?? [])
              .filter((p) => p.userId !== me?.userId)
              .map((p) => (
                <li key={p.userId}>
                  <label>
                    <input type="checkbox" checked={participants.includes(p.userId)} onChange={() => toggle(participants, setParticipants, p.userId)} />
                    {p.name} <span className="muted">({p.role})</span>
                  </label>
                </li>
              ))}
          </ul>
        </fieldset>
      </div>
      <button type="submit" disabled={create.isPending || !name.trim() || evaluations.length === 0 || participants.length === 0}>
        Start the session
      </button>
      {create.error && (
        <p className="error" role="alert">
          {describeError(create.error)}
        </p>
      )}
    </form>
  );
}
