import Holidays from 'date-holidays';
import { z } from 'zod';
import type { IsoDate } from './types.ts';

/** A public holiday of the tenant's region, named in English. */
export interface Holiday {
  date: IsoDate;
  name: string;
}

/** Why a region code was refused, with what to type instead. */
export class HolidayRegionError extends Error {}

/**
 * `CC` or `CC-REGION` (ISO 3166 country, then the library's region code, e.g. `US`, `DE-BY`,
 * `GB-SCT`), checked against the holiday library's own lists.
 */
export function parseHolidayRegion(code: string): { country: string; region?: string } {
  const match = /^([A-Za-z]{2})(?:-([A-Za-z0-9]{1,4}))?$/.exec(code.trim());
  if (!match) throw new HolidayRegionError(`"${code}" is not a region like US, GB-SCT or DE-BY`);
  const country = match[1]!.toUpperCase();
  const region = match[2]?.toUpperCase();
  const library = new Holidays();
  if (!(country in library.getCountries('en')))
    throw new HolidayRegionError(`"${country}" is not a country the holiday calendar knows (ISO 3166 codes such as US, GB, DE, IN, IL)`);
  if (region !== undefined) {
    const regions = library.getStates(country, 'en') ?? {};
    if (!(region in regions)) {
      const known = Object.keys(regions);
      throw new HolidayRegionError(
        `"${region}" is not a region of ${country}${known.length > 0 ? `; one of ${known.join(', ')}` : '; use the country code alone'}`,
      );
    }
  }
  return region === undefined ? { country } : { country, region };
}

/** A region code at a boundary (API, CLI): checked by `parseHolidayRegion`, its reason as the message, and written `CC` or `CC-REGION`. */
export const HolidayRegionCode = z
  .string()
  .trim()
  .transform((code, ctx) => {
    try {
      const { country, region } = parseHolidayRegion(code);
      return region === undefined ? country : `${country}-${region}`;
    } catch (error) {
      if (!(error instanceof HolidayRegionError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  });

/**
 * Public holidays (the library's type `public`, substitute days included) from `from` to
 * `to` inclusive. Observances, school and optional holidays are left out: centres rarely
 * change their opening for them.
 */
export function listPublicHolidays(code: string, from: IsoDate, to: IsoDate): Holiday[] {
  const { country, region } = parseHolidayRegion(code);
  const calendar = region === undefined ? new Holidays(country) : new Holidays(country, region);
  const out: Holiday[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const h of calendar.getHolidays(year, 'en')) {
      // The library writes the local start, e.g. "2025-09-23 00:00:00 -0600"; the date is its first ten characters.
      const date = h.date.slice(0, 10);
      if (h.type === 'public' && date >= from && date <= to) out.push({ date, name: h.name });
    }
  }
  return out;
}
