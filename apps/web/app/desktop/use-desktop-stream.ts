'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import {
  addNudge,
  clockOffsetMs,
  connectionPlan,
  dismissNudge,
  emptyNudges,
  initialConnection,
  nextConnection,
  parseNudge,
  type ConnectionEvent,
} from './prepare';

/** What the host's pushes ask the panel to read again. */
export interface StreamHandlers {
  coaching: () => void;
  schedule: () => void;
  /** The stream is back after a gap: whatever was pushed meanwhile is lost, so everything pushed is read again. */
  resync: () => void;
}

function readJson(data: unknown): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(String(data));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The host's event stream for this agent: nudges, and pushes that say what to read again. On an error the panel
 * closes the stream itself and decides when to reopen it (the browser would not retry after a refused answer anyway);
 * after three errors in a row it polls and tries the stream again every 30 s.
 */
export function useDesktopStream(handlers: StreamHandlers) {
  const [connection, setConnection] = useState(initialConnection);
  const [nudges, setNudges] = useState(emptyNudges);
  const [offsetMs, setOffsetMs] = useState(0);
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    let conn = initialConnection;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const apply = (event: ConnectionEvent) => {
      conn = nextConnection(conn, event);
      setConnection(conn);
    };
    const open = () => {
      timer = undefined;
      if (stopped) return;
      const es = new EventSource('/api/desktop/events');
      source = es;
      es.onopen = () => apply({ type: 'open' });
      es.addEventListener('ready', (e) => {
        const missed = conn.missed;
        setOffsetMs(clockOffsetMs(readJson(e.data)?.serverTime, Date.now()));
        apply({ type: 'ready' });
        if (missed) latest.current.resync();
      });
      es.addEventListener('nudge', (e) => {
        const nudge = parseNudge(String(e.data));
        if (nudge) setNudges((list) => addNudge(list, nudge));
      });
      es.addEventListener('coaching', () => latest.current.coaching());
      es.addEventListener('schedule', () => latest.current.schedule());
      es.onerror = () => {
        es.close();
        if (source === es) source = null;
        apply({ type: 'error' });
        timer = setTimeout(open, connectionPlan(conn).reopenInMs);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, []);

  const dismiss = useCallback((id: string) => setNudges((list) => dismissNudge(list, id)), []);
  return { connection, nudges: nudges.shown, dismiss, offsetMs };
}

/** The time now, on the host's clock, moving every `everyMs`; each component that shows a running time ticks on its own. */
export function useNow(offsetMs: number, everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now + offsetMs;
}
