import { TZDate } from '@date-fns/tz';
import { startOfDay } from 'date-fns';

/** The instant the tenant's local day containing `now` began. */
export function getLocalDayStart(now: Date, timezone: string): Date {
  return new Date(startOfDay(new TZDate(now.getTime(), timezone)).getTime());
}
