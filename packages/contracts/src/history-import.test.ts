import { describe, expect, it } from 'vitest';
import { formatImportProblem } from './center-import.ts';
import { parseHistoryCsv, type LocalClock } from './history-import.ts';

/**
 * The history parser on a clock without clock changes (a fixed offset): the rules of the file.
 * Days with clock changes, on @switchboard/calendar's clock, are tested in packages/host.
 */

/** A zone that keeps one offset all year, as Asia/Kolkata does (+05:30). */
const fixedClock = (offsetMinutes: number, timezone: string): LocalClock => ({
  timezone,
  at: (date, minute) => ({ start: new Date(Date.parse(`${date}T00:00:00Z`) + (minute - offsetMinutes) * 60_000), occurrences: 1 }),
});
const utc = fixedClock(0, 'UTC');
const knownQueues = new Set(['q-billing', 'q-sales']);
const header = 'interval_start,queue,offered,answered,abandoned,aht_s';
const csv = (...lines: string[]) => `${[header, ...lines].join('\n')}\n`;

function parsed(text: string, clock: LocalClock = utc) {
  const result = parseHistoryCsv(text, { knownQueues, clock });
  if ('problems' in result) throw new Error(result.problems.map(formatImportProblem).join('\n'));
  return result;
}

function problems(text: string, clock: LocalClock = utc): string[] {
  const result = parseHistoryCsv(text, { knownQueues, clock, file: 'old-acd.csv' });
  if (!('problems' in result)) throw new Error('expected problems');
  return result.problems.map(formatImportProblem);
}

