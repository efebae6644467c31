/**
 * Calendar time in the configured time zone (TIME_ZONE, default
 * Asia/Shanghai): the one place that turns instants into local dates and
 * months and typed local times into instants. Pure: the zone is a parameter
 * (on the server `timeZone()` from clock.server.ts; in the browser the
 * zone the root loader sent). Nothing else adds hours to an instant.
 */

/**
 * Formatters by time zone, made once: building an Intl.DateTimeFormat costs
 * tens of microseconds, and these run for every row of an export or a rate
 * count (making them per call took an OCDS export of 10 000 projects from
 * about 1 s to 20 s).
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();
function formatOf(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let format = cache.get(timeZone);
  if (!format) cache.set(timeZone, (format = make()));
  return format;
}

/** The calendar date ("2026-12-04") of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return formatOf(dateFormats, timeZone, () => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })).format(at);
}

/** The calendar month ("2026-12") of an instant in a time zone. */
export const localMonth = (at: Date, timeZone: string): string => localDate(at, timeZone).slice(0, 7);

/** How far a time zone is ahead of UTC at an instant, in minutes. */
export function offsetMinutes(at: Date, timeZone: string): number {
  const parts = formatOf(
    partFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
      }),
  ).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** A wall-clock time in the zone → the instant it names. */
function wallToInstant(naiveUtcMs: number, timeZone: string): Date {
  // Two passes settle the offset across a daylight-saving change.
  let instant = naiveUtcMs - offsetMinutes(new Date(naiveUtcMs), timeZone) * 60_000;
  instant = naiveUtcMs - offsetMinutes(new Date(instant), timeZone) * 60_000;
  return new Date(instant);
}

/** "2026-12-01T18:00" as typed in `timeZone` (a datetime-local field) → the instant it names (null if malformed). */
export function localToInstant(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  if (new Date(naive).getUTCMonth() !== mo - 1 || new Date(naive).getUTCDate() !== d || h > 23 || mi > 59) return null;
  return wallToInstant(naive, timeZone);
}

/** The instant a calendar day ("2026-12-04") begins in the zone (null if it is not a date). */
export function dayStart(date: string, timeZone: string): Date | null {
  return localToInstant(`${date}T00:00`, timeZone);
}

/** The instant a calendar month begins in the zone (`monthIndex` may run past 11 or below 0). */
export function monthStart(year: number, monthIndex: number, timeZone: string): Date {
  return wallToInstant(Date.UTC(year, monthIndex, 1), timeZone);
}

/** "2026-12" for a year and month index of the calendar (the index may run past 11 or below 0): no zone involved. */
export const monthKey = (year: number, monthIndex: number): string => new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 7);

/** The month "2026-12" names, as the UTC midnight of its first day: how the dashboards carry a calendar month. */
export const monthOfKey = (key: string): Date => new Date(Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, 1));
