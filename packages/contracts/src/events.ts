import { z } from 'zod';

/**
 * The open event schema: what routing, voice, bot, desktop and survey systems send to
 * `POST /api/v1/events`. Every event is a flat JSON object: the envelope fields plus the
 * fields of its type. The tenant is never part of an event: it comes from the API key.
 *
 * Versioning: `schema_version` is per type. A change that a v1 sender could not satisfy
 * gets a new version; readers keep accepting the old one.
 */

export const SCHEMA_VERSION = 1 as const;

export const channels = ['voice', 'chat', 'email', 'sms', 'social'] as const;
export const Channel = z.enum(channels);
export type Channel = z.infer<typeof Channel>;

const sources = ['routing', 'voice', 'bot', 'desktop', 'survey'] as const;
export const Source = z.enum(sources);
export type Source = z.infer<typeof Source>;

export const agentStates = ['available', 'on_interaction', 'wrap_up', 'break', 'lunch', 'training', 'meeting', 'offline'] as const;
export const AgentState = z.enum(agentStates);
export type AgentState = z.infer<typeof AgentState>;

const botOutcomes = ['contained', 'escalated', 'abandoned'] as const;
const BotOutcome = z.enum(botOutcomes);

const speakers = ['customer', 'agent', 'bot'] as const;
const Speaker = z.enum(speakers);

const routingReasons = ['longest_idle', 'skill_match', 'overflow', 'transfer', 'direct'] as const;
const transferTypes = ['blind', 'warm'] as const;

/** Ids are opaque to Switchboard; they are bounded so one event cannot carry a blob. */
const Id = z.string().min(1).max(128);
const Reason = z.string().min(1).max(64);
const Millis = z.number().int().min(0).max(2_147_483_647);
const Timestamp = z.iso.datetime({ offset: true, precision: undefined });

const envelopeShape = {
  event_id: z.uuid(),
  schema_version: z.literal(SCHEMA_VERSION),
  occurred_at: Timestamp.describe('When it happened, on the source clock (ISO 8601 with offset).'),
  sent_at: Timestamp.describe('When the sender sent the batch (ISO 8601 with offset).'),
  source: Source,
};

function event<const T extends string, S extends z.ZodRawShape>(type: T, description: string, shape: S) {
  return z.strictObject({ ...envelopeShape, type: z.literal(type), ...shape }).describe(description);
}

const interactionShape = { interaction_id: Id, queue_id: Id, channel: Channel };

const InteractionOffered = event('interaction.offered', 'A contact arrived and was offered to a queue (after any self-service hand-off).', {
  ...interactionShape,
  intent: Reason.optional().describe('Intent detected before the queue, e.g. by the bot.'),
  customer_ref: Id.optional().describe('Opaque customer reference; never a name, number or address.'),
});
const InteractionQueued = event('interaction.queued', 'The contact entered the queue.', {
  ...interactionShape,
  priority: z.number().int().min(0).max(100).optional(),
});
const InteractionRouted = event('interaction.routed', 'The router picked an agent.', {
  ...interactionShape,
  agent_id: Id,
  skills_matched: z.array(Reason).max(32),
  routing_reason: z.enum(routingReasons),
});
const InteractionAnswered = event('interaction.answered', 'The agent accepted the contact.', {
  ...interactionShape,
  agent_id: Id,
  wait_ms: Millis.describe('Time the contact spent queued before this answer.'),
});
const InteractionHeld = event('interaction.held', 'The agent put the customer on hold.', {
  ...interactionShape,
  agent_id: Id,
});
const InteractionResumed = event('interaction.resumed', 'The customer came back from hold.', {
  ...interactionShape,
  agent_id: Id,
  hold_ms: Millis,
});
const InteractionTransferred = event('interaction.transferred', 'The agent transferred the contact to another queue; a new offer to that queue follows.', {
  ...interactionShape,
  agent_id: Id,
  to_queue_id: Id,
  transfer_type: z.enum(transferTypes),
});
const InteractionAbandoned = event('interaction.abandoned', 'The customer left the queue before an answer.', {
  ...interactionShape,
  wait_ms: Millis,
});
const InteractionEnded = event('interaction.ended', 'The conversation segment with this agent ended (talk and hold are final; wrap-up follows).', {
  ...interactionShape,
  agent_id: Id,
  talk_ms: Millis,
  hold_ms: Millis,
  disposition: Reason,
});
const InteractionWrapupEnded = event('interaction.wrapup_ended', 'The agent finished after-contact work.', {
  ...interactionShape,
  agent_id: Id,
  wrapup_ms: Millis,
});