describe('parseHistoryCsv', () => {
  it('reads 15-minute rows given as instants, queue by queue, with handle time as aht_s × answered', () => {
    const { intervals, queues } = parsed(
      csv(
        '2026-03-02T09:00:00Z,q-billing,10,8,2,300',
        '2026-03-02T09:15Z,q-billing,12,12,0,250.5',
        // Another offset, the same grid; rows need not be in order.
        '2026-03-02T10:30+01:00,q-billing,0,0,0,',
        '2026-03-02T09:00Z,q-sales,4,3,1,120',
        '2026-03-02T09:30Z,q-sales,5,5,0,100',
      ),
    );
    expect(intervals).toEqual([
      { queue_id: 'q-billing', interval_start: '2026-03-02T09:00:00.000Z', offered: 10, answered: 8, abandoned: 2, handle_ms_sum: 2_400_000 },
      { queue_id: 'q-billing', interval_start: '2026-03-02T09:15:00.000Z', offered: 12, answered: 12, abandoned: 0, handle_ms_sum: 3_006_000 },
      { queue_id: 'q-billing', interval_start: '2026-03-02T09:30:00.000Z', offered: 0, answered: 0, abandoned: 0, handle_ms_sum: 0 },
      { queue_id: 'q-sales', interval_start: '2026-03-02T09:00:00.000Z', offered: 2, answered: 1.5, abandoned: 0.5, handle_ms_sum: 180_000 },
      { queue_id: 'q-sales', interval_start: '2026-03-02T09:15:00.000Z', offered: 2, answered: 1.5, abandoned: 0.5, handle_ms_sum: 180_000 },
      { queue_id: 'q-sales', interval_start: '2026-03-02T09:30:00.000Z', offered: 2.5, answered: 2.5, abandoned: 0, handle_ms_sum: 250_000 },
      { queue_id: 'q-sales', interval_start: '2026-03-02T09:45:00.000Z', offered: 2.5, answered: 2.5, abandoned: 0, handle_ms_sum: 250_000 },
    ]);
    expect(queues).toEqual([
      {
        queue_id: 'q-billing',
        interval_minutes: 15,
        rows: 3,
        intervals: 3,
        first: '2026-03-02T09:00:00.000Z',
        last: '2026-03-02T09:30:00.000Z',
        offered: 22,
        repeated_local_times: 0,
      },
      {
        queue_id: 'q-sales',
        interval_minutes: 30,
        rows: 2,
        intervals: 4,
        first: '2026-03-02T09:00:00.000Z',
        last: '2026-03-02T09:30:00.000Z',
        offered: 9,
        repeated_local_times: 0,
      },
    ]);
  });

  it('reads local times on the tenant clock and spreads hourly rows over four intervals; missing hours are gaps', () => {
    const kolkata = fixedClock(330, 'Asia/Kolkata');
    const { intervals, queues } = parsed(
      csv('2026-03-02 09:00,q-billing,40,36,4,200', '2026-03-02T10:00,q-billing,8,8,0,100', '2026-03-03 09:00,q-billing,20,20,0,100'),
      kolkata,
    );
    expect(queues[0]).toMatchObject({
      interval_minutes: 60,
      rows: 3,
      intervals: 12,
      first: '2026-03-02T03:30:00.000Z',
      last: '2026-03-03T03:30:00.000Z',
      offered: 68,
    });
    expect(intervals.slice(0, 5).map((i) => [i.interval_start, i.offered, i.answered, i.handle_ms_sum])).toEqual([
      ['2026-03-02T03:30:00.000Z', 10, 9, 1_800_000],
      ['2026-03-02T03:45:00.000Z', 10, 9, 1_800_000],
      ['2026-03-02T04:00:00.000Z', 10, 9, 1_800_000],
      ['2026-03-02T04:15:00.000Z', 10, 9, 1_800_000],
      ['2026-03-02T04:30:00.000Z', 2, 2, 200_000],
    ]);
    // Each interval's share adds back up to the row.
    expect(intervals.reduce((s, i) => s + i.offered, 0)).toBe(68);
  });

  it('lists every problem of every row with its row and column, and returns no intervals', () => {
    const out = problems(
      csv(
        '2026-03-02T09:00Z,q-billing,10,8,2,300',
        '2026-03-02T09:15Z,q-nope,10,8,2,300',
        '2026-03-02T09:30Z,q-billing,-1,0,0,',
        '2026-03-02T09:45Z,q-billing,5,4,3,300',
        '',
        '2026-03-02T10:00Z,q-billing,x,0,0,-2',
        'yesterday,q-billing,1,1,0,60',
        '2026-02-30 10:15,q-billing,1,1,0,60',
        '2026-03-02 10:20,q-billing,1,1,0,60',
        '2026-03-02T10:20Z,q-billing,1,1,0,60',
        '2026-03-02T09:15Z,q-billing,3,3,0,',
        '2026-03-02T09:00Z,q-billing,3,0,0,',
        '2026-03-02T10:30Z,q-billing,1,1,0',
        '2026-03-02T09:00Z,q-sales,1,1,0,60',
      ),
    );
    expect(out).toEqual([
      'old-acd.csv, row 3, queue: unknown queue "q-nope": the tenant\'s queues are q-billing, q-sales',
      'old-acd.csv, row 4, offered: -1 is negative: counts are 0 or more',
      'old-acd.csv, row 5, offered: answered + abandoned (7) is more than offered (5)',
      'old-acd.csv, row 7, offered: "x" is not a whole number',
      'old-acd.csv, row 7, aht_s: -2 is negative',
      'old-acd.csv, row 8, interval_start: "yesterday" is not a date and time: YYYY-MM-DD HH:MM in UTC, or an instant with its offset (2026-03-02T09:00Z)',
      'old-acd.csv, row 9, interval_start: "2026-02-30 10:15" is not a date and time: YYYY-MM-DD HH:MM in UTC, or an instant with its offset (2026-03-02T09:00Z)',
      'old-acd.csv, row 10, interval_start: 2026-03-02 10:20 is not on the 15-minute grid (:00, :15, :30, :45)',
      'old-acd.csv, row 11, interval_start: 2026-03-02T10:20Z is not on a 15-minute boundary',
      'old-acd.csv, row 12, aht_s: required where answered is more than 0',
      'old-acd.csv, row 13, interval_start: queue q-billing has 2026-03-02T09:00:00.000Z already, on row 2',
      'old-acd.csv, row 14: 5 cells but the header has 6',
      'old-acd.csv, row 15, interval_start: queue q-sales has one interval: its length (15, 30 or 60 minutes) is read from the spacing of two or more',
    ]);
  });

  it('refuses mixed interval lengths within a queue, and lengths other than 15, 30 or 60 minutes', () => {
    // Mostly 30 minutes apart, then a 15-minute row, then one off the 30-minute grid.
    const mixed = problems(
      csv(
        '2026-03-02T09:00Z,q-billing,1,1,0,60',
        '2026-03-02T09:30Z,q-billing,1,1,0,60',
        '2026-03-02T10:00Z,q-billing,1,1,0,60',
        '2026-03-02T10:15Z,q-billing,1,1,0,60',
        '2026-03-02T11:00Z,q-billing,1,1,0,60',
        '2026-03-02T11:30Z,q-billing,1,1,0,60',
      ),
    );
    expect(mixed).toEqual([
      "old-acd.csv, row 5, interval_start: 15 minutes after row 4, but queue q-billing's intervals are 30 minutes: one queue's rows must all be the same length",
      "old-acd.csv, row 6, interval_start: 45 minutes after row 5, but queue q-billing's intervals are 30 minutes: one queue's rows must all be the same length",
    ]);
    const daily = problems(csv('2026-03-02T09:00Z,q-billing,1,1,0,60', '2026-03-03T09:00Z,q-billing,1,1,0,60', '2026-03-04T09:00Z,q-billing,1,1,0,60'));
    expect(daily).toEqual(["old-acd.csv, row 2, interval_start: queue q-billing's rows are mostly 1440 minutes apart: intervals must be 15, 30 or 60 minutes"]);
  });

  it('reports header problems alone, and a file without rows', () => {
    expect(problems('interval_start,queue,offered,answered,offered,handle_time\n2026-03-02T09:00Z,x,1,1,1,1\n')).toEqual([
      'old-acd.csv, row 1, offered: column "offered" appears twice',
      'old-acd.csv, row 1, handle_time: unknown column "handle_time": the columns are interval_start, queue, offered, answered, abandoned, aht_s',
      'old-acd.csv, row 1, abandoned: missing column "abandoned"',
      'old-acd.csv, row 1, aht_s: missing column "aht_s"',
    ]);
    expect(problems('interval_start;queue;offered;answered;abandoned;aht_s\n')[0]).toContain('columns are separated by commas, not semicolons');
    expect(problems(`${header}\n\n`)).toEqual(['old-acd.csv: no rows after the header']);
  });

  it('takes header case, column order, spaces, CRLF and quoting as spreadsheets write them', () => {
    const { intervals } = parsed(
      '\uFEFFQueue, Interval_Start ,offered,answered,abandoned,aht_s\r\n"q-billing",2026-03-02T09:00Z, 3 ,2,1,"90"\r\nq-billing,2026-03-02T09:15Z,0,0,0,0\r\n',
    );
    expect(intervals[0]).toEqual({
      queue_id: 'q-billing',
      interval_start: '2026-03-02T09:00:00.000Z',
      offered: 3,
      answered: 2,
      abandoned: 1,
      handle_ms_sum: 180_000,
    });
  });
});
