import type { CenterConfig } from '@switchboard/contracts';

const shift: CenterConfig['agents'][number]['shift'] = {
  start_minute: 8 * 60,
  length_minutes: 8 * 60,
  weekdays: [1, 2, 3, 4, 5],
  breaks: [
    { kind: 'break', offset_minutes: 120, minutes: 15 },
    { kind: 'lunch', offset_minutes: 240, minutes: 30 },
  ],
};

/** A small center, every list already in id order (the order getCenterConfig returns). */
export function buildCenterConfig(): CenterConfig {
  return {
    timezone: 'Europe/Berlin',
    skills: [
      { id: 'billing', name: 'Billing' },
      { id: 'tech', name: 'Technical support' },
    ],
    teams: [
      { id: 'team-a', name: 'Team A' },
      { id: 'team-b', name: 'Team B' },
    ],
    agents: [
      {
        id: 'agent-1',
        display_name: 'Ada',
        team_id: 'team-a',
        skills: [
          { skill_id: 'billing', proficiency: 5 },
          { skill_id: 'tech', proficiency: 2 },
        ],
        chat_concurrency: 1,
        shift,
      },
      {
        id: 'agent-2',
        display_name: 'Grace',
        team_id: 'team-b',
        skills: [{ skill_id: 'tech', proficiency: 4 }],
        chat_concurrency: 3,
        shift: { ...shift, start_minute: 14 * 60, weekdays: [0, 6], breaks: [] },
      },
    ],
    queues: [
      { id: 'billing-voice', name: 'Billing (voice)', channel: 'voice', skill_id: 'billing', sl_threshold_s: 20, sl_target: 0.8 },
      { id: 'tech-chat', name: 'Tech (chat)', channel: 'chat', skill_id: 'tech', sl_threshold_s: 60, sl_target: 0.9 },
    ],
    bots: [{ id: 'assistant', name: 'Assistant', channels: ['chat', 'voice'] }],
    intents: [
      { id: 'invoice-question', bot_id: 'assistant', label: 'Invoice question', queue_id: 'billing-voice' },
      { id: 'reset-password', bot_id: 'assistant', label: 'Reset password', queue_id: 'tech-chat' },
    ],
  };
}
