import type { AgentConfig, CenterConfig, IntentConfig, QueueConfig } from '@switchboard/contracts';
import { createAgentStyle, type AgentStyle } from './content.ts';
import type { IntentTraffic, QueueTraffic, TrafficConfig } from './traffic.ts';

/** The center and its traffic resolved once into the lookups the simulation needs. */
export interface CenterModel {
  timezone: string;
  queues: QueueModel[];
  /** Agents left after staffingFactor, in config order. */
  agents: AgentModel[];
}

export interface QueueModel {
  index: number;
  config: QueueConfig;
  traffic: QueueTraffic;
  /** Routing priority (also sent on interaction.queued): live channels before email. */
  priority: number;
  thresholdMs: number;
  patienceMeanMs: number | null;
  intents: IntentModel[];
  intentWeights: number[];
  transferTargets: QueueModel[];
}

export interface IntentModel {
  config: IntentConfig;
  traffic: IntentTraffic;
  topic: string;
}

export interface AgentModel {
  index: number;
  config: AgentConfig;
  firstName: string;
  skillIds: string[];
  queues: QueueModel[];
  /** Handle-time multiplier per queue index: proficiency 5 works ~16% faster than 3, 1 ~16% slower. */
  speed: Map<number, number>;
  /** What the agent tends to let slip in a conversation, for the transcripts. */
  style: AgentStyle;
}

const channelPriority = { voice: 30, chat: 20, sms: 20, social: 15, email: 10 } as const;

/**
 * Keeps round(n × factor) agents spread evenly through the list, so every team loses
 * its share rather than the last teams losing everyone.
 */
export function selectStaffed<T>(agents: readonly T[], factor: number): T[] {
  return agents.filter((_, i) => Math.floor((i + 1) * factor) > Math.floor(i * factor));
}

export function createCenterModel(center: CenterConfig, traffic: TrafficConfig, staffingFactor: number): CenterModel {
  const queues: QueueModel[] = center.queues.map((config, index) => {
    const t = traffic.queues[config.id]!;
    const intents = center.intents
      .filter((i) => i.queue_id === config.id)
      .map((i) => ({ config: i, traffic: traffic.intents[i.id]!, topic: i.label.toLowerCase() }));
    return {
      index,
      config,
      traffic: t,
      priority: channelPriority[config.channel],
      thresholdMs: config.sl_threshold_s * 1000,
      patienceMeanMs: t.patience_mean_s === null ? null : t.patience_mean_s * 1000,
      intents,
      intentWeights: intents.map((i) => i.traffic.weight),
      transferTargets: [],
    };
  });
  const byId = new Map(queues.map((q) => [q.config.id, q]));
  for (const q of queues) q.transferTargets = q.traffic.transfer_to.map((id) => byId.get(id)!);

  const agents = selectStaffed(center.agents, staffingFactor).map((config) => {
    const proficiency = new Map(config.skills.map((s) => [s.skill_id, s.proficiency]));
    const agentQueues = queues.filter((q) => proficiency.has(q.config.skill_id));
    return {
      index: center.agents.indexOf(config),
      config,
      firstName: config.display_name.split(' ')[0]!,
      skillIds: config.skills.map((s) => s.skill_id),
      queues: agentQueues,
      speed: new Map(agentQueues.map((q) => [q.index, 1 + 0.08 * (3 - proficiency.get(q.config.skill_id)!)])),
      style: createAgentStyle(config.id),
    };
  });
  return { timezone: center.timezone, queues, agents };
}
