'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useState } from 'react';
import { describeError } from '../../../../lib/errors';
import { formatDecimal, formatPercent } from '../../../../lib/format';
import { useTRPC } from '../../../../lib/trpc';
import { TranscriptPanel } from '../../evaluation-detail';
import { agreementClass, answerLabel, questionName, type CalibrationView } from '../../prepare';
import styles from '../../quality.module.css';

/**
 * One calibration session. Open: each participant answers the form for every interaction on their own (nobody sees
 * another's answers) and hands in; a quality lead closes it. Closed: the answers side by side per question with the
 * raters' agreement, the total scores' spread, and each rater's distance from the lead.
 */
export default function CalibrationSessionPage() {
  const trpc = useTRPC();
  const { id } = useParams<{ id: string }>();
  const view = useQuery(trpc.quality.calibration.get.queryOptions({ sessionId: id }));
  if (!view.data) {
    return (
      <section>
        <p className={view.error ? 'error' : 'muted'} role={view.error ? 'alert' : undefined}>
          {view.error ? view.error.message : 'Loading the session…'}
        </p>
      </section>
    );
  }
  const data = view.data;
  return (
    <section>
      <div className="page-head">
        <h1>{data.name}</h1>
        <span className="muted small">
          <Link href="/quality?view=calibration">← Calibration</Link> · led by {data.lead} · form “{data.form.name}” · {data.items.length} interactions
        </span>
        <span className="pill" data-testid="session-status">
          {data.status === 'open' ? 'Open' : 'Closed'}
        </span>
      </div>
      <Progress data={data} />
      {data.results ? <Results data={data} /> : data.participant && !data.submitted ? <Scoring data={data} /> : null}
    </section>
  );
}

function Progress({ data }: { data: CalibrationView }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const close = useMutation(
    trpc.quality.calibration.close.mutationOptions({ onSuccess: () => client.invalidateQueries({ queryKey: trpc.quality.pathKey() }) }),
  );
  return (
    <div className="panel">
      <p>
        Handed in: {data.participants.filter((p) => p.submitted).length} of {data.participants.length} —{' '}
        {data.participants.map((p) => `${p.name}${p.submitted ? ' ✓' : ''}`).join(', ')}
      </p>
      {data.status === 'open' && data.submitted && <p className="muted">Your answers are in. Results show when a quality lead closes the session.</p>}
      {data.status === 'open' && data.isLead && (
        <button type="button" disabled={close.isPending} onClick={() => close.mutate({ sessionId: data.id })}>
          Close the session and show the results
        </button>
      )}
      {close.error && (
        <p className="error" role="alert">
          {describeError(close.error)}
        </p>
      )}
    </div>
  );
}

const key = (interactionId: string, questionId: string) => `${interactionId}\u0000${questionId}`;

/** The participant's own answers, every question of every interaction, saved as they go and handed in at the end. */
function Scoring({ data }: { data: CalibrationView }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const [answers, setAnswers] = useState<Map<string, string>>(() => new Map(data.mine.map((a) => [key(a.interactionId, a.questionId), a.answer])));
  const save = useMutation(
    trpc.quality.calibration.answer.mutationOptions({ onSuccess: () => client.invalidateQueries({ queryKey: trpc.quality.pathKey() }) }),
  );
  const total = data.items.length * data.form.questions.length;
  const send = (submit: boolean) =>
    save.mutate({
      sessionId: data.id,
      submit,
      answers: [...answers].map(([k, answer]) => {
        const [interactionId, questionId] = k.split('\u0000') as [string, string];
        return { interactionId, questionId, answer };
      }),
    });
  return (
    <>
      {data.items.map((item, n) => (
        <div key={item.interactionId} className={styles.review} data-testid={`calibration-item-${n}`}>
          <ItemTranscript sessionId={data.id} interactionId={item.interactionId} title={`Interaction ${n + 1}: ${item.agent} · ${item.channel}`} />
          <div className="panel">
            <h2>Your answers</h2>
            {data.form.questions.map((q) => (
              <div key={q.id} className={styles.answer}>
                <p className="small">{q.text}</p>
                <div role="radiogroup" aria-label={`${questionName(q.id)}, interaction ${n + 1}`} className="segmented">
                  {q.values.map((v) => {
                    const on = answers.get(key(item.interactionId, q.id)) === v;
                    return (
                      <button
                        key={v}
                        type="button"
                        role="radio"
                        aria-checked={on}
                        className={on ? 'on' : ''}
                        onClick={() => setAnswers(new Map(answers).set(key(item.interactionId, q.id), v))}
                      >
                        {answerLabel(v)}
                      </button>
                    );
                  })}
                </div>
              </div>
            ))}
          </div>
        </div>
      ))}
      <div className="panel inline-form">
        <span className="muted" data-testid="calibration-progress">
          {answers.size} of {total} answered
        </span>
        <button type="button" disabled={save.isPending} onClick={() => send(false)}>
          Save for later
        </button>
        <button type="button" disabled={save.isPending || answers.size < total} onClick={() => send(true)}>
          Hand in
        </button>
        {save.error && (
          <p className="error" role="alert">
            {describeError(save.error)}
          </p>
        )}
      </div>
    </>
  );
}

