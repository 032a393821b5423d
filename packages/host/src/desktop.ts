import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventType, TelemetryEvent } from '@switchboard/contracts';
import { nextNudgeAt, nudgesFor, type LiveInteraction } from '@switchboard/quality';

/**
 * Pushes to agents' desktop panels (`GET /api/desktop/events`, Server-Sent Events): real-time nudges worked out here
 * from each live interaction's stored events (ingest tells the hub once a batch is stored, so a nudge never rests on
 * data that could still be lost), and "look again" notices when an agent's coaching, schedule or own state changed. State is
 * this process's memory: a restart forgets live interactions (their next event starts them again) and panels
 * reconnect on their own.
 */

export const DESKTOP_EVENTS_PATH = '/api/desktop/events';
/** The stored events the desktop follows (`stored`): ingest hands it no others. */
export const DESKTOP_EVENT_TYPES: readonly EventType[] = [
  'agent.state_changed',
  'interaction.answered',
  'transcript.segment',
  'interaction.held',
  'interaction.resumed',
  'interaction.ended',
];
const PING_MS = 15_000;
/** An interaction nothing was heard of for this long is forgotten: its nudges are moot. */
const IDLE_MS = 2 * 3_600_000;
const SWEEP_MS = 60_000;
/** Panels one agent may hold open at once (a desktop and a second screen, a reload in flight). */
const MAX_PANELS_PER_AGENT = 5;

interface Live {
  tenantId: string;
  agentKey: string | null;
  state: LiveInteraction;
  /** Nudge ids already pushed. */
  sent: Set<string>;
  timer: NodeJS.Timeout | null;
  seenAt: number;
}

export interface DesktopViewer {
  tenantId: string;
  agentKey: string;
}

type DesktopEvent = 'nudge' | 'coaching' | 'schedule';

export class DesktopHub {
  readonly #panels = new Map<string, Set<ServerResponse>>();
  readonly #live = new Map<string, Live>();
  readonly #sweep: NodeJS.Timeout;
  readonly #now: () => number;
  /** Nudges pushed and panels open, for /api/health and the bench. */
  readonly stats = { nudges: 0, panels: 0 };

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweep = setInterval(() => this.#forgetIdle(), SWEEP_MS).unref();
  }

