import { SCHEMA_VERSION, type AgentState, type EventOf, type Source, type TelemetryEvent } from '@switchboard/contracts';
import { ArrivalStream, getArrivalsEnd, getDayRates } from './arrivals.ts';
import { createConversation, createSurveyAnswer, type SurveyAnswer } from './content.ts';
import { EventHeap } from './heap.ts';
import type { AgentModel, CenterModel, IntentModel, QueueModel } from './model.ts';
import { chance, createRng, exponential, forkRng, integer, lognormal, pick, pickWeighted, uniform, uuid, type Rng } from './rng.ts';
import {
  drawOutage,
  planScheduledShift,
  type AuxState,
  type Deviations,
  type Outage,
  type ScheduleActivity,
  type ScheduleBook,
  type ScheduledAux,
} from './schedule.ts';
import { getLocalDate, getLocalDay, getLocalMidnight, getWeekday, IsoFormatter, MINUTE_MS } from './time.ts';
import type { TrafficConfig } from './traffic.ts';

export interface EngineOptions {
  model: CenterModel;
  traffic: TrafficConfig;
  seed: number;
  start: number;
  end: number;
  volumeFactor: number;
  /** Published schedules: an agent with activities on a day follows them instead of the configured shift. */
  schedule: ScheduleBook | null;
  deviations: Deviations;
}

/** Room for this many scheduled entries per day in the (time, order) tie-break. */
const ORDERS_PER_DAY = 1e9;
/** Nobody waits longer than this in a live channel, so a day always winds down. */
const MAX_PATIENCE_MS = 45 * MINUTE_MS;
/** An agent due to leave but keeping an email queue covered looks again this often. */
const STAY_RECHECK_MS = 5 * MINUTE_MS;
/**
 * Overtime never exceeds this, so an agent's day always ends long before its next shift
 * (shifts are at most 16 h) and two days never hold the same agent at once.
 */
const MAX_OVERTIME_MS = 3 * 60 * MINUTE_MS;
const ABSENCE_PROBABILITY = 0.04;

/** Random-stream purposes under (seed, day): keeps each concern's draws independent of the others. */
const STREAM = { ids: 1, arrivals: 2, agents: 3, outage: 4 } as const;

const escalationReasons = ['agent_requested', 'low_confidence', 'authentication_failed', 'policy'] as const;
const escalationWeights = [0.45, 0.25, 0.15, 0.15];
const dispositions = ['resolved', 'follow_up', 'callback_scheduled', 'not_resolved'] as const;
const dispositionWeights = [0.8, 0.11, 0.05, 0.04];

type BotOutcome = 'contained' | 'escalated' | 'abandoned';
type RoutingReason = 'longest_idle' | 'skill_match' | 'transfer';

/** A break of the configured shift; `until` tells it from a scheduled activity. */
interface ShiftBreak {
  kind: 'break' | 'lunch';
  minutes: number;
  until?: undefined;
}
type PlannedBreak = ShiftBreak | ScheduledAux;

const reasonOf = (plan: PlannedBreak) => (plan.until === undefined ? (plan.kind === 'break' ? 'scheduled_break' : 'lunch') : plan.reason);

/** Where a conversation segment left its agent: wrap-up ends later, possibly after a transfer moved the contact on. */
interface WrapUp {
  contact: Contact;
  queue: QueueModel;
  endedAt: number;
  final: boolean;
  resolved: boolean;
  waitRatio: number;
}

type Entry =
  | { time: number; order: number; kind: 'day'; dayNumber: number }
  | { time: number; order: number; kind: 'arrival'; day: Day; queue: QueueRuntime; stream: ArrivalStream; rng: Rng }
  | { time: number; order: number; kind: 'bot-turn' | 'bot-end' | 'answer' | 'phase'; day: Day; contact: Contact }
  | { time: number; order: number; kind: 'abandon'; day: Day; contact: Contact; token: number }
  | { time: number; order: number; kind: 'wrap'; day: Day; agent: AgentRuntime; wrap: WrapUp }
  | { time: number; order: number; kind: 'survey'; day: Day; contact: Contact; queue: QueueModel; agentId: string; answer: SurveyAnswer }
  | { time: number; order: number; kind: 'login' | 'shift-end' | 'stay-check'; day: Day; agent: AgentRuntime }
  | { time: number; order: number; kind: 'break'; day: Day; agent: AgentRuntime; plan: ShiftBreak }
  | { time: number; order: number; kind: 'aux'; day: Day; agent: AgentRuntime; plan: ScheduledAux }
  | { time: number; order: number; kind: 'break-end'; day: Day; agent: AgentRuntime; token: number };

type DayEntry = Exclude<Entry, { kind: 'day' }>;
/** An entry as a day schedules it; the day adds when, the tie-break order and itself. */
type Schedulable = DayEntry extends infer E ? (E extends DayEntry ? Omit<E, 'time' | 'order' | 'day'> : never) : never;

class QueueRuntime {
  readonly waiting: Contact[] = [];
  head = 0;
  count = 0;
  readonly agents: AgentRuntime[] = [];
  arrivalsEnd = 0;

  constructor(readonly model: QueueModel) {}

  /** Oldest contact still waiting (abandoned and routed ones are skipped lazily). */
  peek(): Contact | undefined {
    const waiting = this.waiting;
    while (this.head < waiting.length && !waiting[this.head]!.waiting) this.head++;
    if (this.head > 1024 && this.head * 2 > waiting.length) {
      waiting.splice(0, this.head);
      this.head = 0;
    }
    return waiting[this.head];
  }
}

