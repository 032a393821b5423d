import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { formatDuration } from './format';

type Timeline = inferRouterOutputs<AppRouter>['interactions']['timeline'];

export interface TimelineItem {
  id: string;
  at: string;
  /** Seconds since the first event. */
  offsetS: number;
  kind: 'bot' | 'queue' | 'agent' | 'talk' | 'transcript' | 'survey' | 'end';
  title: string;
  detail: string;
  speaker?: string;
  text?: string;
}

/** Prepare (pure): each stored event as one readable line of the interaction's story. */
export function describeTimeline(t: Timeline): TimelineItem[] {
  const agent = (key: string) => t.agents[key] ?? key;
  const queue = (key: string) => t.queues[key] ?? key;
  const first = t.events.length ? Date.parse(t.events[0]!.occurred_at) : 0;
  return t.events.map((e) => {
    const base = { id: e.event_id, at: e.occurred_at, offsetS: (Date.parse(e.occurred_at) - first) / 1000 };
    switch (e.type) {
      case 'bot.session_started':
        return { ...base, kind: 'bot', title: 'Self-service started', detail: `${e.bot_id} on ${e.channel}` };
      case 'bot.turn':
        return {
          ...base,
          kind: 'bot',
          title: `Bot understood “${e.intent}”`,
          detail: `turn ${e.turn_index + 1}, confidence ${Math.round(e.confidence * 100)}%`,
        };
      case 'bot.session_ended':
        return {
          ...base,
          kind: 'bot',
          title: `Self-service ${e.outcome}`,
          detail: [e.escalation_reason && `reason: ${e.escalation_reason}`, `${e.turns} turns`, formatDuration(e.duration_ms / 1000)]
            .filter(Boolean)
            .join(' · '),
        };
      case 'interaction.offered':
        return {
          ...base,
          kind: 'queue',
          title: `Offered to ${queue(e.queue_id)}`,
          detail: [e.channel, e.intent && `intent ${e.intent}`].filter(Boolean).join(' · '),
        };
      case 'interaction.queued':
        return { ...base, kind: 'queue', title: `Queued in ${queue(e.queue_id)}`, detail: '' };
      case 'interaction.routed':
        return { ...base, kind: 'queue', title: `Routed to ${agent(e.agent_id)}`, detail: e.routing_reason.replace('_', ' ') };
      case 'interaction.answered':
        return { ...base, kind: 'talk', title: `Answered by ${agent(e.agent_id)}`, detail: `after ${formatDuration(e.wait_ms / 1000)} in queue` };
      case 'interaction.held':
        return { ...base, kind: 'talk', title: 'On hold', detail: agent(e.agent_id) };
      case 'interaction.resumed':
        return { ...base, kind: 'talk', title: 'Back from hold', detail: `held ${formatDuration(e.hold_ms / 1000)}` };
      case 'interaction.transferred':
        return { ...base, kind: 'queue', title: `Transferred to ${queue(e.to_queue_id)}`, detail: `${e.transfer_type} transfer by ${agent(e.agent_id)}` };
      case 'interaction.abandoned':
        return { ...base, kind: 'end', title: 'Customer abandoned', detail: `after ${formatDuration(e.wait_ms / 1000)} in ${queue(e.queue_id)}` };
      case 'interaction.ended':
        return {
          ...base,
          kind: 'end',
          title: `Conversation with ${agent(e.agent_id)} ended`,
          detail: `talk ${formatDuration(e.talk_ms / 1000)} · hold ${formatDuration(e.hold_ms / 1000)} · ${e.disposition}`,
        };
      case 'interaction.wrapup_ended':
        return { ...base, kind: 'agent', title: 'Wrap-up finished', detail: `${formatDuration(e.wrapup_ms / 1000)} by ${agent(e.agent_id)}` };
      case 'transcript.segment':
        return { ...base, kind: 'transcript', title: e.speaker, detail: '', speaker: e.speaker, text: e.text };
      case 'survey.response':
        return {
          ...base,
          kind: 'survey',
          title: 'Survey answered',
          detail: [e.csat > 0 && `CSAT ${e.csat}/5`, e.nps >= 0 && `NPS ${e.nps}`, e.resolved >= 0 && (e.resolved ? 'resolved' : 'not resolved')]
            .filter(Boolean)
            .join(' · '),
        };
      case 'agent.state_changed':
        return { ...base, kind: 'agent', title: `${agent(e.agent_id)} → ${e.state.replace('_', ' ')}`, detail: '' };
      default:
        return { ...base, kind: 'agent', title: e.type, detail: '' };
    }
  });
}