const AgentStateChanged = event(
  'agent.state_changed',
  'An agent changed state. previous_state and previous_state_ms let time-in-state be rolled up per interval.',
  {
    agent_id: Id,
    state: AgentState,
    reason_code: Reason.optional(),
    previous_state: AgentState.optional(),
    previous_state_ms: Millis.optional().describe('How long the agent was in previous_state.'),
    interaction_id: Id.optional(),
  },
);
const AgentLoggedIn = event('agent.logged_in', 'An agent logged in.', {
  agent_id: Id,
  skills: z.array(Reason).max(64).optional(),
});
const AgentLoggedOut = event('agent.logged_out', 'An agent logged out.', {
  agent_id: Id,
  reason_code: Reason.optional(),
});

/**
 * The rules that relate fields of one event, beyond each field's own type. Written once
 * here: the schemas refine with them, and the compiled validator (validate.ts),
 * which only knows what JSON Schema can say, checks them too.
 */
export const crossFieldRules = {
  'bot.session_ended': (e: { outcome: string; escalation_reason?: string | undefined }) => (e.outcome === 'escalated') === (e.escalation_reason !== undefined),
  'transcript.segment': (e: { start_ms: number; end_ms: number }) => e.end_ms >= e.start_ms,
  'survey.response': (e: { csat?: number | undefined; nps?: number | undefined; resolved?: boolean | undefined }) =>
    e.csat !== undefined || e.nps !== undefined || e.resolved !== undefined,
};

const botShape = { interaction_id: Id, bot_id: Id, channel: Channel };

const BotSessionStarted = event('bot.session_started', 'A self-service session began.', botShape);
const BotTurn = event('bot.turn', 'One customer turn understood by the bot.', {
  ...botShape,
  turn_index: z.number().int().min(0).max(10_000),
  intent: Reason,
  confidence: z.number().min(0).max(1),
});
const BotSessionEnded = event('bot.session_ended', 'A self-service session ended: contained, escalated to a queue (with the reason) or abandoned.', {
  ...botShape,
  outcome: BotOutcome,
  intent: Reason.optional().describe('The final intent, if one was recognised.'),
  escalation_reason: Reason.optional().describe('Required when outcome is escalated.'),
  turns: z.number().int().min(0).max(10_000),
  duration_ms: Millis,
}).refine((e) => crossFieldRules['bot.session_ended'](e), {
  message: 'escalation_reason is required when outcome is escalated, and only then',
  path: ['escalation_reason'],
});

const TranscriptSegment = event(
  'transcript.segment',
  'One utterance. Switchboard replaces PII-looking strings before storage with a typed placeholder: [card], [cvv], [expiry], [ssn], [iban], [email], [phone].',
  {
    interaction_id: Id,
    segment_index: z.number().int().min(0).max(100_000),
    speaker: Speaker,
    agent_id: Id.optional(),
    start_ms: Millis,
    end_ms: Millis,
    text: z.string().min(1).max(4000),
  },
).refine((e) => crossFieldRules['transcript.segment'](e), { message: 'end_ms must not be before start_ms', path: ['end_ms'] });

const SurveyResponse = event('survey.response', 'A post-contact survey answer.', {
  interaction_id: Id,
  queue_id: Id.optional(),
  agent_id: Id.optional(),
  csat: z.number().int().min(1).max(5).optional(),
  nps: z.number().int().min(0).max(10).optional(),
  resolved: z.boolean().optional(),
}).refine((e) => crossFieldRules['survey.response'](e), {
  message: 'a survey response needs at least one of csat, nps, resolved',
});

/** Every event type, by name. The order here is the order of the generated reference. */
export const eventSchemas = {
  'interaction.offered': InteractionOffered,
  'interaction.queued': InteractionQueued,
  'interaction.routed': InteractionRouted,
  'interaction.answered': InteractionAnswered,
  'interaction.held': InteractionHeld,
  'interaction.resumed': InteractionResumed,
  'interaction.transferred': InteractionTransferred,
  'interaction.abandoned': InteractionAbandoned,
  'interaction.ended': InteractionEnded,
  'interaction.wrapup_ended': InteractionWrapupEnded,
  'agent.state_changed': AgentStateChanged,
  'agent.logged_in': AgentLoggedIn,
  'agent.logged_out': AgentLoggedOut,
  'bot.session_started': BotSessionStarted,
  'bot.turn': BotTurn,
  'bot.session_ended': BotSessionEnded,
  'transcript.segment': TranscriptSegment,
  'survey.response': SurveyResponse,
} as const;

export type EventType = keyof typeof eventSchemas;
export const eventTypes = Object.keys(eventSchemas) as EventType[];

export type EventOf<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;
export type TelemetryEvent = { [T in EventType]: EventOf<T> }[EventType];

export type EventFamily = 'interaction' | 'agent' | 'bot' | 'transcript' | 'survey';
export function familyOf(type: EventType): EventFamily {
  return type.slice(0, type.indexOf('.')) as EventFamily;
}

export type EventValidation = { ok: true; event: TelemetryEvent } | { ok: false; reason: RejectionReason; message: string; path?: string };

export const rejectionReasons = ['not_an_object', 'unknown_type', 'invalid_fields', 'malformed_json', 'outside_horizon'] as const;
type RejectionReason = (typeof rejectionReasons)[number];