class AgentRuntime {
  loggedIn = false;
  /** Past shift end: logs out once free, unless it must keep an email queue covered. */
  leaving = false;
  state: AgentState = 'offline';
  stateSince = 0;
  /** Interactions holding a slot: routed, in conversation or in wrap-up. */
  busy = 0;
  talking = 0;
  wrapping = 0;
  /** Whether the current work is voice/email, which admits nothing else. */
  exclusive = false;
  aux: AuxState | null = null;
  auxToken = 0;
  /** A break that fell due mid-contact (or a scheduled activity before log-in or during another): taken once the agent is free. */
  pending: PlannedBreak | null = null;
  /** Logged in at least once: a changed schedule no longer re-plans the agent's day. */
  started = false;
  /** Re-planned away before logging in: its entries do nothing. */
  cancelled = false;
  /** The agent's earlier session of the same day (a split shift), which must have logged out first. */
  previous: AgentRuntime | null = null;
  /** Last time the agent's load changed; the longest-idle agent wins a contact. */
  lastChange = 0;
  readonly queues: QueueRuntime[] = [];

  constructor(
    readonly model: AgentModel,
    readonly rng: Rng,
    readonly loginAt: number,
    /** The latest log-out, however much email is left. */
    readonly leaveBy: number,
  ) {}
}

class Contact {
  waiting = false;
  /** Bumped whenever the contact leaves a queue, so a stale abandon entry is ignored. */
  token = 0;
  enqueuedAt = 0;
  answeredWait = 0;
  routingReason: RoutingReason = 'longest_idle';
  agent: AgentRuntime | null = null;
  /** Alternating talk and hold durations of the current conversation, talk first and last. */
  phases: number[] = [];
  phase = 0;
  heldAt = 0;
  talkMs = 0;
  holdMs = 0;
  transferred = false;
  /**
   * The agent still wrapping up the segment before a transfer: it cannot take the contact
   * again until done, so an (interaction, agent) pair never has two open segments.
   */
  wrapAgent: AgentRuntime | null = null;
  segments = 0;
  intent: IntentModel | null = null;
  botOutcome: BotOutcome = 'escalated';
  escalationReason: (typeof escalationReasons)[number] = 'agent_requested';
  botTurns = 0;
  botTurn = 0;
  botStartedAt = 0;
  recognised = false;

  constructor(
    readonly id: string,
    readonly rng: Rng,
    public queue: QueueRuntime,
    readonly customerRef: string,
    readonly topic: string,
  ) {}
}

/**
 * The whole simulation: a future event list shared by independent local days. Each day
 * draws from streams keyed by (seed, day) and shares no state with other days, and a day
 * ends before the next one ends (shifts ≤ 16 h, overtime ≤ 3 h), so starting one day
 * before the window captures everything: any window is the same slice of one endless
 * stream, and simulate(a, c) equals simulate(a, b) followed by simulate(b, c).
 */
export class Simulation {
  readonly heap = new EventHeap<Entry>();
  readonly out: TelemetryEvent[] = [];
  readonly iso = new IsoFormatter();
  /** The time of the last entry handled (or the clock `advanceTo` was given): nothing is scheduled before it. */
  #now: number;
  /** The days that may still have agents to log in: today and, for a late log-in after midnight, yesterday. */
  readonly #days: Day[] = [];
  #scheduleVersion: number;