  /** Holds the response open as an event stream for the agent's panel; 429 past the panels one agent may hold. */
  open(req: IncomingMessage, res: ServerResponse, viewer: DesktopViewer): void {
    const key = panelKey(viewer.tenantId, viewer.agentKey);
    const panels = this.#panels.get(key) ?? new Set();
    if (panels.size >= MAX_PANELS_PER_AGENT) {
      res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '30', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: 'too_many_panels', message: `at most ${MAX_PANELS_PER_AGENT} desktop panels per agent: close one` }));
      return;
    }
    this.#panels.set(key, panels);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies must pass each event on at once.
      'x-accel-buffering': 'no',
    });
    // A reconnecting panel waits 3 s, not the browser's default guess.
    res.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ agentKey: viewer.agentKey, serverTime: new Date(this.#now()).toISOString() })}\n\n`);
    panels.add(res);
    this.stats.panels++;
    const ping = setInterval(() => res.write(': ping\n\n'), PING_MS).unref();
    const close = () => {
      clearInterval(ping);
      if (!panels.delete(res)) return;
      this.stats.panels--;
      if (panels.size === 0) this.#panels.delete(key);
    };
    req.on('close', close);
    res.on('error', close);
  }

  /** Tells the agent's open panels something changed (or a nudge, with its data). */
  publish(tenantId: string, agentKey: string, event: DesktopEvent, data: object = {}): void {
    const panels = this.#panels.get(panelKey(tenantId, agentKey));
    if (!panels) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of panels) res.write(frame);
  }

  /** Events of one tenant just stored: the live interactions they belong to move on, and any nudge now due is pushed. */
  stored(tenantId: string, events: readonly TelemetryEvent[]): void {
    const touched = new Set<Live>();
    for (const event of events) {
      // The agent's own state changed: their panel's adherence now is out of date.
      if (event.type === 'agent.state_changed') this.publish(tenantId, event.agent_id, 'schedule');
      const live = this.#follow(tenantId, event);
      if (live) touched.add(live);
    }
    for (const live of touched) this.#check(live);
  }

  /** Every panel closed and every timer stopped (the host is stopping). */
  stop(): void {
    clearInterval(this.#sweep);
    for (const live of this.#live.values()) if (live.timer) clearTimeout(live.timer);
    this.#live.clear();
    for (const panels of this.#panels.values()) for (const res of panels) res.end();
    this.#panels.clear();
    this.stats.panels = 0;
  }

  #follow(tenantId: string, event: TelemetryEvent): Live | null {
    if (!('interaction_id' in event)) return null;
    const id = `${tenantId}:${event.interaction_id}`;
    const at = Date.parse(event.occurred_at);
    if (event.type === 'interaction.ended') {
      const ended = this.#live.get(id);
      if (ended?.timer) clearTimeout(ended.timer);
      this.#live.delete(id);
      return null;
    }
    // Only the types DESKTOP_EVENT_TYPES names reach here: one followed here must be listed there too.
    if (
      event.type !== 'interaction.answered' &&
      event.type !== 'transcript.segment' &&
      event.type !== 'interaction.held' &&
      event.type !== 'interaction.resumed'
    )
      return null;
    let live = this.#live.get(id);
    if (!live) {
      // Transcript times run from the answer; a segment first seen gives the start by its own offset.
      const startedAt = event.type === 'transcript.segment' ? at - event.end_ms : at;
      const channel = 'channel' in event ? event.channel : 'voice';
      live = {
        tenantId,
        agentKey: null,
        state: { interactionId: event.interaction_id, channel, segments: [], holds: [], startedAt },
        sent: new Set(),
        timer: null,
        seenAt: this.#now(),
      };
      this.#live.set(id, live);
    }
    live.seenAt = this.#now();
    if ('agent_id' in event && event.agent_id) live.agentKey = event.agent_id;
    const state = live.state;
    switch (event.type) {
      case 'interaction.answered':
        state.startedAt = at;
        break;
      case 'transcript.segment':
        // Segments may arrive out of order or twice: kept by index.
        state.segments[event.segment_index] = { speaker: event.speaker, start_ms: event.start_ms, end_ms: event.end_ms, text: event.text };
        break;
      case 'interaction.held':
        state.holds.push({ start_ms: at - state.startedAt, end_ms: null });
        break;
      case 'interaction.resumed': {
        const open = state.holds.findLast((h) => h.end_ms === null);
        if (open) open.end_ms = at - state.startedAt;
        break;
      }
    }
    return live;
  }

  /** Pushes the nudges due and not yet pushed, and sets the timer for the next one (an open hold reaching a minute). */
  #check(live: Live): void {
    if (live.timer) clearTimeout(live.timer);
    live.timer = null;
    if (!live.agentKey) return;
    const now = this.#now();
    // Nudges read the transcript in order: a gap (a segment still to come) waits for it.
    const state = { ...live.state, segments: contiguous(live.state.segments) };
    for (const nudge of nudgesFor(state, now)) {
      if (live.sent.has(nudge.id)) continue;
      live.sent.add(nudge.id);
      this.stats.nudges++;
      this.publish(live.tenantId, live.agentKey, 'nudge', {
        id: nudge.id,
        kind: nudge.kind,
        message: nudge.message,
        interactionId: live.state.interactionId,
        firesAt: nudge.firesAt,
      });
    }
    const next = nextNudgeAt(state, now);
    if (next !== null) live.timer = setTimeout(() => this.#check(live), Math.max(0, next - now)).unref();
  }

  #forgetIdle(): void {
    const before = this.#now() - IDLE_MS;
    for (const [id, live] of this.#live) {
      if (live.seenAt >= before) continue;
      if (live.timer) clearTimeout(live.timer);
      this.#live.delete(id);
    }
  }
}

const panelKey = (tenantId: string, agentKey: string) => `${tenantId}:${agentKey}`;

/** The segments from index 0 up to the first missing one. */
function contiguous<T>(segments: readonly (T | undefined)[]): T[] {
  const out: T[] = [];
  for (const s of segments) {
    if (s === undefined) break;
    out.push(s);
  }
  return out;
}
