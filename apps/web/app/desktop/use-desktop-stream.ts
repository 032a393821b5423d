'use client';

import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';
import { useCallback, useEffect, useRef, useState } from 'react';
import { panelAuthorization } from '../lib/panel-token';
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

function readJson(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The host's event stream for this agent: nudges, and pushes that say what to read again. Read with fetch rather
 * than EventSource, which cannot send the embedded panel's bearer token. On an error the panel decides when to
 * reopen the stream; after three errors in a row it polls and tries the stream again every 30 s.
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = new AbortController();
    const apply = (event: ConnectionEvent) => {
      conn = nextConnection(conn, event);
      setConnection(conn);
    };
    const handle = (message: EventSourceMessage) => {
      if (message.event === 'ready') {
        const missed = conn.missed;
        setOffsetMs(clockOffsetMs(readJson(message.data)?.serverTime, Date.now()));
        apply({ type: 'ready' });
        if (missed) latest.current.resync();
      } else if (message.event === 'nudge') {
        const nudge = parseNudge(message.data);
        if (nudge) setNudges((list) => addNudge(list, nudge));
      } else if (message.event === 'coaching') latest.current.coaching();
      else if (message.event === 'schedule') latest.current.schedule();
    };
    const open = async () => {
      timer = undefined;
      try {
        const res = await fetch('/api/desktop/events', { headers: { accept: 'text/event-stream', ...panelAuthorization() }, signal: stop.signal });
        if (!res.ok || !res.body) throw new Error(`the stream answered ${res.status}`);
        apply({ type: 'open' });
        const reader = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
        for (let next = await reader.read(); !next.done; next = await reader.read()) handle(next.value);
      } catch {
        // An abort is the page leaving; anything else (a refusal, the host gone) is retried below.
      }
      if (stop.signal.aborted) return;
      apply({ type: 'error' });
      timer = setTimeout(() => void open(), connectionPlan(conn).reopenInMs);
    };
    void open();
    return () => {
      stop.abort();
      clearTimeout(timer);
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
