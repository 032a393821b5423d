import { describe, expect, it } from 'vitest';
import { describeError } from './errors';

describe('describeError', () => {
  it("gives the API's validation messages, not the JSON they travel in", () => {
    const refused = { message: '[{"code":"custom","message":"x"}]', data: { issues: [{ message: '"XX" is not a country' }, { message: 'too big' }] } };
    expect(describeError(refused)).toBe('"XX" is not a country; too big');
  });

  it('falls back to the message for any other failure', () => {
    expect(describeError({ message: 'workflows are not running', data: { code: 'PRECONDITION_FAILED' } })).toBe('workflows are not running');
    expect(describeError({ message: 'offline' })).toBe('offline');
  });
});
