import { createHash } from 'node:crypto';
import { validateEvent, type AgentState, type Channel, type TelemetryEvent } from '@switchboard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoCenter } from './demo-center.ts';
import { simulate, type SimulateOptions } from './simulate.ts';
import { getLocalMidnight, MINUTE_MS } from './time.ts';

const tz = demoCenter.timezone;
/** Friday 2024-05-10 and Saturday 2024-05-11: a busy weekday, a thin weekend day, and the step between. */
const friday = Date.UTC(2024, 4, 10) / 86_400_000;
const start = getLocalMidnight(tz, friday);
const end = getLocalMidnight(tz, friday + 2);

function hashStream(options: SimulateOptions): { hash: string; count: number } {
  const hash = createHash('sha256');
  let count = 0;
  for (const e of simulate(options)) {
    hash.update(JSON.stringify(e));
    hash.update('\n');
    count++;
  }
  return { hash: hash.digest('hex'), count };
}

describe('simulate: reproducibility', () => {
  const oneDay = { start, end: getLocalMidnight(tz, friday + 1) };

  it('gives byte-identical events for the same seed and different ones for another seed', () => {
    const a = hashStream({ seed: 7, ...oneDay });
    const b = hashStream({ seed: 7, ...oneDay });
    const c = hashStream({ seed: 8, ...oneDay });
    expect(a.count).toBeGreaterThan(50_000);
    expect(b).toEqual(a);
    expect(c.hash).not.toBe(a.hash);
  });

  it('is one endless stream: a window split in two gives the same events as the whole', () => {
    const cut = start + 14 * 60 * MINUTE_MS + 37_123;
    const whole = [...simulate({ seed: 3, start: start + 9 * 60 * MINUTE_MS, end: start + 19 * 60 * MINUTE_MS })].map((e) => JSON.stringify(e));
    const first = [...simulate({ seed: 3, start: start + 9 * 60 * MINUTE_MS, end: cut })];
    const second = [...simulate({ seed: 3, start: cut, end: start + 19 * 60 * MINUTE_MS })];
    expect(first.every((e) => Date.parse(e.occurred_at) < cut)).toBe(true);
    expect(second.every((e) => Date.parse(e.occurred_at) >= cut)).toBe(true);
    expect([...first, ...second].map((e) => JSON.stringify(e))).toEqual(whole);
  });

  it('rejects bad options with a clear message', () => {
    expect(() => simulate({ seed: 1.5, start }).next()).toThrow(/seed/);
    expect(() => simulate({ seed: 1, start, end: start }).next()).toThrow(/start/);
    expect(() => simulate({ seed: 1, start, staffingFactor: 2 }).next()).toThrow(/staffingFactor/);
  });
});

interface InteractionTrack {
  phase: 'bot' | 'escalated' | 'offered' | 'queued' | 'routed' | 'talking' | 'held' | 'transferring' | 'transferred' | 'ended' | 'done';
  queueId: string;
  channel?: Channel;
  intent?: string;
  toQueueId?: string;
  botStartedAt: number;
  botTurns: number;
  queuedAt: number;
  answeredAt: number;
  heldAt: number;
  holdMs: number;
  agentId: string;
  endedAt: number;
  segments: number;
  /** Conversation segments whose wrap-up has not ended yet, by agent. */
  wraps: Map<string, number>;
}

interface AgentTrack {
  state: AgentState;
  since: number;
  loggedIn: boolean;
  justLoggedIn: boolean;
  active: Map<string, Channel>;
}

/**
 * An understaffed center works its email backlog past midnight, so its window opens with
 * contacts and agents already in flight and may close before the backlog is done.
 */
const scenarios: { name: string; options: SimulateOptions; drainsByMidnight: boolean }[] = [
  { name: 'the demo center', options: { seed: 11, start, end }, drainsByMidnight: true },
  { name: 'an understaffed, busy center', options: { seed: 5, start, end, staffingFactor: 0.6, volumeFactor: 1.3 }, drainsByMidnight: false },
];

