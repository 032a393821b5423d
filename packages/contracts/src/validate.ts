import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { crossFieldRules, eventSchemas, eventTypes, type EventType, type EventValidation, type TelemetryEvent } from './events.ts';

/**
 * Ingest validates every event, hundreds of thousands a second. zod stays the schema and
 * the source of every error message; the acceptance test runs through validators Ajv
 * compiles from the same schemas (z.toJSONSchema), several times faster. Ajv knows only
 * what JSON Schema says, so the cross-field rules are checked beside it, and
 * validate.test.ts holds both to the same verdict on generated events.
 */
const ajv = new Ajv2020({
  // The generated schemas carry zod's own regular expressions as `pattern`: the formats add nothing.
  validateFormats: false,
  strict: false,
});

const compiled = Object.fromEntries(
  eventTypes.map((type) => [type, ajv.compile(z.toJSONSchema(eventSchemas[type], { io: 'input', unrepresentable: 'any' }))]),
) as Record<EventType, ValidateFunction>;

const rules = crossFieldRules as Partial<Record<EventType, (event: never) => boolean>>;

/** Whether `value` is a valid event of `type`, without building any error. */
export function isValidEventOfType(type: EventType, value: object): boolean {
  return compiled[type](value) && (rules[type]?.(value as never) ?? true);
}

/**
 * Validate one decoded event. The type is looked up first so an error names the
 * fields of that type rather than listing every member of a union.
 */
export function validateEvent(value: unknown): EventValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not_an_object', message: 'an event must be a JSON object' };
  }
  const type = (value as { type?: unknown }).type;
  const schema = typeof type === 'string' && Object.hasOwn(eventSchemas, type) ? eventSchemas[type as EventType] : undefined;
  if (!schema) {
    // An array or an object is named, not printed: printing one nested thousands deep overflows the stack.
    const shown = typeof type === 'object' && type !== null ? (Array.isArray(type) ? 'an array' : 'an object') : JSON.stringify(type);
    return {
      ok: false,
      reason: 'unknown_type',
      message: `unknown event type ${shown}; expected one of ${eventTypes.join(', ')}`,
      path: 'type',
    };
  }
  // The schemas neither transform nor default: a valid event is the value itself.
  if (isValidEventOfType(type as EventType, value)) return wellFormed(value as TelemetryEvent);
  const parsed = schema.safeParse(value);
  if (parsed.success) return wellFormed(parsed.data as TelemetryEvent);
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  return {
    ok: false,
    reason: 'invalid_fields',
    message: parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; '),
    path,
  };
}

// A lone UTF-16 surrogate: JSON can spell one (\ud800), UTF-8 cannot store it. Most text has no surrogate at all, which the
// first, cheaper test settles.
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const hasLoneSurrogate = (s: string) => SURROGATE.test(s) && LONE_SURROGATE.test(s);

/**
 * Refuses an event with a lone surrogate in a string field: stored, it would become U+FFFD, so the stored event would differ
 * from the one accepted (and "a\ud800" and "a\udbff" would become one id). JSON Schema cannot say this, hence here.
 */
function wellFormed(event: TelemetryEvent): EventValidation {
  for (const field in event) {
    const value: unknown = event[field as keyof TelemetryEvent];
    // A valid event's arrays hold strings only.
    if (typeof value === 'string' ? hasLoneSurrogate(value) : Array.isArray(value) && value.some(hasLoneSurrogate)) {
      return { ok: false, reason: 'invalid_fields', message: `${field}: a lone UTF-16 surrogate is not text; send well-formed Unicode`, path: field };
    }
  }
  return { ok: true, event };
}
