import { z } from 'zod';
import { Channel } from './events.ts';
import { serviceLevelThresholdsS } from './ingest.ts';

/**
 * The configuration of a contact center as people edit it (stored in Postgres):
 * teams, agents and their skills and shifts, queues with their service-level targets,
 * bots and their intents. The demo tenant's seed and the simulator share one value of it.
 */

const Slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _ only');

const SkillConfig = z.object({ id: Slug, name: z.string().min(1).max(100) });

const TeamConfig = z.object({ id: Slug, name: z.string().min(1).max(100) });

const ShiftBreak = z.object({
  kind: z.enum(['break', 'lunch']),
  offset_minutes: z.number().int().min(0).describe('Minutes after the shift start.'),
  minutes: z.number().int().min(1).max(120),
});

export const ShiftConfig = z.object({
  start_minute: z
    .number()
    .int()
    .min(0)
    .max(24 * 60 - 1)
    .describe('Minutes after local midnight.'),
  length_minutes: z
    .number()
    .int()
    .min(30)
    .max(16 * 60),
  weekdays: z.array(z.number().int().min(0).max(6)).min(1).describe('0 = Sunday … 6 = Saturday.'),
  breaks: z.array(ShiftBreak),
});
export type ShiftConfig = z.infer<typeof ShiftConfig>;

export const AgentConfig = z.object({
  id: Slug,
  display_name: z.string().min(1).max(100),
  team_id: Slug,
  skills: z.array(z.object({ skill_id: Slug, proficiency: z.number().int().min(1).max(5) })).min(1),
  chat_concurrency: z.number().int().min(1).max(8),
  shift: ShiftConfig,
});
export type AgentConfig = z.infer<typeof AgentConfig>;

export const QueueConfig = z.object({
  id: Slug,
  name: z.string().min(1).max(100),
  channel: Channel,
  skill_id: Slug,
  sl_threshold_s: z.union(serviceLevelThresholdsS.map((s) => z.literal(s))),
  sl_target: z.number().gt(0).max(1),
});
export type QueueConfig = z.infer<typeof QueueConfig>;

const BotConfig = z.object({ id: Slug, name: z.string().min(1).max(100), channels: z.array(Channel).min(1) });

export const IntentConfig = z.object({
  id: Slug,
  bot_id: Slug,
  label: z.string().min(1).max(100),
  queue_id: Slug.describe('Where the bot escalates this intent.'),
});
export type IntentConfig = z.infer<typeof IntentConfig>;

export const CenterConfig = z.object({
  timezone: z.string().min(1),
  skills: z.array(SkillConfig),
  teams: z.array(TeamConfig),
  agents: z.array(AgentConfig),
  queues: z.array(QueueConfig),
  bots: z.array(BotConfig),
  intents: z.array(IntentConfig),
});
export type CenterConfig = z.infer<typeof CenterConfig>;
