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
    expect(bad(['2024-01-01T08:00:00Z,1', '2024-01-01T08:15:00+01:00,2'])).toThrow(/line 3: time zone/);
    expect(() => parseIntervalCsv('time,calls\n')).toThrow('line 1: expected a header');
  });
});
