import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UInt64 } from './rows.ts';

describe('UInt64', () => {
  it('turns a quoted 64-bit integer or a plain one into a number', () => {
    expect(z.array(UInt64).parse(['0', '18014398509481984', 42])).toEqual([0, 18014398509481984, 42]);
  });

  it('refuses what is not an unsigned integer', () => {
    for (const value of ['-1', '1.5', '', 'NaN', -1, 1.5, null, undefined]) expect(UInt64.safeParse(value).success).toBe(false);
  });
});
