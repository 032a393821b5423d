import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventSchemas, eventTypes, type EventType } from './events.ts';
import { eventExamples } from './examples.ts';
import { isValidEventOfType } from './validate.ts';

/**
 * The compiled validators accept exactly what the zod schemas accept: valid events with
 * one field replaced by an arbitrary JSON value, removed, or joined by an unknown field.
 */
const zodAccepts = (type: EventType, value: object) => eventSchemas[type].safeParse(value).success;

const awkwardStrings = fc.oneof(
  fc.string({ maxLength: 140 }),
  fc.string({ unit: 'grapheme', minLength: 60, maxLength: 140 }),
  fc.constantFrom('', 'x'.repeat(128), 'x'.repeat(129), '😀'.repeat(64), '😀'.repeat(65), 'voice', 'escalated', 'contained'),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-29T10:00:00Z', '2028-02-29T10:00:00+05:45', '2026-12-02T10:00:00', '2026-12-02 10:00:00Z', '2026-12-02T24:00:00Z'),
);
const awkwardNumbers = fc.oneof(
  fc.integer({ min: -5, max: 2_200_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 1e10 }),
  fc.constantFrom(0, 1, 1.5, -1, 4000, 4001, 10_000, 10_001, 2_147_483_647, 2_147_483_648, 100, 101),
);
const anyValue = fc.oneof(awkwardStrings, awkwardNumbers, fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));

describe('compiled event validators', () => {
  it('accept every example', () => {
    for (const type of eventTypes) expect(isValidEventOfType(type, eventExamples[type]), type).toBe(true);
  });

  it('agree with zod on events with one field changed, removed or added', () => {
    const change = fc.record({
      type: fc.constantFrom(...eventTypes),
      field: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...new Set(eventTypes.flatMap((t) => Object.keys(eventExamples[t]))))),
      value: fc.option(anyValue, { nil: undefined }),
    });
    fc.assert(
      fc.property(change, ({ type, field, value }) => {
        const event: Record<string, unknown> = { ...eventExamples[type] };
        if (value === undefined) delete event[field];
        else event[field] = value;
        expect(isValidEventOfType(type, event)).toBe(zodAccepts(type, event));
      }),
      { numRuns: 20_000, seed: 42 },
    );
  });
});