  constructor(readonly options: EngineOptions) {
    const { model, start } = options;
    // The day before may still be winding down (late shifts, email backlog) when the window opens.
    const first = getLocalDay(model.timezone, start) - 1;
    this.#now = getLocalMidnight(model.timezone, first);
    this.#scheduleVersion = options.schedule?.version ?? 0;
    this.heap.push({ time: this.#now, order: first * ORDERS_PER_DAY, kind: 'day', dayNumber: first });
  }

  /** Handles the next scheduled entry; false once the window is over. */
  step(): boolean {
    return this.#stepBefore(this.options.end);
  }

  /** Handles every entry before `time` and returns the events they made: a live run's clock. */
  advanceTo(time: number): TelemetryEvent[] {
    const limit = Math.min(time, this.options.end);
    while (this.#stepBefore(limit));
    this.#now = Math.max(this.#now, limit);
    return this.out.splice(0);
  }

  #stepBefore(limit: number): boolean {
    this.#followScheduleChanges();
    const entry = this.heap.peek();
    if (entry === undefined || entry.time >= limit) return false;
    this.heap.pop();
    this.#now = entry.time;
    if (entry.kind === 'day') {
      const next = entry.dayNumber + 1;
      this.heap.push({ time: getLocalMidnight(this.options.model.timezone, next), order: next * ORDERS_PER_DAY, kind: 'day', dayNumber: next });
      const day = new Day(this, entry.dayNumber, entry.time);
      this.#days.push(day);
      if (this.#days.length > 2) this.#days.shift();
      day.open();
    } else {
      entry.day.handle(entry);
    }
    return true;
  }

  /** A schedule published (or changed) during a live run is followed from now by the agents who have not begun their day. */
  #followScheduleChanges(): void {
    const book = this.options.schedule;
    if (book === null || book.version === this.#scheduleVersion) return;
    this.#scheduleVersion = book.version;
    for (const day of this.#days) day.replan(book, this.#now);
  }
}

/** One local day of the center: its arrivals, the agents working it, and everything they do. */
class Day {
  readonly weekday: number;
  /** The local date, as schedules name shift dates. */
  readonly date: string;
  readonly queues: QueueRuntime[];
  readonly agents: AgentRuntime[] = [];
  readonly #ids: Rng;
  /** What each agent's day was planned from, and the sessions planned. */
  readonly #plans = new Map<AgentModel, { activities: readonly ScheduleActivity[]; runtimes: AgentRuntime[] }>();
  #outage: Outage | null = null;
  #order: number;
  now: number;
  #muted: boolean;

  constructor(
    readonly sim: Simulation,
    readonly number: number,
    readonly midnight: number,
  ) {
    this.weekday = getWeekday(number);
    this.date = getLocalDate(number);
    this.#ids = createRng(sim.options.seed, number, STREAM.ids);
    this.#order = number * ORDERS_PER_DAY + 1;
    this.now = midnight;
    this.#muted = midnight < sim.options.start;
    this.queues = sim.options.model.queues.map((q) => new QueueRuntime(q));
  }

  open(): void {
    const { model, traffic, seed, volumeFactor, schedule, deviations } = this.sim.options;
    const dayFactor = traffic.day_factors[this.weekday]!;
    for (const queue of this.queues) {
      const rates = getDayRates(queue.model.traffic.daily_volume * volumeFactor, this.weekday, this.midnight, dayFactor);
      queue.arrivalsEnd = getArrivalsEnd(rates);
      const rng = createRng(seed, this.number, STREAM.arrivals, queue.model.index);
      const stream = new ArrivalStream(rates, rng);
      const first = stream.next();
      if (first !== undefined) this.#schedule(Math.floor(first), { kind: 'arrival', queue, stream, rng });
    }
    if (schedule !== null) {
      const teams = [...new Set(model.agents.map((a) => a.config.team_id))];
      this.#outage = drawOutage(createRng(seed, this.number, STREAM.outage), teams, this.midnight, deviations);
    }
    for (const agent of model.agents) this.#plan(agent, this.midnight, schedule);
  }

  /** Re-plans, from `floor` on, the agents whose activities changed and who have not logged in yet. */
  replan(book: ScheduleBook, floor: number): void {
    for (const model of this.sim.options.model.agents) {
      const planned = this.#plans.get(model);
      if (!planned || book.activitiesOf(this.date, model.config.id) === planned.activities) continue;
      if (planned.runtimes.some((r) => r.started)) continue;
      for (const agent of planned.runtimes) {
        agent.cancelled = true;
        for (const queue of agent.queues) queue.agents.splice(queue.agents.indexOf(agent), 1);
      }
      this.#plan(model, floor, book);
    }
  }

  /** Nothing is planned before `floor`: the day's midnight when it opens, the current time when re-planned. */
  #plan(model: AgentModel, floor: number, schedule: ScheduleBook | null): void {
    const activities = schedule?.activitiesOf(this.date, model.config.id) ?? [];
    const runtimes = activities.length > 0 ? this.#planScheduled(model, activities, floor) : this.#planShift(model, floor);
    this.#plans.set(model, { activities, runtimes });
  }

  #planShift(model: AgentModel, floor: number): AgentRuntime[] {
    const { shift } = model.config;
    if (!shift.weekdays.includes(this.weekday)) return [];
    // One stream per agent and day: removing other agents never changes this agent's day.
    const rng = createRng(this.sim.options.seed, this.number, STREAM.agents, model.index);
    if (chance(rng, ABSENCE_PROBABILITY)) return [];
    const shiftStart = this.midnight + shift.start_minute * MINUTE_MS;
    const loginAt = Math.max(floor, shiftStart + integer(rng, -240, 150) * 1000);
    const shiftEnd = shiftStart + shift.length_minutes * MINUTE_MS + integer(rng, 0, 150) * 1000;
    // A shift over before a re-plan is not worked at all.
    if (shiftEnd <= floor) return [];
    const logoutAt = Math.max(loginAt + 1, shiftEnd);
    const agent = this.#addAgent(model, rng, loginAt, logoutAt + MAX_OVERTIME_MS);
    for (const b of shift.breaks) {
      if (b.offset_minutes >= shift.length_minutes) continue;
      const due = shiftStart + b.offset_minutes * MINUTE_MS + integer(rng, 0, 180) * 1000;
      if (due >= floor) this.#schedule(due, { kind: 'break', agent, plan: { kind: b.kind, minutes: b.minutes } });
    }
    this.#schedule(logoutAt, { kind: 'shift-end', agent });
    return [agent];
  }

  /** The agent's published activities of the day, with the deviations people make; one runtime per session. */
  #planScheduled(model: AgentModel, activities: readonly ScheduleActivity[], floor: number): AgentRuntime[] {
    const rng = createRng(this.sim.options.seed, this.number, STREAM.agents, model.index);
    const { sessions } = planScheduledShift(activities, rng, this.sim.options.deviations);
    const runtimes: AgentRuntime[] = [];
    sessions.forEach((session, i) => {
      const loginAt = Math.max(floor, session.loginAt);
      // A session over before a re-plan is not worked at all.
      if (session.logoutAt <= loginAt) return;
      // Overtime never runs into the agent's next session.
      const next = sessions[i + 1];
      const leaveBy = Math.min(session.logoutAt + MAX_OVERTIME_MS, next === undefined ? Infinity : next.loginAt - MINUTE_MS);
      const agent = this.#addAgent(model, rng, loginAt, leaveBy);
      agent.previous = runtimes.at(-1) ?? null;
      runtimes.push(agent);
      for (const { at, plan } of session.aux) if (plan.until > floor) this.#schedule(Math.max(floor, at), { kind: 'aux', agent, plan });
      const outage = this.#outage;
      if (outage?.teamId === model.config.team_id && loginAt < outage.end && session.logoutAt > outage.start && outage.end > floor) {
        const plan: ScheduledAux = {
          kind: 'meeting',
          reason: 'system_outage',
          minutes: (outage.end - outage.start) / MINUTE_MS,
          until: outage.end,
          fixed: true,
          overrunMs: 0,
        };
        this.#schedule(Math.max(floor, outage.start), { kind: 'aux', agent, plan });
      }
      this.#schedule(session.logoutAt, { kind: 'shift-end', agent });
    });
    return runtimes;
  }

  #addAgent(model: AgentModel, rng: Rng, loginAt: number, leaveBy: number): AgentRuntime {
    const agent = new AgentRuntime(model, rng, loginAt, leaveBy);
    this.agents.push(agent);
    for (const q of model.queues) {
      const queue = this.queues[q.index]!;
      queue.agents.push(agent);
      agent.queues.push(queue);
    }
    this.#schedule(loginAt, { kind: 'login', agent });
    return agent;
  }

