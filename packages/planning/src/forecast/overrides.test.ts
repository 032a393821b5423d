import { describe, expect, it } from 'vitest';
import { applyOverrides } from './overrides.ts';

const days = [
  { date: '2024-03-04', values: [10, 20, 30], lo80: [8, 16, 24], hi80: [12, 24, 36] },
  { date: '2024-03-05', values: [0, 20, 30], lo80: [0, 16, 24], hi80: [1, 24, 36] },
];

describe('planner overrides', () => {
  it('set or multiply a date and interval range after the forecast, and say which intervals they touched', () => {
    const out = applyOverrides(days, [
      { from: '2024-03-04', to: '2024-03-05', fromInterval: 1, kind: 'multiply', value: 1.5, label: 'campaign' },
      { from: '2024-03-05', to: '2024-03-05', toInterval: 1, kind: 'set', value: 4, label: 'pre-open' },
    ]);
    expect(out[0]!.values).toEqual([10, 30, 45]);
    expect(out[0]!.lo80).toEqual([8, 24, 36]);
    expect(out[0]!.hi80).toEqual([12, 36, 54]);
    expect(out[0]!.overriddenBy).toEqual([null, 'campaign', 'campaign']);
    // Setting where the forecast was 0: nothing to scale the interval by, so it collapses on the value.
    expect(out[1]!.values).toEqual([4, 30, 45]);
    expect(out[1]!.lo80[0]).toBe(4);
    expect(out[1]!.hi80[0]).toBe(4);
    expect(out[1]!.overriddenBy).toEqual(['pre-open', 'campaign', 'campaign']);
  });

  it('let a later override win and leave the input untouched', () => {
    const out = applyOverrides(days, [
      { from: '2024-03-04', to: '2024-03-04', kind: 'set', value: 5, label: 'first' },
      { from: '2024-03-04', to: '2024-03-04', fromInterval: 2, kind: 'set', value: 7, label: 'second' },
    ]);
    expect(out[0]!.values).toEqual([5, 5, 7]);
    expect(out[0]!.overriddenBy).toEqual(['first', 'first', 'second']);
    expect(out[1]!.overriddenBy).toEqual([null, null, null]);
    expect(days[0]!.values).toEqual([10, 20, 30]);
  });
});
