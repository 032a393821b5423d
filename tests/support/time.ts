import { TZDate } from '@date-fns/tz';
import { startOfDay } from 'date-fns';

/** The instant the local day of `now` began in `timeZone` (exact on clock-change days too). */
export function localDayStart(now: Date, timeZone: string): Date {
  return new Date(startOfDay(new TZDate(now.getTime(), timeZone)).getTime());
}
