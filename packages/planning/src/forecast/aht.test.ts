import { describe, expect, it } from 'vitest';
import { forecastAht } from './aht.ts';

describe('AHT forecast', () => {
  it('pools same-weekday handle time per contact and leans on the daily AHT where volume is thin', () => {
    // Two Mondays, two intervals. Interval 0: 100 contacts, 30,000 s; interval 1: 4 contacts, 2,400 s.
    // Daily AHT of those Mondays: 32,400 / 104 = 311.54 s (itself shrunk toward all recent days,
    // which are the same two Mondays here, so it stays 311.54).
    const history = [
      { date: '2024-01-01', handled: [60, 2], handleSeconds: [18_000, 1_200] },
      { date: '2024-01-08', handled: [40, 2], handleSeconds: [12_000, 1_200] },
    ];
    const [monday] = forecastAht({ history, targets: ['2024-01-15'], priorContacts: 30 });
    const daily = 32_400 / 104;
    expect(monday![0]).toBeCloseTo((30_000 + 30 * daily) / 130, 9);
    expect(monday![1]).toBeCloseTo((2_400 + 30 * daily) / 34, 9);
  });

  it('leaves special days out', () => {
    const history = [
      { date: '2024-01-01', handled: [10], handleSeconds: [3_000] },
      { date: '2024-01-08', handled: [10], handleSeconds: [9_000] },
    ];
    const [monday] = forecastAht({
      history,
      targets: ['2024-01-15'],
      priorContacts: 0,
      specialDays: [{ date: '2024-01-08', label: 'system outage', effect: 'exclude' }],
    });
    expect(monday).toEqual([300]);
  });
});
