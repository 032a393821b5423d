'use client';

import { useRef, useState } from 'react';
import styles from './desktop.module.css';
import { connectionLabel, nudgeKindLabel, type Connection, type DesktopNudge } from './prepare';

/** The pushed nudges, newest first, in space reserved for three: a new one fills a slot, nothing below it moves. */
export function Nudges({ nudges, onDismiss }: { nudges: readonly DesktopNudge[]; onDismiss: (id: string) => void }) {
  const area = useRef<HTMLUListElement>(null);
  const dismiss = (id: string) => {
    onDismiss(id);
    // The focused button goes with its nudge: keep the keyboard in the area rather than back at the top of the page.
    area.current?.focus();
  };
  return (
    <ul ref={area} className={styles.nudges} data-testid="nudges" aria-live="polite" aria-label="Nudges" tabIndex={-1}>
      {nudges.length === 0 ? (
        <li className={styles.quiet} aria-hidden="true">
          No nudges. They appear here during a call.
        </li>
      ) : (
        nudges.map((n) => <NudgeItem key={n.id} nudge={n} onDismiss={dismiss} />)
      )}
    </ul>
  );
}

function NudgeItem({ nudge, onDismiss }: { nudge: DesktopNudge; onDismiss: (id: string) => void }) {
  // When it was first drawn: kept for the element's life (the benchmark reads it against firesAt).
  const [shownAt] = useState(() => Date.now());
  return (
    <li className={styles.nudge} data-testid="nudge" data-nudge-id={nudge.id} data-kind={nudge.kind} data-shown-at={shownAt}>
      <span className={styles.nudgeText} title={nudge.message}>
        <span className={styles.nudgeKind}>{nudgeKindLabel[nudge.kind]}</span>
        {nudge.message}
      </span>
      <button type="button" className={styles.dismiss} onClick={() => onDismiss(nudge.id)} aria-label={`Dismiss: ${nudge.message}`} title="Dismiss">
        ×
      </button>
    </li>
  );
}

/** Whether pushes arrive: live, reconnecting after an error, or polling after three in a row. */
export function ConnectionIndicator({ connection }: { connection: Connection }) {
  const label = connectionLabel(connection);
  return (
    <span
      className={styles.connection}
      data-testid="desktop-connection"
      data-state={connection.state}
      role="status"
      title={connection.state === 'polling' ? 'Updates are read every 10 s; the live connection is tried again every 30 s.' : undefined}
    >
      <i aria-hidden="true" />
      {label}
    </span>
  );
}