  #schedule(time: number, entry: Schedulable): void {
    // Completing the caller's literal in place: a spread copy per entry was the hot spot.
    const scheduled = entry as Partial<DayEntry> as DayEntry;
    scheduled.time = time;
    scheduled.order = this.#order++;
    scheduled.day = this;
    this.sim.heap.push(scheduled);
  }

  handle(entry: DayEntry): void {
    this.now = entry.time;
    this.#muted = entry.time < this.sim.options.start;
    switch (entry.kind) {
      case 'arrival':
        return this.#arrive(entry.queue, entry.stream, entry.rng);
      case 'bot-turn':
        return this.#botTurn(entry.contact);
      case 'bot-end':
        return this.#botEnd(entry.contact);
      case 'abandon':
        return this.#abandon(entry.contact, entry.token);
      case 'answer':
        return this.#answer(entry.contact);
      case 'phase':
        return this.#nextPhase(entry.contact);
      case 'wrap':
        return this.#endWrap(entry.agent, entry.wrap);
      case 'survey':
        return this.#emitSurvey(entry.contact, entry.queue, entry.agentId, entry.answer);
      case 'login':
        return this.#login(entry.agent);
      case 'shift-end':
        return this.#endShift(entry.agent);
      case 'stay-check':
        return this.#tryLogout(entry.agent);
      case 'break':
        return this.#breakDue(entry.agent, entry.plan);
      case 'aux':
        return this.#auxDue(entry.agent, entry.plan);
      case 'break-end':
        return this.#endBreak(entry.agent, entry.token);
    }
  }

  // ── contacts ────────────────────────────────────────────────────────────────

  #arrive(queue: QueueRuntime, stream: ArrivalStream, streamRng: Rng): void {
    // Each contact gets its own stream, so its patience and handle times do not depend on routing.
    const rng = forkRng(streamRng);
    const next = stream.next();
    if (next !== undefined) this.#schedule(Math.max(this.now, Math.floor(next)), { kind: 'arrival', queue, stream, rng: streamRng });

    const { traffic, intents, intentWeights } = queue.model;
    const id = uuid(rng);
    const customerRef = `cust-${integer(rng, 100_000, 999_999)}`;
    if (intents.length > 0 && chance(rng, traffic.bot_share)) {
      const intent = intents[pickWeighted(rng, intentWeights)]!;
      const contact = new Contact(id, rng, queue, customerRef, intent.topic);
      contact.intent = intent;
      this.#startBot(contact);
    } else {
      this.#offer(new Contact(id, rng, queue, customerRef, pick(rng, traffic.topics)), queue, 'longest_idle');
    }
  }

  #startBot(c: Contact): void {
    const { containment, abandonment } = c.intent!.traffic;
    const u = uniform(c.rng);
    c.botOutcome = u < containment ? 'contained' : u < containment + abandonment ? 'abandoned' : 'escalated';
    c.escalationReason = escalationReasons[pickWeighted(c.rng, escalationWeights)]!;
    c.botTurns = c.botOutcome === 'contained' ? integer(c.rng, 2, 4) : integer(c.rng, 1, 3);
    c.botStartedAt = this.now;
    this.#emitBot(c, 'bot.session_started');
    this.#schedule(this.now + this.#turnTime(c), { kind: 'bot-turn', contact: c });
  }

  #turnTime(c: Contact): number {
    return Math.round(Math.max(3000, lognormal(c.rng, 14_000, 0.45)));
  }

  #botTurn(c: Contact): void {
    const index = c.botTurn++;
    const last = c.botTurn === c.botTurns;
    let intent = c.intent!.config.id;
    let confidence: number;
    if (index === 0 && !last && chance(c.rng, 0.2)) {
      // The customer's first words often match nothing; the bot asks again.
      intent = 'unknown';
      confidence = 0.1 + 0.3 * uniform(c.rng);
    } else if (last && c.botOutcome === 'escalated' && c.escalationReason === 'low_confidence') {
      confidence = 0.2 + 0.29 * uniform(c.rng);
    } else {
      confidence = 0.62 + 0.37 * uniform(c.rng);
    }
    if (intent !== 'unknown') c.recognised = true;
    this.#emitTurn(c, index, intent, Math.round(confidence * 1000) / 1000);
    const delay = last ? Math.round(1000 + 4000 * uniform(c.rng)) : this.#turnTime(c);
    this.#schedule(this.now + delay, { kind: last ? 'bot-end' : 'bot-turn', contact: c });
  }

  #botEnd(c: Contact): void {
    this.#emitBotEnd(c);
    if (c.botOutcome === 'escalated') this.#offer(c, c.queue, 'longest_idle');
  }

  #offer(c: Contact, queue: QueueRuntime, reason: RoutingReason): void {
    c.queue = queue;
    c.enqueuedAt = this.now;
    c.routingReason = reason;
    this.#emitOffered(c);
    this.#emitQueued(c);
    const mean = queue.model.patienceMeanMs;
    const patience = mean === null ? null : Math.min(MAX_PATIENCE_MS, Math.round(exponential(c.rng, mean)));
    const agent = this.#pickAgent(queue, c);
    if (agent) {
      this.#route(c, agent);
      return;
    }
    c.waiting = true;
    queue.waiting.push(c);
    queue.count++;
    if (patience !== null) this.#schedule(this.now + patience, { kind: 'abandon', contact: c, token: c.token });
  }

  #abandon(c: Contact, token: number): void {
    if (!c.waiting || c.token !== token) return;
    c.waiting = false;
    c.token++;
    c.queue.count--;
    this.#emitAbandoned(c);
  }

  /** Longest-idle eligible agent; for chat, the least loaded first. */
  #pickAgent(queue: QueueRuntime, c: Contact): AgentRuntime | null {
    let best: AgentRuntime | null = null;
    for (const a of queue.agents) {
      if (a === c.wrapAgent || !this.#canTake(a, queue)) continue;
      if (best === null || a.busy < best.busy || (a.busy === best.busy && a.lastChange < best.lastChange)) best = a;
    }
    return best;
  }

  #canTake(a: AgentRuntime, queue: QueueRuntime): boolean {
    if (!a.loggedIn || a.aux !== null || a.pending !== null) return false;
    if (a.leaving && queue.model.patienceMeanMs !== null) return false;
    if (a.busy === 0) return true;
    return queue.model.config.channel === 'chat' && !a.exclusive && a.busy < a.model.config.chat_concurrency;
  }

  #route(c: Contact, agent: AgentRuntime): void {
    if (c.waiting) {
      c.waiting = false;
      c.token++;
      c.queue.count--;
    }
    const channel = c.queue.model.config.channel;
    agent.busy++;
    agent.talking++;
    agent.exclusive = channel !== 'chat';
    agent.lastChange = this.now;
    c.agent = agent;
    this.#emitRouted(c, agent);
    this.#refresh(agent, c.id);
    // Ringing / accepting takes a few seconds; it counts as waiting, as in any ACD.
    const ring = channel === 'voice' ? 2000 + lognormal(c.rng, 3500, 0.4) : lognormal(c.rng, 5000, 0.5);
    this.#schedule(this.now + Math.round(ring), { kind: 'answer', contact: c });
  }

  #answer(c: Contact): void {
    const agent = c.agent!;
    const { traffic, index } = c.queue.model;
    c.answeredWait = this.now - c.enqueuedAt;
    this.#emitAnswered(c, agent);
    const speed = agent.model.speed.get(index) ?? 1;
    const minTalk = c.queue.model.config.channel === 'voice' ? 15_000 : 45_000;
    const talk = Math.round(Math.max(minTalk, lognormal(c.rng, traffic.talk.median_s * 1000 * speed, traffic.talk.sigma)));
    const holds = traffic.hold_probability > 0 && chance(c.rng, traffic.hold_probability) ? (chance(c.rng, 0.2) ? 2 : 1) : 0;
    // Cut the talk time at random points and put a hold in each cut.
    const cuts = Array.from({ length: holds }, () => Math.round(talk * (0.15 + 0.7 * uniform(c.rng)))).sort((a, b) => a - b);
    const phases: number[] = [];
    let previous = 0;
    for (const cut of cuts) {
      phases.push(cut - previous, Math.round(Math.max(5000, lognormal(c.rng, traffic.hold.median_s * 1000, traffic.hold.sigma))));
      previous = cut;
    }
    phases.push(talk - previous);
    c.phases = phases;
    c.phase = 0;
    c.talkMs = talk;
    c.holdMs = 0;
    this.#schedule(this.now + phases[0]!, { kind: 'phase', contact: c });
  }

  #nextPhase(c: Contact): void {
    c.phase++;
    if (c.phase >= c.phases.length) return this.#endConversation(c);
    if (c.phase % 2 === 1) {
      c.heldAt = this.now;
      this.#emitHeld(c);
    } else {
      c.holdMs += this.now - c.heldAt;
      this.#emitResumed(c, this.now - c.heldAt);
    }
    this.#schedule(this.now + c.phases[c.phase]!, { kind: 'phase', contact: c });
  }

  #endConversation(c: Contact): void {
    const agent = c.agent!;
    const queue = c.queue.model;
    const { traffic } = queue;
    const transfer =
      !c.transferred && queue.transferTargets.length > 0 && chance(c.rng, traffic.transfer_probability) ? pick(c.rng, queue.transferTargets) : null;
    const disposition = transfer ? 'transferred' : dispositions[pickWeighted(c.rng, dispositionWeights)]!;
    if (transfer) this.#emitTransferred(c, agent, transfer.config.id);
    this.#emitEnded(c, agent, disposition);
    if (queue.config.channel === 'voice' || queue.config.channel === 'chat') this.#emitTranscript(c, agent, transfer !== null);

    const speed = agent.model.speed.get(queue.index) ?? 1;
    const wrapMs = transfer ? lognormal(c.rng, 8000, 0.5) : lognormal(c.rng, traffic.wrapup.median_s * 1000 * speed, traffic.wrapup.sigma);
    agent.talking--;
    agent.wrapping++;
    this.#refresh(agent, c.id);
    const wrap: WrapUp = {
      contact: c,
      queue,
      endedAt: this.now,
      final: transfer === null,
      resolved: disposition === 'resolved',
      waitRatio: c.answeredWait / queue.thresholdMs,
    };
    this.#schedule(this.now + Math.round(Math.max(2000, wrapMs)), { kind: 'wrap', agent, wrap });
    c.agent = null;
    if (transfer) {
      c.transferred = true;
      c.wrapAgent = agent;
      this.#offer(c, this.queues[transfer.index]!, 'transfer');
    }
  }

  #endWrap(agent: AgentRuntime, wrap: WrapUp): void {
    this.#emitWrapupEnded(wrap, agent);
    agent.wrapping--;
    agent.busy--;
    agent.lastChange = this.now;
    const { contact, queue } = wrap;
    if (contact.wrapAgent === agent) contact.wrapAgent = null;
    if (wrap.final && chance(contact.rng, queue.traffic.survey_probability)) {
      const answer = createSurveyAnswer(contact.rng, wrap.resolved, wrap.waitRatio);
      const delay = Math.round(Math.max(30_000, lognormal(contact.rng, 8 * MINUTE_MS, 0.8)));
      this.#schedule(this.now + delay, { kind: 'survey', contact, queue, agentId: agent.model.config.id, answer });
    }
    this.#afterWork(agent, contact.id);
  }

  // ── agents ──────────────────────────────────────────────────────────────────

  /** After a slot frees: a due break, the end of the shift, or more work. */
  #afterWork(agent: AgentRuntime, interactionId: string): void {
    if (agent.busy === 0) {
      const pending = this.#takePending(agent);
      if (pending) return this.#startBreak(agent, pending);
      if (agent.leaving) return this.#tryLogout(agent);
    }
    this.#refresh(agent, interactionId);
    this.#dispatch(agent);
  }

  /** Give a free agent the most urgent waiting contact it can take: live channels first, then the most overdue. */
  #dispatch(agent: AgentRuntime): void {
    for (;;) {
      let best: QueueRuntime | null = null;
      let bestScore = -Infinity;
      for (const queue of agent.queues) {
        if (queue.count === 0 || !this.#canTake(agent, queue)) continue;
        const head = queue.peek()!;
        if (head.wrapAgent === agent) continue;
        const score = queue.model.priority * 1e9 + (this.now - head.enqueuedAt) / queue.model.thresholdMs;
        if (score > bestScore) {
          best = queue;
          bestScore = score;
        }
      }
      if (best === null) return;
      const contact = best.peek()!;
      if (contact.routingReason === 'longest_idle') contact.routingReason = 'skill_match';
      this.#route(contact, agent);
    }
  }

  #login(agent: AgentRuntime): void {
    if (agent.cancelled) return;
    // The agent's earlier session is still finishing a contact: in once it has logged out.
    if (agent.previous?.loggedIn) return this.#schedule(this.now + MINUTE_MS, { kind: 'login', agent });
    agent.started = true;
    agent.loggedIn = true;
    agent.lastChange = this.now;
    this.#emitLoggedIn(agent);
    // A scheduled activity under way when the agent arrives (late, or into an outage) is joined at once.
    const pending = this.#takePending(agent);
    agent.state = pending?.kind ?? 'available';
    agent.stateSince = this.now;
    this.#emitFirstState(agent, pending ? reasonOf(pending) : undefined);
    if (pending) this.#enterAux(agent, pending);
    else this.#dispatch(agent);
  }

  #breakDue(agent: AgentRuntime, plan: ShiftBreak): void {
    if (!agent.loggedIn || agent.leaving || agent.aux !== null) return;
    if (agent.busy === 0) this.#startBreak(agent, plan);
    else agent.pending = plan;
  }

  #auxDue(agent: AgentRuntime, plan: ScheduledAux): void {
    if (agent.leaving || this.now >= plan.until) return;
    if (agent.loggedIn && agent.busy === 0 && agent.aux === null) return this.#startBreak(agent, plan);
    // Taken once the agent is free, back from the activity before, or logged in; a later one replaces it.
    agent.pending = plan;
  }

  /** The pending break or activity, unless its scheduled end has passed meanwhile. */
  #takePending(agent: AgentRuntime): PlannedBreak | null {
    const plan = agent.pending;
    agent.pending = null;
    return plan !== null && (plan.until === undefined || this.now < plan.until) ? plan : null;
  }

  #startBreak(agent: AgentRuntime, plan: PlannedBreak): void {
    this.#setState(agent, plan.kind, reasonOf(plan));
    this.#enterAux(agent, plan);
  }

  #enterAux(agent: AgentRuntime, plan: PlannedBreak): void {
    agent.pending = null;
    agent.aux = plan.kind;
    agent.auxToken++;
    let end: number;
    if (plan.until === undefined) {
      // People come back a little late more often than early.
      end = this.now + plan.minutes * MINUTE_MS + integer(agent.rng, -30, 150) * 1000;
    } else {
      // A meeting ends when it ends; a break lasts its length from when it began.
      end = Math.max(this.now + 1000, (plan.fixed ? plan.until : this.now + plan.minutes * MINUTE_MS) + plan.overrunMs);
    }
    this.#schedule(end, { kind: 'break-end', agent, token: agent.auxToken });
  }

  #endBreak(agent: AgentRuntime, token: number): void {
    if (token !== agent.auxToken || agent.aux === null) return;
    agent.aux = null;
    agent.lastChange = this.now;
    const next = this.#takePending(agent);
    if (next) return this.#startBreak(agent, next);
    this.#refresh(agent);
    this.#dispatch(agent);
  }

  #endShift(agent: AgentRuntime): void {
    agent.leaving = true;
    agent.pending = null;
    if (agent.aux !== null) {
      agent.aux = null;
      agent.auxToken++;
    }
    if (agent.busy === 0) this.#tryLogout(agent);
  }

  #tryLogout(agent: AgentRuntime): void {
    if (!agent.loggedIn || agent.busy > 0) return;
    if (!this.#mustStay(agent)) {
      this.#setState(agent, 'offline', 'end_of_shift');
      this.#emitLoggedOut(agent);
      agent.loggedIn = false;
      return;
    }
    this.#refresh(agent);
    this.#dispatch(agent);
    if (agent.busy === 0) {
      const recheck = Math.min(this.now + STAY_RECHECK_MS, agent.leaveBy);
      this.#schedule(recheck, { kind: 'stay-check', agent });
    }
  }

  /**
   * Email never abandons and each day is simulated on its own, so the last agent covering
   * an email queue works on until its backlog is clear and the day's arrivals are over,
   * unless a colleague is still to come. Email left after the longest overtime stays queued.
   */
  #mustStay(agent: AgentRuntime): boolean {
    if (this.now >= agent.leaveBy) return false;
    for (const queue of agent.queues) {
      if (queue.model.patienceMeanMs !== null) continue;
      if (queue.count === 0 && this.now >= queue.arrivalsEnd) continue;
      const covered = queue.agents.some((o) => o !== agent && !o.leaving && (o.loggedIn || o.loginAt > this.now));
      if (!covered) return true;
    }
    return false;
  }

  #refresh(agent: AgentRuntime, interactionId?: string): void {
    const state: AgentState = agent.talking > 0 ? 'on_interaction' : agent.wrapping > 0 ? 'wrap_up' : (agent.aux ?? 'available');
    this.#setState(agent, state, undefined, interactionId);
  }

  #setState(agent: AgentRuntime, state: AgentState, reason?: string, interactionId?: string): void {
    if (agent.state === state) return;
    const previous = agent.state;
    const previousMs = this.now - agent.stateSince;
    agent.state = state;
    agent.stateSince = this.now;
    const id = this.#id();
    if (id === null) return;
    const at = this.sim.iso.format(this.now);
    const e: EventOf<'agent.state_changed'> = {
      event_id: id,
      type: 'agent.state_changed',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'desktop',
      agent_id: agent.model.config.id,
      state,
      previous_state: previous,
      previous_state_ms: previousMs,
    };
    if (reason !== undefined) e.reason_code = reason;
    if (interactionId !== undefined && (state === 'on_interaction' || state === 'wrap_up')) e.interaction_id = interactionId;
    this.sim.out.push(e);
  }

  // ── events ──────────────────────────────────────────────────────────────────
  // Every event is stamped with the current time, so the output is in occurred_at order.
  // Ids are drawn even for events before the window, keeping them identical across windows.

  #id(): string | null {
    if (!this.#muted) return uuid(this.#ids);
    for (let i = 0; i < 4; i++) this.#ids.next();
    return null;
  }

  #at(): string {
    return this.sim.iso.format(this.now);
  }

  #emitBot(c: Contact, type: 'bot.session_started'): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type,
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'bot',
      interaction_id: c.id,
      bot_id: c.intent!.config.bot_id,
      channel: c.queue.model.config.channel,
    });
  }

  #emitTurn(c: Contact, turnIndex: number, intent: string, confidence: number): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'bot.turn',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'bot',
      interaction_id: c.id,
      bot_id: c.intent!.config.bot_id,
      channel: c.queue.model.config.channel,
      turn_index: turnIndex,
      intent,
      confidence,
    });
  }

  #emitBotEnd(c: Contact): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    const e: EventOf<'bot.session_ended'> = {
      event_id: id,
      type: 'bot.session_ended',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'bot',
      interaction_id: c.id,
      bot_id: c.intent!.config.bot_id,
      channel: c.queue.model.config.channel,
      outcome: c.botOutcome,
      turns: c.botTurns,
      duration_ms: this.now - c.botStartedAt,
    };
    if (c.recognised) e.intent = c.intent!.config.id;
    if (c.botOutcome === 'escalated') e.escalation_reason = c.escalationReason;
    this.sim.out.push(e);
  }

  #emitOffered(c: Contact): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    const e: EventOf<'interaction.offered'> = {
      event_id: id,
      type: 'interaction.offered',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'routing',
      interaction_id: c.id,
      queue_id: c.queue.model.config.id,
      channel: c.queue.model.config.channel,
    };
    if (c.intent !== null) e.intent = c.intent.config.id;
    e.customer_ref = c.customerRef;
    this.sim.out.push(e);
  }

  #emitQueued(c: Contact): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'interaction.queued',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'routing',
      interaction_id: c.id,
      queue_id: c.queue.model.config.id,
      channel: c.queue.model.config.channel,
      priority: c.queue.model.priority,
    });
  }

  #emitRouted(c: Contact, agent: AgentRuntime): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'interaction.routed',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'routing',
      interaction_id: c.id,
      queue_id: c.queue.model.config.id,
      channel: c.queue.model.config.channel,
      agent_id: agent.model.config.id,
      skills_matched: [c.queue.model.config.skill_id],
      routing_reason: c.routingReason,
    });
  }

  #emitAnswered(c: Contact, agent: AgentRuntime): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'interaction.answered',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'routing',
      interaction_id: c.id,
      queue_id: c.queue.model.config.id,
      channel: c.queue.model.config.channel,
      agent_id: agent.model.config.id,
      wait_ms: c.answeredWait,
    });
  }

  /** Telephony reports what happens on a call; the desktop reports written channels. */
  #mediaSource(c: Contact): Source {
    return c.queue.model.config.channel === 'voice' ? 'voice' : 'desktop';
  }

  #emitHeld(c: Contact): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'interaction.held',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: this.#mediaSource(c),
      interaction_id: c.id,
      queue_id: c.queue.model.config.id,
      channel: c.queue.model.config.channel,
      agent_id: c.agent!.model.config.id,
    });
  }

  #emitResumed(c: Contact, holdMs: number): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'interaction.resumed',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: this.#mediaSource(c),
      interaction_id: c.id,
      queue_id: c.queue.model.config.id,
      channel: c.queue.model.config.channel,
      agent_id: c.agent!.model.config.id,
      hold_ms: holdMs,
    });
  }

  #emitTransferred(c: Contact, agent: AgentRuntime, toQueueId: string): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'interaction.transferred',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'routing',
      interaction_id: c.id,
      queue_id: c.queue.model.config.id,
      channel: c.queue.model.config.channel,
      agent_id: agent.model.config.id,
      to_queue_id: toQueueId,
      transfer_type: 'blind',
    });
  }

  #emitEnded(c: Contact, agent: AgentRuntime, disposition: string): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'interaction.ended',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: this.#mediaSource(c),
      interaction_id: c.id,
      queue_id: c.queue.model.config.id,
      channel: c.queue.model.config.channel,
      agent_id: agent.model.config.id,
      talk_ms: c.talkMs,
      hold_ms: c.holdMs,
      disposition,
    });
  }

  #emitAbandoned(c: Contact): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'interaction.abandoned',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'routing',
      interaction_id: c.id,
      queue_id: c.queue.model.config.id,
      channel: c.queue.model.config.channel,
      wait_ms: this.now - c.enqueuedAt,
    });
  }

  /**
   * Post-call transcription: the segments arrive when the conversation ends, with offsets
   * from the answer. Each talk phase shares its time evenly among its utterances, so what
   * is said before a hold ends as the hold starts.
   */
  #emitTranscript(c: Contact, agent: AgentRuntime, transfer: boolean): void {
    const phases = createConversation(c.rng, {
      channel: c.queue.model.config.channel,
      topic: c.topic,
      agentName: agent.model.firstName,
      style: agent.model.style,
      holds: (c.phases.length - 1) / 2,
      transfer,
    });
    const agentId = agent.model.config.id;
    const source = this.#mediaSource(c);
    let wall = 0;
    phases.forEach((lines, p) => {
      const talk = c.phases[2 * p]!;
      const slice = talk / lines.length;
      for (const [i, line] of lines.entries()) {
        const index = c.segments++;
        const id = this.#id();
        if (id === null) continue;
        const at = this.#at();
        const e: EventOf<'transcript.segment'> = {
          event_id: id,
          type: 'transcript.segment',
          schema_version: SCHEMA_VERSION,
          occurred_at: at,
          sent_at: at,
          source,
          interaction_id: c.id,
          segment_index: index,
          speaker: line.speaker,
          start_ms: Math.round(wall + i * slice + Math.min(1000, slice * 0.1)),
          end_ms: Math.round(wall + (i + 1) * slice),
          text: line.text,
        };
        if (line.speaker === 'agent') e.agent_id = agentId;
        this.sim.out.push(e);
      }
      wall += talk + (c.phases[2 * p + 1] ?? 0);
    });
  }

  #emitWrapupEnded(wrap: WrapUp, agent: AgentRuntime): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'interaction.wrapup_ended',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'desktop',
      interaction_id: wrap.contact.id,
      queue_id: wrap.queue.config.id,
      channel: wrap.queue.config.channel,
      agent_id: agent.model.config.id,
      wrapup_ms: this.now - wrap.endedAt,
    });
  }

  #emitSurvey(c: Contact, queue: QueueModel, agentId: string, answer: SurveyAnswer): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    const e: EventOf<'survey.response'> = {
      event_id: id,
      type: 'survey.response',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'survey',
      interaction_id: c.id,
      queue_id: queue.config.id,
      agent_id: agentId,
      csat: answer.csat,
    };
    if (answer.nps !== undefined) e.nps = answer.nps;
    e.resolved = answer.resolved;
    this.sim.out.push(e);
  }

  #emitLoggedIn(agent: AgentRuntime): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'agent.logged_in',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'desktop',
      agent_id: agent.model.config.id,
      skills: agent.model.skillIds,
    });
  }

  /** The first state after login has no previous state: time logged out is not time in a state. */
  #emitFirstState(agent: AgentRuntime, reason: string | undefined): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    const e: EventOf<'agent.state_changed'> = {
      event_id: id,
      type: 'agent.state_changed',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'desktop',
      agent_id: agent.model.config.id,
      state: agent.state,
    };
    if (reason !== undefined) e.reason_code = reason;
    this.sim.out.push(e);
  }

  #emitLoggedOut(agent: AgentRuntime): void {
    const id = this.#id();
    if (id === null) return;
    const at = this.#at();
    this.sim.out.push({
      event_id: id,
      type: 'agent.logged_out',
      schema_version: SCHEMA_VERSION,
      occurred_at: at,
      sent_at: at,
      source: 'desktop',
      agent_id: agent.model.config.id,
      reason_code: 'end_of_shift',
    });
  }
}
