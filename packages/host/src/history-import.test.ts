import { describe, expect, it } from 'vitest';
import { formatImportProblem, parseHistoryCsv } from '@switchboard/contracts';
import { tenantClock } from './history-import.ts';

/**
 * History files in local time on days the clocks change, read on the calendar's clock: a time
 * the clock skips is a problem, one it repeats is its first occurrence, and spacing is real time.
 */

const header = 'interval_start,queue,offered,answered,abandoned,aht_s';

function read(timezone: string, ...rows: string[]) {
  return parseHistoryCsv(`${[header, ...rows].join('\n')}\n`, { knownQueues: new Set(['q']), clock: tenantClock(timezone) });
}

function parsed(timezone: string, ...rows: string[]) {
  const result = read(timezone, ...rows);
  if ('problems' in result) throw new Error(result.problems.map(formatImportProblem).join('\n'));
  return result;
}

function problems(timezone: string, ...rows: string[]): string[] {
  const result = read(timezone, ...rows);
  if (!('problems' in result)) throw new Error('expected problems');
  return result.problems.map(formatImportProblem);
}

const quarterRows = (date: string, times: string[]) => times.map((t) => `${date} ${t},q,4,4,0,200`);
const starts = (result: ReturnType<typeof parsed>) => result.intervals.map((i) => i.interval_start.slice(0, 16));

describe('history in local time across clock changes', () => {
  it('Europe/London, spring forward: 01:00–01:59 does not exist, and 00:45 to 02:00 is one quarter-hour', () => {
    expect(problems('Europe/London', ...quarterRows('2026-03-29', ['00:45', '01:00', '01:30', '02:00']))).toEqual([
      'history.csv, row 3, interval_start: 2026-03-29 01:00 does not exist in Europe/London: the clocks skip it (daylight saving time begins)',
      'history.csv, row 4, interval_start: 2026-03-29 01:30 does not exist in Europe/London: the clocks skip it (daylight saving time begins)',
    ]);
    const spring = parsed('Europe/London', ...quarterRows('2026-03-29', ['00:00', '00:15', '00:30', '00:45', '02:00', '02:15']));
    expect(spring.queues[0]).toMatchObject({ interval_minutes: 15, rows: 6, intervals: 6 });
    expect(starts(spring)).toEqual(['2026-03-29T00:00', '2026-03-29T00:15', '2026-03-29T00:30', '2026-03-29T00:45', '2026-03-29T01:00', '2026-03-29T01:15']);
  });

  it('Europe/London, fall back: hourly rows, 01:00 read as its first occurrence; a second 01:00 needs its offset', () => {
    const autumn = parsed('Europe/London', ...['00:00', '01:00', '02:00', '03:00'].map((t) => `2026-10-25 ${t},q,8,8,0,100`));
    // 00:00 BST is 23:00 UTC the day before; the hour between 01:00 GMT and 02:00 GMT has no row.
    expect(autumn.queues[0]).toMatchObject({ interval_minutes: 60, rows: 4, intervals: 16, repeated_local_times: 1, offered: 32 });
    expect(starts(autumn).filter((_, i) => i % 4 === 0)).toEqual(['2026-10-24T23:00', '2026-10-25T00:00', '2026-10-25T02:00', '2026-10-25T03:00']);
    expect(autumn.intervals.slice(4, 8).map((i) => [i.interval_start.slice(11, 16), i.offered])).toEqual([
      ['00:00', 2],
      ['00:15', 2],
      ['00:30', 2],
      ['00:45', 2],
    ]);

    const twice = ['00:00', '01:00', '01:00', '02:00'].map((t) => `2026-10-25 ${t},q,8,8,0,100`);
    expect(problems('Europe/London', ...twice)).toEqual([
      'history.csv, row 4, interval_start: queue q has 2026-10-25T00:00:00.000Z already, on row 3 (a local time in the repeated hour is read as its first occurrence: give the second with its UTC offset)',
    ]);
    const withOffset = parsed(
      'Europe/London',
      '2026-10-25 00:00,q,8,8,0,100',
      '2026-10-25 01:00,q,8,8,0,100',
      '2026-10-25T01:00+00:00,q,8,8,0,100',
      '2026-10-25 02:00,q,8,8,0,100',
    );
    expect(starts(withOffset).filter((_, i) => i % 4 === 0)).toEqual(['2026-10-24T23:00', '2026-10-25T00:00', '2026-10-25T01:00', '2026-10-25T02:00']);
  });

  it('America/New_York, spring forward: 30-minute rows from 01:30 to 03:00 are 30 minutes apart; 02:30 does not exist', () => {
    const spring = parsed('America/New_York', ...['01:00', '01:30', '03:00', '03:30'].map((t) => `2026-03-08 ${t},q,6,4,2,300`));
    expect(spring.queues[0]).toMatchObject({
      interval_minutes: 30,
      rows: 4,
      intervals: 8,
      first: '2026-03-08T06:00:00.000Z',
      last: '2026-03-08T07:30:00.000Z',
    });
    expect(starts(spring).filter((_, i) => i % 2 === 0)).toEqual(['2026-03-08T06:00', '2026-03-08T06:30', '2026-03-08T07:00', '2026-03-08T07:30']);
    expect(spring.intervals[0]).toMatchObject({ offered: 3, answered: 2, abandoned: 1, handle_ms_sum: 600_000 });
    expect(problems('America/New_York', ...['01:30', '02:30', '03:00'].map((t) => `2026-03-08 ${t},q,6,4,2,300`))).toEqual([
      'history.csv, row 3, interval_start: 2026-03-08 02:30 does not exist in America/New_York: the clocks skip it (daylight saving time begins)',
    ]);
  });

  it('America/New_York, fall back: quarter-hours of the repeated hour are its first (EDT) occurrence', () => {
    const autumn = parsed('America/New_York', ...quarterRows('2026-11-01', ['00:45', '01:00', '01:15', '01:30', '01:45', '02:00']));
    expect(autumn.queues[0]).toMatchObject({ interval_minutes: 15, rows: 6, repeated_local_times: 4 });
    // 01:45 EDT is 05:45 UTC; 02:00 EST is 07:00 UTC: the hour between is a gap of the file, not another length.
    expect(starts(autumn)).toEqual(['2026-11-01T04:45', '2026-11-01T05:00', '2026-11-01T05:15', '2026-11-01T05:30', '2026-11-01T05:45', '2026-11-01T07:00']);
  });
});