describe.each(scenarios)('simulate: a weekday and a weekend day of $name', ({ options, drainsByMidnight }) => {
  const events: TelemetryEvent[] = [];
  const failures: string[] = [];
  const interactions = new Map<string, InteractionTrack>();
  const agents = new Map<string, AgentTrack>();
  const concurrency = new Map(demoCenter.agents.map((a) => [a.id, a.chat_concurrency]));
  const intentQueue = new Map(demoCenter.intents.map((i) => [i.id, i.queue_id]));
  /** Interactions and agents already busy when the window opened: their history is cut, so they are not checked. */
  const inFlight = new Set<string>();

  function fail(e: TelemetryEvent, message: string): void {
    if (failures.length < 20) failures.push(`${e.occurred_at} ${e.type} ${'interaction_id' in e ? e.interaction_id : ''}: ${message}`);
  }

  function checkInteraction(e: TelemetryEvent, t: number): void {
    if (!('interaction_id' in e) || e.interaction_id === undefined || e.type === 'agent.state_changed') return;
    const id = e.interaction_id;
    let track = interactions.get(id);
    const opening = e.type === 'bot.session_started' || (e.type === 'interaction.offered' && !track);
    if (inFlight.has(id) || (!track && !opening)) {
      if (drainsByMidnight) fail(e, 'interaction did not start in the window');
      inFlight.add(id);
      return;
    }
    const expectPhase = (...phases: InteractionTrack['phase'][]) => {
      if (!track || !phases.includes(track.phase)) fail(e, `in phase ${track?.phase ?? 'none'}, expected ${phases.join('|')}`);
      return track!;
    };
    switch (e.type) {
      case 'bot.session_started':
        if (track) fail(e, 'bot session for a known interaction');
        track = {
          phase: 'bot',
          queueId: '',
          botStartedAt: t,
          botTurns: 0,
          queuedAt: 0,
          answeredAt: 0,
          heldAt: 0,
          holdMs: 0,
          agentId: '',
          endedAt: 0,
          segments: 0,
          wraps: new Map(),
        };
        interactions.set(id, track);
        return;
      case 'bot.turn':
        if (expectPhase('bot').botTurns++ !== e.turn_index) fail(e, 'turn index out of order');
        return;
      case 'bot.session_ended': {
        const tr = expectPhase('bot');
        if (e.turns !== tr.botTurns) fail(e, `turns ${e.turns} but ${tr.botTurns} turn events`);
        if (e.duration_ms !== t - tr.botStartedAt) fail(e, 'duration_ms does not match the session');
        tr.phase = e.outcome === 'escalated' ? 'escalated' : 'done';
        tr.intent = e.intent;
        tr.endedAt = t;
        return;
      }
      case 'interaction.offered':
        if (!track) {
          track = {
            phase: 'offered',
            queueId: e.queue_id,
            botStartedAt: 0,
            botTurns: 0,
            queuedAt: 0,
            answeredAt: 0,
            heldAt: 0,
            holdMs: 0,
            agentId: '',
            endedAt: 0,
            segments: 0,
            wraps: new Map(),
          };
          interactions.set(id, track);
          if (e.intent !== undefined) fail(e, 'intent on a contact that skipped the bot');
        } else if (track.phase === 'escalated') {
          if (t !== track.endedAt) fail(e, 'escalation not offered when the bot session ended');
          if (e.intent === undefined || intentQueue.get(e.intent) !== e.queue_id) fail(e, `offered to ${e.queue_id}, not the intent's queue`);
        } else if (track.phase === 'transferred') {
          if (t !== track.endedAt || e.queue_id !== track.toQueueId) fail(e, 'transfer not offered to the target queue at once');
        } else {
          fail(e, `offered in phase ${track.phase}`);
        }
        track.phase = 'offered';
        track.queueId = e.queue_id;
        track.channel = e.channel;
        return;
      case 'interaction.queued': {
        const tr = expectPhase('offered');
        tr.phase = 'queued';
        tr.queuedAt = t;
        return;
      }
      case 'interaction.abandoned': {
        const tr = expectPhase('queued');
        if (e.wait_ms !== t - tr.queuedAt) fail(e, 'abandon wait_ms is not the time in queue');
        if (e.channel === 'email') fail(e, 'email abandoned');
        tr.phase = 'done';
        return;
      }
      case 'interaction.routed': {
        const tr = expectPhase('queued');
        tr.phase = 'routed';
        tr.agentId = e.agent_id;
        return;
      }
      case 'interaction.answered': {
        const tr = expectPhase('routed');
        if (e.agent_id !== tr.agentId) fail(e, 'answered by another agent than routed to');
        if (e.wait_ms !== t - tr.queuedAt) fail(e, 'wait_ms is not answer time minus queue entry');
        tr.phase = 'talking';
        tr.answeredAt = t;
        tr.holdMs = 0;
        return;
      }
      case 'interaction.held':
        expectPhase('talking').phase = 'held';
        track!.heldAt = t;
        return;
      case 'interaction.resumed': {
        const tr = expectPhase('held');
        if (e.hold_ms !== t - tr.heldAt) fail(e, 'hold_ms does not match held → resumed');
        tr.holdMs += e.hold_ms;
        tr.phase = 'talking';
        return;
      }
      case 'interaction.transferred': {
        const tr = expectPhase('talking');
        if (e.to_queue_id === e.queue_id) fail(e, 'transfer to the same queue');
        tr.phase = 'transferring';
        tr.toQueueId = e.to_queue_id;
        return;
      }
      case 'interaction.ended': {
        const tr = expectPhase('talking', 'transferring');
        if (e.agent_id !== tr.agentId) fail(e, 'ended by another agent');
        if (e.talk_ms + e.hold_ms !== t - tr.answeredAt) fail(e, 'talk_ms + hold_ms is not ended − answered');
        if (e.hold_ms !== tr.holdMs) fail(e, 'hold_ms is not the sum of the holds');
        if ((e.disposition === 'transferred') !== (tr.phase === 'transferring')) fail(e, 'disposition and transfer disagree');
        tr.phase = tr.phase === 'transferring' ? 'transferred' : 'ended';
        tr.endedAt = t;
        tr.wraps.set(e.agent_id, t);
        return;
      }
      case 'transcript.segment': {
        const tr = expectPhase('ended', 'transferred');
        if (t !== tr.endedAt) fail(e, 'transcript not sent when the conversation ended');
        if (e.segment_index !== tr.segments++) fail(e, 'segment_index not sequential');
        if (e.end_ms > t - tr.answeredAt) fail(e, 'segment beyond the conversation');
        if ((e.speaker === 'agent') !== (e.agent_id === tr.agentId)) fail(e, 'agent_id on the wrong speaker');
        return;
      }
      case 'interaction.wrapup_ended': {
        const endedAt = track?.wraps.get(e.agent_id);
        if (endedAt === undefined) fail(e, 'wrap-up without a conversation');
        else if (e.wrapup_ms !== t - endedAt) fail(e, 'wrapup_ms is not wrap end − ended');
        track?.wraps.delete(e.agent_id);
        return;
      }
      case 'survey.response':
        if (track?.phase !== 'ended' || track.wraps.size > 0) fail(e, 'survey before the contact was handled');
        return;
    }
  }

  function checkAgent(e: TelemetryEvent, t: number): void {
    if (!('agent_id' in e) || e.agent_id === undefined) return;
    if (e.type !== 'agent.logged_in' && !agents.has(e.agent_id)) {
      if (drainsByMidnight) fail(e, 'agent was not logged in within the window');
      return;
    }
    if (e.type === 'interaction.routed' && inFlight.has(e.interaction_id)) return;
    if (e.type === 'interaction.routed' || e.type === 'interaction.wrapup_ended') {
      const a = agents.get(e.agent_id);
      if (!a) return fail(e, 'unknown agent');
      if (e.type === 'interaction.wrapup_ended') {
        a.active.delete(e.interaction_id);
        return;
      }
      if (!a.loggedIn || ['break', 'lunch', 'offline'].includes(a.state)) fail(e, `routed to an agent in ${a.state}`);
      const channels = [...a.active.values(), e.channel];
      const limit = e.channel === 'chat' ? concurrency.get(e.agent_id)! : 1;
      if (channels.length > limit || channels.some((c) => c !== e.channel)) fail(e, `agent over capacity: ${channels.join(',')}`);
      a.active.set(e.interaction_id, e.channel);
      return;
    }
    if (e.type === 'agent.logged_in') {
      const a = agents.get(e.agent_id) ?? { state: 'offline', since: t, loggedIn: false, justLoggedIn: false, active: new Map() };
      if (a.loggedIn) fail(e, 'logged in twice');
      a.loggedIn = true;
      a.justLoggedIn = true;
      agents.set(e.agent_id, a);
      return;
    }
    if (e.type === 'agent.logged_out') {
      const a = agents.get(e.agent_id);
      if (!a?.loggedIn || a.state !== 'offline') fail(e, 'logged out without going offline first');
      if (a) a.loggedIn = false;
      return;
    }
    if (e.type !== 'agent.state_changed') return;
    const a = agents.get(e.agent_id);
    if (!a?.loggedIn) return fail(e, 'state change while logged out');
    if (a.justLoggedIn) {
      if (e.previous_state !== undefined || e.state !== 'available') fail(e, 'first state after login must be available, without previous');
      a.justLoggedIn = false;
    } else {
      if (e.previous_state !== a.state) fail(e, `previous_state ${e.previous_state} but agent was ${a.state}`);
      if (e.previous_state_ms !== t - a.since) fail(e, 'previous_state_ms is not the time since the last change');
      if (e.state === e.previous_state) fail(e, 'state change to the same state');
    }
    if ((e.state === 'break' || e.state === 'lunch' || e.state === 'offline') && a.active.size > 0) fail(e, `${e.state} with work in progress`);
    if (e.state === 'on_interaction' && a.active.size === 0) fail(e, 'on_interaction without an interaction');
    a.state = e.state;
    a.since = t;
  }

  beforeAll(() => {
    let last = 0;
    const ids = new Set<string>();
    for (const e of simulate(options)) {
      events.push(e);
      const t = Date.parse(e.occurred_at);
      if (t < last) fail(e, 'out of occurred_at order');
      last = t;
      if (ids.has(e.event_id)) fail(e, 'duplicate event_id');
      ids.add(e.event_id);
      checkInteraction(e, t);
      checkAgent(e, t);
    }
  });

  it('validates every event against the open schema', () => {
    const invalid = events.map((e) => validateEvent(e)).filter((r) => !r.ok);
    expect(invalid.slice(0, 3)).toEqual([]);
    for (const e of events) {
      expect(e.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(e.sent_at).toBe(e.occurred_at);
      expect(e.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('orders each interaction correctly, with consistent durations, and each agent state with its previous state', () => {
    expect(failures).toEqual([]);
    expect(events.length).toBeGreaterThan(80_000);
  });

  it.runIf(drainsByMidnight)('completes every contact of the window and logs every agent out', () => {
    const open = [...interactions].filter(([, tr]) => !(tr.phase === 'done' || (tr.phase === 'ended' && tr.wraps.size === 0)));
    expect(open.slice(0, 3)).toEqual([]);
    expect([...agents].filter(([, a]) => a.loggedIn || a.active.size > 0)).toEqual([]);
  });
});

describe('simulate: what the demo center produces', () => {
  const demoEvents: TelemetryEvent[] = [];
  beforeAll(() => {
    for (const e of simulate({ seed: 11, start, end })) demoEvents.push(e);
  });

  it('covers the behaviours a wallboard needs', () => {
    const count = (predicate: (e: TelemetryEvent) => boolean) => demoEvents.filter(predicate).length;
    const bySession = (outcome: string) => count((e) => e.type === 'bot.session_ended' && e.outcome === outcome);
    expect(bySession('contained')).toBeGreaterThan(500);
    expect(bySession('escalated')).toBeGreaterThan(500);
    expect(bySession('abandoned')).toBeGreaterThan(50);
    const reasons = new Set(demoEvents.flatMap((e) => (e.type === 'bot.session_ended' && e.escalation_reason ? [e.escalation_reason] : [])));
    expect([...reasons].sort()).toEqual(['agent_requested', 'authentication_failed', 'low_confidence', 'policy']);
    expect(count((e) => e.type === 'interaction.transferred')).toBeGreaterThan(50);
    expect(count((e) => e.type === 'interaction.held')).toBeGreaterThan(500);
    expect(count((e) => e.type === 'interaction.abandoned')).toBeGreaterThan(20);
    for (const state of ['available', 'on_interaction', 'wrap_up', 'break', 'lunch', 'offline'] as const) {
      expect(
        count((e) => e.type === 'agent.state_changed' && e.state === state),
        state,
      ).toBeGreaterThan(0);
    }
    const routedChat = count((e) => e.type === 'interaction.routed' && e.channel === 'chat');
    expect(routedChat).toBeGreaterThan(300);
    const surveys = demoEvents.filter((e) => e.type === 'survey.response');
    const handled = count((e) => e.type === 'interaction.wrapup_ended');
    expect(surveys.length / handled).toBeGreaterThan(0.05);
    expect(surveys.length / handled).toBeLessThan(0.25);
    expect(surveys.some((s) => s.nps !== undefined)).toBe(true);
    const texts = demoEvents.flatMap((e) => (e.type === 'transcript.segment' ? [e.text] : []));
    expect(texts.some((t) => /\b\d{4} \d{4} \d{4} \d{4}\b/.test(t))).toBe(true);
    expect(texts.some((t) => /@example\.com/.test(t))).toBe(true);
    expect(texts.some((t) => /555[- ]\d{4}/.test(t))).toBe(true);
  });

  it('writes transcripts whose quality varies by call and by agent', () => {
    interface Leg {
      agentId: string;
      channel: Channel;
      answeredAt: number;
      heldAt: number;
      holds: { start_ms: number; end_ms: number }[];
      segments: { speaker: string; start_ms: number; end_ms: number; text: string }[];
    }
    const legs: Leg[] = [];
    const current = new Map<string, Leg>();
    for (const e of demoEvents) {
      const t = Date.parse(e.occurred_at);
      if (e.type === 'interaction.answered') {
        const leg = { agentId: e.agent_id, channel: e.channel, answeredAt: t, heldAt: 0, holds: [], segments: [] };
        legs.push(leg);
        current.set(e.interaction_id, leg);
      } else if (e.type === 'interaction.held') current.get(e.interaction_id)!.heldAt = t;
      else if (e.type === 'interaction.resumed') {
        const leg = current.get(e.interaction_id)!;
        leg.holds.push({ start_ms: leg.heldAt - leg.answeredAt, end_ms: t - leg.answeredAt });
      } else if (e.type === 'transcript.segment') current.get(e.interaction_id)!.segments.push(e);
    }
    const transcribed = legs.filter((l) => l.segments.length > 0);
    expect(transcribed.length).toBeGreaterThan(4000);

    // Segments follow each other and keep out of the holds.
    for (const { segments, holds } of transcribed) {
      segments.forEach((s, i) => {
        expect(s.start_ms).toBeGreaterThanOrEqual(i === 0 ? 0 : segments[i - 1]!.end_ms);
        expect(s.end_ms).toBeGreaterThanOrEqual(s.start_ms);
        expect(holds.every((h) => s.end_ms <= h.start_ms || s.start_ms >= h.end_ms)).toBe(true);
      });
    }

    const voice = transcribed.filter((l) => l.channel === 'voice');
    const noticed = (l: Leg) => l.segments.some((s) => s.speaker === 'agent' && /recorded|monitored/.test(s.text));
    const noticeShare = voice.filter(noticed).length / voice.length;
    expect(noticeShare).toBeGreaterThan(0.75);
    expect(noticeShare).toBeLessThan(0.98);

    // Most holds are announced in the last two turns before them.
    const holds = voice.flatMap((l) => l.holds.map((h) => l.segments.filter((s) => s.end_ms <= h.start_ms).slice(-2)));
    const announced = holds.filter((turns) => turns.some((s) => s.speaker === 'agent' && /on (a short )?hold|holding for|moment/.test(s.text))).length;
    expect(holds.length).toBeGreaterThan(500);
    expect(announced / holds.length).toBeGreaterThan(0.75);
    expect(announced / holds.length).toBeLessThan(0.98);

    // Each agent keeps their habits: some always give the notice, others often forget it.
    const byAgent = new Map<string, Leg[]>();
    for (const l of voice) byAgent.set(l.agentId, [...(byAgent.get(l.agentId) ?? []), l]);
    const shares = [...byAgent.values()].filter((l) => l.length >= 30).map((l) => l.filter(noticed).length / l.length);
    expect(shares.length).toBeGreaterThan(30);
    expect(Math.max(...shares)).toBeGreaterThan(0.97);
    expect(Math.min(...shares)).toBeLessThan(0.8);
  });

  it('has a weekday of 6–10k contacts and a much thinner weekend day', () => {
    const saturday = getLocalMidnight(tz, friday + 1);
    const contacts = (from: number, to: number) => {
      const seen = new Set<string>();
      for (const e of demoEvents) {
        const t = Date.parse(e.occurred_at);
        if (t >= from && t < to && (e.type === 'bot.session_started' || e.type === 'interaction.offered')) seen.add(e.interaction_id);
      }
      return seen.size;
    };
    const weekday = contacts(start, saturday);
    expect(weekday).toBeGreaterThan(6000);
    expect(weekday).toBeLessThan(10_000);
    expect(contacts(saturday, end)).toBeLessThan(weekday * 0.25);
  });
});
