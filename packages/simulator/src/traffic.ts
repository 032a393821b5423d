import type { CenterConfig, Channel } from '@switchboard/contracts';
import { weekdayFactors } from './profile.generated.ts';

/** A lognormal duration, described the way handle times usually are: median and log-scale spread. */
interface DurationModel {
  median_s: number;
  sigma: number;
}

/** How contacts for one queue behave. Handle times are for proficiency 3; better agents are faster. */
export interface QueueTraffic {
  /** Contacts on a mean weekday whose need belongs to this queue, before any bot containment. */
  daily_volume: number;
  /** Share of them that starts in self-service (needs a bot intent escalating to this queue). */
  bot_share: number;
  talk: DurationModel;
  wrapup: DurationModel;
  /** Probability that a conversation has a hold (a few have two). */
  hold_probability: number;
  hold: DurationModel;
  /** Mean of the exponential patience in queue; null when contacts never abandon (email). */
  patience_mean_s: number | null;
  transfer_probability: number;
  /** Queues (same channel) a transfer goes to, picked uniformly. */
  transfer_to: string[];
  /** Share of handled contacts that answer the post-contact survey. */
  survey_probability: number;
  /** What customers say they need, for transcripts. */
  topics: string[];
}

/** How a bot session for one intent ends: contained, abandoned, or (the rest) escalated to the intent's queue. */
export interface IntentTraffic {
  /** Relative weight among the intents escalating to the same queue. */
  weight: number;
  containment: number;
  abandonment: number;
}

export interface TrafficConfig {
  /** Daily volume multiplier per day of week, Sunday first; weekdays default to the bank series. */
  day_factors: readonly number[];
  queues: Record<string, QueueTraffic>;
  intents: Record<string, IntentTraffic>;
}

export interface TrafficOverrides {
  day_factors?: readonly number[];
  queues?: Record<string, Partial<QueueTraffic>>;
  intents?: Record<string, Partial<IntentTraffic>>;
}

/** Weekends are much thinner than weekdays at a retail bank; the series has no weekend data. */
export const defaultDayFactors: readonly number[] = [0.07, ...weekdayFactors, 0.12];

const channelDefaults: Record<Channel, Omit<QueueTraffic, 'topics' | 'transfer_to'>> = {
  voice: {
    daily_volume: 400,
    bot_share: 0,
    talk: { median_s: 240, sigma: 0.65 },
    wrapup: { median_s: 30, sigma: 0.6 },
    hold_probability: 0.22,
    hold: { median_s: 45, sigma: 0.7 },
    patience_mean_s: 300,
    transfer_probability: 0,
    survey_probability: 0.12,
  },
  chat: {
    daily_volume: 300,
    bot_share: 0,
    talk: { median_s: 480, sigma: 0.55 },
    wrapup: { median_s: 20, sigma: 0.5 },
    hold_probability: 0,
    hold: { median_s: 30, sigma: 0.5 },
    patience_mean_s: 480,
    transfer_probability: 0,
    survey_probability: 0.15,
  },
  email: {
    daily_volume: 200,
    bot_share: 0,
    talk: { median_s: 360, sigma: 0.6 },
    wrapup: { median_s: 30, sigma: 0.5 },
    hold_probability: 0,
    hold: { median_s: 30, sigma: 0.5 },
    patience_mean_s: null,
    transfer_probability: 0,
    survey_probability: 0.08,
  },
  sms: {
    daily_volume: 100,
    bot_share: 0,
    talk: { median_s: 420, sigma: 0.6 },
    wrapup: { median_s: 20, sigma: 0.5 },
    hold_probability: 0,
    hold: { median_s: 30, sigma: 0.5 },
    patience_mean_s: 1800,
    transfer_probability: 0,
    survey_probability: 0.1,
  },
  social: {
    daily_volume: 100,
    bot_share: 0,
    talk: { median_s: 420, sigma: 0.6 },
    wrapup: { median_s: 30, sigma: 0.5 },
    hold_probability: 0,
    hold: { median_s: 30, sigma: 0.5 },
    patience_mean_s: 3600,
    transfer_probability: 0,
    survey_probability: 0.05,
  },
};

/** Traffic for any center: channel defaults for every queue and intent, then the overrides. */
export function createTraffic(center: CenterConfig, overrides: TrafficOverrides = {}): TrafficConfig {
  const skillNames = new Map(center.skills.map((s) => [s.id, s.name]));
  const queues: Record<string, QueueTraffic> = {};
  for (const queue of center.queues) {
    queues[queue.id] = {
      ...channelDefaults[queue.channel],
      transfer_to: [],
      topics: [(skillNames.get(queue.skill_id) ?? queue.name).toLowerCase()],
      ...overrides.queues?.[queue.id],
    };
  }
  const intents: Record<string, IntentTraffic> = {};
  for (const intent of center.intents) {
    intents[intent.id] = { weight: 1, containment: 0.4, abandonment: 0.06, ...overrides.intents?.[intent.id] };
  }
  const traffic = { day_factors: overrides.day_factors ?? defaultDayFactors, queues, intents };
  checkTraffic(center, traffic);
  return traffic;
}

/** Fails with a sentence naming the setting when traffic and center do not fit together. */
export function checkTraffic(center: CenterConfig, traffic: TrafficConfig): void {
  const fail = (message: string): never => {
    throw new Error(`invalid simulator traffic: ${message}`);
  };
  if (traffic.day_factors.length !== 7) fail('day_factors needs 7 values, Sunday first');
  const queues = new Map(center.queues.map((q) => [q.id, q]));
  const bots = new Map(center.bots.map((b) => [b.id, b]));
  for (const intent of center.intents) {
    if (!queues.has(intent.queue_id)) fail(`intent "${intent.id}" escalates to unknown queue "${intent.queue_id}"`);
  }
  for (const queue of center.queues) {
    const t = traffic.queues[queue.id] ?? fail(`queue "${queue.id}" has no traffic`);
    if (t.daily_volume < 0) fail(`queue "${queue.id}": daily_volume must be ≥ 0`);
    for (const p of [t.bot_share, t.hold_probability, t.transfer_probability, t.survey_probability]) {
      if (!(p >= 0 && p <= 1)) fail(`queue "${queue.id}": probabilities must be within 0…1`);
    }
    if (t.topics.length === 0) fail(`queue "${queue.id}": topics must not be empty`);
    for (const target of t.transfer_to) {
      const to = queues.get(target) ?? fail(`queue "${queue.id}" transfers to unknown queue "${target}"`);
      if (to.channel !== queue.channel || to.id === queue.id) {
        fail(`queue "${queue.id}" may only transfer to another ${queue.channel} queue, not "${target}"`);
      }
    }
    const intents = center.intents.filter((i) => i.queue_id === queue.id);
    if (t.bot_share > 0 && intents.length === 0) fail(`queue "${queue.id}" has bot_share > 0 but no intent escalates to it`);
    for (const intent of intents) {
      const bot = bots.get(intent.bot_id) ?? fail(`intent "${intent.id}" belongs to unknown bot "${intent.bot_id}"`);
      if (!bot.channels.includes(queue.channel)) {
        fail(`intent "${intent.id}" escalates to ${queue.channel} queue "${queue.id}" but bot "${bot.id}" does not serve ${queue.channel}`);
      }
      const it = traffic.intents[intent.id] ?? fail(`intent "${intent.id}" has no traffic`);
      if (!(it.containment >= 0 && it.abandonment >= 0 && it.containment + it.abandonment <= 1)) {
        fail(`intent "${intent.id}": containment + abandonment must be within 0…1`);
      }
    }
  }
}