function ItemTranscript({ sessionId, interactionId, title }: { sessionId: string; interactionId: string; title: string }) {
  const trpc = useTRPC();
  const transcript = useQuery(trpc.quality.calibration.transcript.queryOptions({ sessionId, interactionId }));
  return (
    <div>
      <h3 className="sub">{title}</h3>
      {transcript.data ? (
        <TranscriptPanel transcript={transcript.data.transcript} holds={transcript.data.holds} />
      ) : (
        <p className="muted">{transcript.error ? transcript.error.message : 'Loading the transcript…'}</p>
      )}
    </div>
  );
}

function Results({ data }: { data: CalibrationView }) {
  const results = data.results!;
  const names = new Map(data.participants.map((p) => [p.userId, p.name]));
  const raters = results.raters.map((r) => r.id);
  const items = new Map(data.items.map((item, n) => [item.interactionId, `${n + 1}. ${item.agent}`]));
  return (
    <>
      <div className="panel">
        <h2>Agreement by question</h2>
        <div className="table-wrap">
          <table data-testid="calibration-agreement">
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col" className="num">
                  Kappa
                </th>
                <th scope="col" className="num">
                  Interactions
                </th>
                {data.items.map((item, n) => (
                  <th key={item.interactionId} scope="col">
                    #{n + 1}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {results.questions.map((q) => (
                <tr key={q.id}>
                  <th scope="row">{questionName(q.id)}</th>
                  <td className={`num ${agreementClass(q.kappa, styles)}`} title={q.method === 'fleiss' ? "Fleiss' kappa" : "Cohen's kappa"}>
                    {formatDecimal(q.kappa, 2)}
                  </td>
                  <td className="num">{q.items}</td>
                  {q.answers.map((a) => (
                    <td key={a.item} className="small">
                      {raters.map((r) => `${names.get(r)?.split(' ')[0] ?? r}: ${answerLabel(a.byRater[r] ?? null)}`).join(' · ')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small">
          Cohen’s kappa for two raters, Fleiss’ for more, over the interactions everyone answered; 1 is full agreement, 0 what chance gives. — where everyone
          gave one answer throughout.
        </p>
      </div>
      <div className="two-col">
        <div className="panel">
          <h2>Total scores</h2>
          <div className="table-wrap">
            <table data-testid="calibration-scores">
              <thead>
                <tr>
                  <th scope="col">Interaction</th>
                  {raters.map((r) => (
                    <th key={r} scope="col" className="num">
                      {names.get(r)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {results.scores.map((s) => (
                  <tr key={s.item}>
                    <th scope="row">{items.get(s.item)}</th>
                    {raters.map((r) => (
                      <td key={r} className="num">
                        {formatDecimal(s.byRater[r] ?? null)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">Mean absolute deviation from each interaction’s mean score: {formatDecimal(results.scoreMad)} points.</p>
        </div>
        <div className="panel">
          <h2>Each rater against the lead</h2>
          <div className="table-wrap">
            <table data-testid="calibration-raters">
              <thead>
                <tr>
                  <th scope="col">Rater</th>
                  <th scope="col" className="num">
                    Answers unlike the lead’s
                  </th>
                  <th scope="col" className="num">
                    Score distance
                  </th>
                </tr>
              </thead>
              <tbody>
                {results.raters.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{names.get(r.id)}</th>
                    <td className="num">{formatPercent(r.differFromLead)}</td>
                    <td className="num">{formatDecimal(r.scoreDistanceFromLead)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </>
  );
}
