const DAY_MS = 86_400_000;

/** `timeZone`'s offset from UTC at instant `t` (ms), to the second. */
function offsetMs(timeZone: string, t: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(t / 1000) * 1000;
}

/** The instant the local day of `now` began in `timeZone` (exact on clock-change days too). */
export function localDayStart(now: Date, timeZone: string): Date {
  const t = now.getTime();
  const localMidnight = Math.floor((t + offsetMs(timeZone, t)) / DAY_MS) * DAY_MS;
  // First guess with today's current offset, then with the offset that held at that guess.
  const guess = localMidnight - offsetMs(timeZone, t);
  return new Date(localMidnight - offsetMs(timeZone, guess));
}
