import { z } from 'zod';
import { addLocalDays, daysBetween, localDateOf, localDateRange, localDayStart, type LocalDate } from '@switchboard/calendar';
import { activityKinds, type ActivityKind } from '@switchboard/contracts';
import { ScheduleBook, type ScheduleActivity } from '@switchboard/simulator';
import { describeFailure } from './sender.ts';

const PATH = '/api/v1/schedule/activities';
/**
 * The API answers at most 8 days a request: each request asks for 7 shift dates from the
 * first one's local midnight, with room for the last one's night shift.
 */
const DATES_PER_REQUEST = 7;
const WINDOW_MS = 8 * 86_400_000;
const TIMEOUT_MS = 15_000;
/** Live mode looks for a newly published or changed schedule this often (and at each local midnight). */
export const REFRESH_MS = 15 * 60_000;

const Answer = z.object({
  activities: z.array(z.object({ agent: z.string(), kind: z.string(), start: z.iso.datetime(), end: z.iso.datetime(), shiftDate: z.string() })),
});

/** `unauthorized`: the key is wrong; `unavailable`: this key or host has no schedules to give; `failed`: try again later. */
class ScheduleFetchError extends Error {
  override readonly name = 'ScheduleFetchError';
  constructor(
    readonly kind: 'unauthorized' | 'unavailable' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

export interface ScheduleSource {
  url: string;
  apiKey: string;
  /** The simulated center's time zone: shift dates are its local dates. */
  timezone: string;
  fetch?: typeof fetch;
}

const isKind = (kind: string): kind is ActivityKind => (activityKinds as readonly string[]).includes(kind);

async function fetchActivities(source: ScheduleSource, from: Date, to: Date): Promise<ScheduleActivity[]> {
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  let response: Response;
  try {
    response = await (source.fetch ?? fetch)(`${source.url}${PATH}?${query}`, {
      headers: { authorization: `Bearer ${source.apiKey}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ScheduleFetchError('failed', `schedule API unreachable (${(error as Error).message})`);
  }
  if (!response.ok) {
    const reason = await describeFailure(response);
    if (response.status === 401) throw new ScheduleFetchError('unauthorized', `the schedule API refused the key: ${reason}`);
    // 403: an ingest-only key; 404: a host without the API.
    if (response.status === 403 || response.status === 404) throw new ScheduleFetchError('unavailable', reason);
    throw new ScheduleFetchError('failed', reason);
  }
  const parsed = Answer.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new ScheduleFetchError('unavailable', `${PATH} answered something other than a schedule`);
  // A kind added after this simulator was written is left out rather than guessed at.
  return parsed.data.activities.flatMap(({ kind, start, end, ...rest }) =>
    isKind(kind) ? [{ ...rest, kind, start: Date.parse(start), end: Date.parse(end) }] : [],
  );
}

/** Puts the published activities of `count` shift dates from `first` into the book; returns those activities. */
export async function loadSchedule(book: ScheduleBook, source: ScheduleSource, first: LocalDate, count: number): Promise<ScheduleActivity[]> {
  const loaded: ScheduleActivity[] = [];
  for (let i = 0; i < count; i += DATES_PER_REQUEST) {
    const dates = localDateRange(addLocalDays(first, i), Math.min(DATES_PER_REQUEST, count - i));
    const from = localDayStart(dates[0]!, source.timezone);
    const activities = await fetchActivities(source, from, new Date(from.getTime() + WINDOW_MS));
    book.replace(dates, activities);
    const wanted = new Set(dates);
    loaded.push(...activities.filter((a) => wanted.has(a.shiftDate)));
  }
  return loaded;
}

function describeLoaded(activities: readonly ScheduleActivity[], first: LocalDate, last: LocalDate): string {
  if (activities.length === 0) return `schedule: nothing published for ${first} … ${last}; agents work their configured shifts`;
  const agents = new Set(activities.map((a) => a.agent)).size;
  return `schedule: ${agents} agents follow their published schedule (${activities.length} activities, ${first} … ${last}); the others work their configured shifts`;
}

/**
 * Backfill reads the schedule of its window once (from the day before it, which the
 * simulation starts from). Null when there is none to follow, whatever the reason short of
 * a wrong key: the run then simulates the configured shifts, as without the API.
 */
export async function loadBackfillSchedule(
  source: ScheduleSource,
  from: number,
  to: number,
  log: (line: string) => void,
): Promise<{ book: ScheduleBook; activities: ScheduleActivity[] } | null> {
  const first = addLocalDays(localDateOf(from, source.timezone), -1);
  const last = localDateOf(to, source.timezone);
  const book = new ScheduleBook();
  try {
    const activities = await loadSchedule(book, source, first, daysBetween(first, last) + 1);
    log(describeLoaded(activities, first, last));
    return activities.length > 0 ? { book, activities } : null;
  } catch (error) {
    if (error instanceof ScheduleFetchError && error.kind !== 'unauthorized') {
      log(`schedule: not followed (${error.message}); agents work their configured shifts`);
      return null;
    }
    throw error;
  }
}

/**
 * Live mode's schedule: loaded at the start, again every REFRESH_MS and whenever the
 * simulated clock reaches a new local day (before the simulation plans it), for the day
 * before through five days ahead. A failed refresh keeps what was known.
 */
export class LiveSchedule {
  readonly book = new ScheduleBook();
  #loadedDate: LocalDate | null = null;
  #loadedAt = -Infinity;
  #gaveUp = false;

  constructor(
    readonly source: ScheduleSource,
    readonly log: (line: string) => void,
  ) {}

  /** Loads when due; `simulatedNow` is the simulated clock, `wallNow` the real one. */
  async refresh(simulatedNow: number, wallNow: number): Promise<void> {
    const date = localDateOf(simulatedNow, this.source.timezone);
    if (this.#gaveUp || (date === this.#loadedDate && wallNow - this.#loadedAt < REFRESH_MS)) return;
    const first = this.#loadedDate === null;
    this.#loadedDate = date;
    this.#loadedAt = wallNow;
    const before = this.book.version;
    try {
      const activities = await loadSchedule(this.book, this.source, addLocalDays(date, -1), DATES_PER_REQUEST);
      if (first || this.book.version !== before) this.log(describeLoaded(activities, addLocalDays(date, -1), addLocalDays(date, DATES_PER_REQUEST - 2)));
    } catch (error) {
      if (!(error instanceof ScheduleFetchError) || (first && error.kind === 'unauthorized')) throw error;
      // A key or host that cannot give schedules will not start to: stop asking.
      if (error.kind === 'unavailable') this.#gaveUp = true;
      this.log(`schedule: ${error.kind === 'unavailable' ? 'not followed' : 'refresh failed, keeping what was loaded'} (${error.message})`);
    }
  }
}
