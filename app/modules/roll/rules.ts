import { dayStart, localDate } from "~/lib/time";

/** Pure rules of the roll of residents (居民名册). */

export interface ResidentFields {
  name: string;
  birthYear?: number | null;
  phone?: string | null;
  isHead?: boolean;
  note?: string | null;
}

/** Normalise an address so one household is found however it is typed (spaces, full-width digits). */
export function normaliseAddress(address: string): string {
  return address
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .trim();
}

/**
 * The moment a move-out dated `date` (YYYY-MM-DD, in the district's time
 * zone) takes effect: the start of that day, or `now` for today. Null for a
 * date after today (the roll records what happened, not plans) or a date
 * that is not one.
 */
export function moveOutAt(date: string, now: Date, timeZone: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const start = dayStart(date, timeZone);
  if (!start || start > now) return null;
  return date === localDate(now, timeZone) ? now : start;
}

/** The fields that differ, as [before, after]: what the audit trail records for an edit. */
export function rollChanges<T extends object>(before: T, after: Partial<T>): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after) as [keyof T & string, unknown][]) {
    const old = before[key] ?? null;
    if ((value ?? null) !== old) changes[key] = [old, value ?? null];
  }
  return changes;
}
