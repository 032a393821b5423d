'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { describeError } from '../../lib/errors';
import { formatDuration } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import {
  answerLabel,
  describeEvidence,
  evidenceTarget,
  interleave,
  isOpen,
  needsReason,
  piecesOf,
  questionName,
  reviewReasons,
  spansBySegment,
  statusLabels,
  type EvaluationView,
  type ViewQuestion,
} from './prepare';
import styles from './quality.module.css';

/**
 * Who is looking: an analyst reviews (accept or override with a reason, finalize, release; a quality lead decides
 * disputes), an agent reads their released evaluation (acknowledge, or dispute an answer with a comment).
 */
type Mode = 'analyst' | 'agent';

/**
 * One evaluation: the transcript on the left with the evidence of the selected answer highlighted, the form's
 * answers on the right (machine answer, confidence, evidence, the final answer and any dispute).
 */
export function EvaluationDetail({ id, mode }: { id: string; mode: Mode }) {
  const trpc = useTRPC();
  const view = useQuery(trpc.quality.get.queryOptions({ evaluationId: id }));
  const [active, setActive] = useState<string | null>(null);
  if (!view.data) {
    return (
      <section>
        <p className={view.error ? 'error' : 'muted'} role={view.error ? 'alert' : undefined}>
          {view.error ? view.error.message : 'Loading the evaluation…'}
        </p>
      </section>
    );
  }
  const data = view.data;
  const show = (question: string, target: string | null) => {
    setActive(question);
    if (target) document.getElementById(target)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  };
  return (
    <section>
      <div className="page-head">
        <h1>Evaluation</h1>
        <span className="muted small">
          <Link href={mode === 'agent' ? '/me' : '/quality'}>{mode === 'agent' ? '← My day' : '← Quality'}</Link> · {data.agent} · {data.team} · {data.queue} ·{' '}
          {data.channel} · ended {new Date(data.endedAt).toLocaleString()}
        </span>
        <span className="pill" data-testid="evaluation-status">
          {statusLabels[data.status]}
        </span>
        {data.reviewReason && <span className="pill muted">{reviewReasons[data.reviewReason] ?? data.reviewReason}</span>}
      </div>
      <div className={styles.review}>
        <Transcript data={data} active={active} onSelect={(q) => setActive(q)} />
        <div>
          {mode === 'agent' ? <AgentSummary data={data} /> : <Summary data={data} />}
          {data.sections.map((section) => (
            <div key={section.id} className="panel">
              <h2>{section.title}</h2>
              {section.questions
                .filter((q) => q.shown || q.finalAnswer !== null || q.machineAnswer !== null)
                .map((q) => (
                  <Answer key={q.id} data={data} question={q} active={active === q.id} onShow={show} mode={mode} />
                ))}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

function Transcript({ data, active, onSelect }: { data: EvaluationView; active: string | null; onSelect: (question: string) => void }) {
  const citedHolds = new Set(
    data.sections.flatMap((s) => s.questions).flatMap((q) => (q.id === active ? q.evidence.flatMap((e) => ('hold_index' in e ? [e.hold_index] : [])) : [])),
  );
  return (
    <TranscriptPanel transcript={data.transcript} holds={data.holds} spans={spansBySegment(data)} citedHolds={citedHolds} active={active} onSelect={onSelect} />
  );
}

/**
 * A stored transcript with its holds in time order; evidence spans (by segment) marked, those of the `active`
 * question highlighted. Segments and holds carry ids (`segment-3`, `hold-0`) to scroll to.
 */
export function TranscriptPanel({
  transcript,
  holds,
  spans = new Map(),
  citedHolds = new Set(),
  active = null,
  onSelect = () => undefined,
}: {
  transcript: EvaluationView['transcript'];
  holds: EvaluationView['holds'];
  spans?: ReadonlyMap<number, { start: number; end: number; question: string }[]>;
  citedHolds?: ReadonlySet<number>;
  active?: string | null;
  onSelect?: (question: string) => void;
}) {
  const data = { transcript, holds };
  return (
    <div className="panel">
      <h2>Transcript</h2>
      {data.transcript.length === 0 ? (
        <p className="muted">No transcript was stored for this interaction: answer the questions from the recording or the events.</p>
      ) : (
        <ol className={styles.transcript} data-testid="transcript">
          {interleave(data.transcript, data.holds).map((item) => {
            if (item.kind === 'hold') {
              const h = data.holds[item.index]!;
              return (
                <li key={`hold-${item.index}`} id={`hold-${item.index}`} className={`${styles.hold} ${citedHolds.has(item.index) ? styles.cited : ''}`}>
                  On hold {formatDuration((h.end_ms - h.start_ms) / 1000)}
                </li>
              );
            }
            const segment = data.transcript[item.index]!;
            return (
              <li key={item.index} id={`segment-${item.index}`} className={`${styles.turn} ${styles[segment.speaker] ?? ''}`}>
                <span className={styles.when}>{formatDuration(segment.start_ms / 1000)}</span>
                <span className={styles.speaker}>{segment.speaker}</span>
                <span>
                  {piecesOf(segment.text, spans.get(item.index) ?? []).map((piece) =>
                    piece.questions.length === 0 ? (
                      <span key={piece.start}>{piece.text}</span>
                    ) : (
                      <mark
                        key={piece.start}
                        className={piece.questions.includes(active ?? '') ? styles.cited : styles.evidence}
                        data-questions={piece.questions.join(' ')}
                        title={piece.questions.map(questionName).join(', ')}
                        onClick={() => onSelect(piece.questions[0]!)}
                      >
                        {piece.text}
                      </mark>
                    ),
                  )}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

function Summary({ data }: { data: EvaluationView }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const open = data.sections.flatMap((s) => s.questions).filter(isOpen);
  const done = () => client.invalidateQueries({ queryKey: trpc.quality.pathKey() });
  const finalize = useMutation(trpc.quality.finalize.mutationOptions({ onSuccess: done }));
  const release = useMutation(trpc.quality.release.mutationOptions({ onSuccess: done }));
  const error = finalize.error ?? release.error;
  const editable = data.status === 'in_review' || data.status === 'scored';
  return (
    <div className="panel" data-testid="evaluation-summary">
      <div className={styles.scoreLine}>
        <span className={styles.score} data-testid="evaluation-score">
          {data.preview.score === null ? '—' : data.preview.score.toFixed(1)}
        </span>
        <span className="muted">
          {editable ? 'score of the answers standing now' : 'final score'}
          {data.preview.failedCritical && <strong className="bad"> · a critical question failed</strong>}
        </span>
      </div>
      <p className="muted small">
        Form “{data.form.name}” version {data.form.version}. Automatic answers below {Math.round(data.form.reviewBelow * 100)}% confidence wait for a person.
      </p>
      {editable && (
        <div className="inline-form">
          <span className="muted" data-testid="open-answers">
            {open.length === 0 ? 'Every question is answered.' : `${open.length} to answer: ${open.map((q) => questionName(q.id)).join(', ')}`}
          </span>
          <button type="button" disabled={open.length > 0 || finalize.isPending} onClick={() => finalize.mutate({ evaluationId: data.id, release: false })}>
            Finalize
          </button>
          <button type="button" disabled={open.length > 0 || finalize.isPending} onClick={() => finalize.mutate({ evaluationId: data.id, release: true })}>
            Finalize and release to agent
          </button>
        </div>
      )}
      {data.status === 'finalized' && (
        <div className="inline-form">
          <span className="muted">Finalized {data.finalizedAt ? new Date(data.finalizedAt).toLocaleString() : ''}; the agent does not see it yet.</span>
          <button type="button" disabled={release.isPending} onClick={() => release.mutate({ evaluationId: data.id })}>
            Release to agent
          </button>
        </div>
      )}
      {data.status === 'released' && <p className="muted">Released to the agent {data.releasedAt ? new Date(data.releasedAt).toLocaleString() : ''}.</p>}
      {error && (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      )}
    </div>
  );
}

function Answer({
  data,
  question: q,
  active,
  onShow,
  mode,
}: {
  data: EvaluationView;
  question: ViewQuestion;
  active: boolean;
  onShow: (question: string, target: string | null) => void;
  mode: Mode;
}) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const [choice, setChoice] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const save = useMutation(
    trpc.quality.answer.mutationOptions({
      onSuccess: async () => {
        setChoice(null);
        setReason('');
        await client.invalidateQueries({ queryKey: trpc.quality.pathKey() });
      },
    }),
  );
  const editable = mode === 'analyst' && (data.status === 'in_review' || data.status === 'scored');
  const picked = choice ?? q.finalAnswer ?? q.machineAnswer;
  const disputes = data.disputes.filter((d) => d.questionId === q.id);
  const overriding = picked !== null && needsReason(q, picked);
  const submit = (answer: string) =>
    save.mutate({ evaluationId: data.id, answers: [{ questionId: q.id, answer, reason: needsReason(q, answer) ? reason : null }] });
  return (
    <article
      className={`${styles.answer} ${active ? styles.activeAnswer : ''}`}
      data-testid={`answer-${q.id}`}
      data-final={q.finalAnswer ?? ''}
      aria-current={active ? 'true' : undefined}
    >
      <header className={styles.answerHead}>
        <button type="button" className="ghost" onClick={() => onShow(q.id, q.evidence.map(evidenceTarget).find((t) => t !== null) ?? null)}>
          <strong>{q.text}</strong>
        </button>
        {q.critical && <span className="pill bad">critical</span>}
        {!q.shown && <span className="pill muted">not shown: its condition is not met</span>}
      </header>
      <dl className={styles.answerFacts}>
        <dt>Automatic</dt>
        <dd data-testid="machine-answer">
          {q.machineAnswer === null ? (
            <span className="muted">no rule answers this</span>
          ) : (
            <>
              {answerLabel(q.machineAnswer)} <span className="muted">· {Math.round((q.confidence ?? 0) * 100)}% sure</span>
              {q.needsReview && <span className="pill warning">needs review</span>}
            </>
          )}
        </dd>
        <dt>Final</dt>
        <dd data-testid="final-answer">
          {answerLabel(q.finalAnswer)}
          {q.overrideReason && <span className="muted"> · overridden: {q.overrideReason}</span>}
        </dd>
      </dl>
      {q.evidence.length > 0 && (
        <ul className={styles.chips} aria-label="Evidence">
          {q.evidence.map((e, i) => (
            <li key={i}>
              <button type="button" className={styles.chip} onClick={() => onShow(q.id, evidenceTarget(e))}>
                {describeEvidence(e, data)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {q.guidance && (
        <details>
          <summary className="muted small">Guidance</summary>
          <p className="small">{q.guidance}</p>
        </details>
      )}
      {editable && (
        <form
          className="inline-form"
          aria-label={`Answer ${questionName(q.id)}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (picked !== null) submit(picked);
          }}
        >
          <div role="radiogroup" aria-label="Answer" className="segmented">
            {q.values.map((v) => (
              <button key={v} type="button" role="radio" aria-checked={picked === v} className={picked === v ? 'on' : ''} onClick={() => setChoice(v)}>
                {answerLabel(v)}
              </button>
            ))}
          </div>
          {overriding && (
            <input
              aria-label="Reason for the override"
              placeholder="Why the automatic answer is wrong"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              maxLength={2000}
            />
          )}
          <button type="submit" disabled={picked === null || save.isPending || (overriding && reason.trim() === '')}>
            {overriding ? 'Override' : q.machineAnswer !== null && picked === q.machineAnswer ? 'Accept' : 'Save'}
          </button>
        </form>
      )}
      {save.error && (
        <p className="error" role="alert">
          {describeError(save.error)}
        </p>
      )}
      {disputes.map((d) => (
        <DisputeLine key={d.id} question={q} dispute={d} mode={mode} />
      ))}
      {mode === 'agent' && data.status !== 'in_review' && q.finalAnswer !== null && q.finalAnswer !== 'na' && !disputes.some((d) => d.status === 'open') && (
        <RaiseDispute data={data} question={q} />
      )}
    </article>
  );
}

/** The agent's side of the summary: the score, and acknowledging the evaluation. */
function AgentSummary({ data }: { data: EvaluationView }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const ack = useMutation(trpc.quality.acknowledge.mutationOptions({ onSuccess: () => client.invalidateQueries({ queryKey: trpc.quality.pathKey() }) }));
  return (
    <div className="panel" data-testid="evaluation-summary">
      <div className={styles.scoreLine}>
        <span className={styles.score} data-testid="evaluation-score">
          {data.preview.score === null ? '—' : data.preview.score.toFixed(1)}
        </span>
        <span className="muted">{data.preview.failedCritical ? <strong className="bad">a critical question failed</strong> : 'your score'}</span>
      </div>
      <p className="muted small">
        Click an answer to see the words it was based on. If you disagree with an answer, dispute it with a comment: a quality lead decides.
      </p>
      {data.acknowledgedAt ? (
        <p className="muted" data-testid="acknowledged">
          Acknowledged {new Date(data.acknowledgedAt).toLocaleString()}.
        </p>
      ) : (
        <button type="button" disabled={ack.isPending} onClick={() => ack.mutate({ evaluationId: data.id })}>
          Acknowledge
        </button>
      )}
      {ack.error && (
        <p className="error" role="alert">
          {describeError(ack.error)}
        </p>
      )}
    </div>
  );
}

function RaiseDispute({ data, question: q }: { data: EvaluationView; question: ViewQuestion }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const raise = useMutation(
    trpc.quality.dispute.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        setComment('');
        await client.invalidateQueries({ queryKey: trpc.quality.pathKey() });
      },
    }),
  );
  if (!open) {
    return (
      <button type="button" className="ghost" onClick={() => setOpen(true)}>
        Dispute this answer
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      aria-label={`Dispute ${questionName(q.id)}`}
      onSubmit={(e) => {
        e.preventDefault();
        raise.mutate({ evaluationId: data.id, disputes: [{ questionId: q.id, comment }] });
      }}
    >
      <input
        aria-label="What you disagree with"
        placeholder="What you disagree with, and why"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        required
        maxLength={2000}
      />
      <button type="submit" disabled={raise.isPending || comment.trim().length < 3}>
        Send dispute
      </button>
      <button type="button" className="ghost" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {raise.error && (
        <p className="error" role="alert">
          {describeError(raise.error)}
        </p>
      )}
    </form>
  );
}

/** A dispute under its answer: the agent's comment, and the decision — or, for a quality lead, the means to make it. */
function DisputeLine({ question: q, dispute: d, mode }: { question: ViewQuestion; dispute: EvaluationView['disputes'][number]; mode: Mode }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const lead = useSession().data?.qualityLead === true;
  const [answer, setAnswer] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const decide = useMutation(trpc.quality.decideDispute.mutationOptions({ onSuccess: () => client.invalidateQueries({ queryKey: trpc.quality.pathKey() }) }));
  return (
    <div className={styles.dispute} data-testid={`dispute-${q.id}`} data-status={d.status}>
      <p className="small">
        <strong>Disputed</strong> {new Date(d.createdAt).toLocaleDateString()}: “{d.comment}”
        {d.status === 'open' && d.escalatedAt && <span className="pill bad">escalated</span>}
        {d.status === 'open' && !d.escalatedAt && d.remindedAt && <span className="pill warning">leads reminded</span>}
      </p>
      {d.status !== 'open' && (
        <p className="small" data-testid="dispute-decision">
          {d.status === 'changed' ? `Changed from ${answerLabel(d.answerBefore)} to ${answerLabel(d.answerAfter)}` : `Upheld (${answerLabel(d.answerBefore)})`}:{' '}
          {d.decisionNote}
        </p>
      )}
      {d.status === 'open' && mode === 'analyst' && lead && (
        <form
          className="inline-form"
          aria-label={`Decide the dispute of ${questionName(q.id)}`}
          onSubmit={(e) => {
            e.preventDefault();
            decide.mutate({ disputeId: d.id, answer, note });
          }}
        >
          <div role="radiogroup" aria-label="Decision" className="segmented">
            <button type="button" role="radio" aria-checked={answer === null} className={answer === null ? 'on' : ''} onClick={() => setAnswer(null)}>
              Uphold {answerLabel(d.answerBefore)}
            </button>
            {q.values
              .filter((v) => v !== d.answerBefore)
              .map((v) => (
                <button key={v} type="button" role="radio" aria-checked={answer === v} className={answer === v ? 'on' : ''} onClick={() => setAnswer(v)}>
                  Change to {answerLabel(v)}
                </button>
              ))}
          </div>
          <input
            aria-label="Note for the agent"
            placeholder="Why, for the agent"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            required
            maxLength={2000}
          />
          <button type="submit" disabled={decide.isPending || note.trim().length < 3}>
            Decide
          </button>
          {decide.error && (
            <p className="error" role="alert">
              {describeError(decide.error)}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
