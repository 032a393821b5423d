import { describe, expect, it } from 'vitest';
import { formatIntervalStart, parseIntervalCsv } from './grid.ts';

describe('interval CSV', () => {
  it('infers the grid from the rows and fills intervals without a row with 0', () => {
    const series = parseIntervalCsv(
      ['interval_start,calls', '2024-01-02 08:00Z,3', '2024-01-02 08:30Z,4', '2024-01-01 08:15Z,1', '2024-01-01 08:45Z,2', ''].join('\n'),
    );
    expect(series.grid).toEqual({ intervalMinutes: 15, firstMinute: 480, count: 4 });
    expect(series.format).toEqual({ separator: ' ', seconds: false, suffix: 'Z' });
    expect(series.days).toEqual([
      { date: '2024-01-01', values: [0, 1, 0, 2] },
      { date: '2024-01-02', values: [3, 0, 4, 0] },
    ]);
    expect(formatIntervalStart(series.format, series.grid, '2024-01-03', 3)).toBe('2024-01-03 08:45Z');
  });

  it('names the line of a malformed row', () => {
    const bad = (rows: string[]) => () => parseIntervalCsv(['interval_start,calls', ...rows].join('\n'));
    expect(bad(['2024-01-01T08:00:00,1', '2024-01-01T08:15:00'])).toThrow('line 3: expected 2 columns, found 1');
    expect(bad(['2024-01-01T08:00:00,-1'])).toThrow('line 2: "-1" is not a non-negative number');
    expect(bad(['2024-13-01T08:00:00,1'])).toThrow('line 2: "2024-13-01" is not a calendar date');
    expect(bad(['yesterday,1'])).toThrow('line 2: "yesterday" is not a timestamp');
    expect(bad(['2024-01-01T08:00:00,1', '2024-01-01T08:00:00,2'])).toThrow('line 3: repeats an earlier interval');
    expect(bad(['2024-01-01T08:00:00Z,1', '2024-01-01T08:15:00,2'])).toThrow(/line 3: time zone/);
    expect(bad(['2024-01-01T08:00:00+01:00,1', '2024-01-01T08:00:00+01:00,2'])).toThrow('line 3: repeats an earlier interval');
    expect(bad(['2024-10-27T01:00:00,1', '2024-10-27T01:00:00,2', '2024-10-27T01:00:00,3'])).toThrow('repeats an earlier interval');
    expect(bad(['2024-10-27T01:00:00,1', '2024-10-27T02:15:00,1', '2024-10-27T01:00:00,2', '2024-10-27T02:15:00,2'])).toThrow('repeats an earlier interval');
    expect(() => parseIntervalCsv('time,calls\n')).toThrow('line 1: expected a header');
  });

  it('reads a change of clocks: an hour run twice is averaged, offsets that change are read on the local clock', () => {
    // New York, 2025-11-02: 01:00–01:59 happens at -04:00 and again at -05:00.
    const rows = ['2025-11-01T01:00:00-04:00,4', '2025-11-01T01:30:00-04:00,4', '2025-11-02T01:00:00-04:00,6', '2025-11-02T01:30:00-04:00,8'];
    rows.push('2025-11-02T01:00:00-05:00,2', '2025-11-02T01:30:00-05:00,4', '2025-11-03T01:00:00-05:00,5', '2025-11-03T01:30:00-05:00,5');
    const series = parseIntervalCsv(['interval_start,calls', ...rows].join('\n'));
    expect(series.days).toEqual([
      { date: '2025-11-01', values: [4, 4] },
      { date: '2025-11-02', values: [4, 6] },
      { date: '2025-11-03', values: [5, 5] },
    ]);
    expect(series.repeatedHours).toEqual(['2025-11-02']);
    // The offset of a future day is not known from the rows: forecasts are written on the local clock.
    expect(formatIntervalStart(series.format, series.grid, '2025-11-04', 1)).toBe('2025-11-04T01:30:00');
    // Local times without offsets: the repeated hour is recognised by where it falls.
    const local = parseIntervalCsv(['interval_start,calls', '2025-11-02 01:15,3', '2025-11-02 01:15,5', '2025-11-02 01:30,1'].join('\n'));
    expect(local.days).toEqual([{ date: '2025-11-02', values: [4, 1] }]);
  });
});
