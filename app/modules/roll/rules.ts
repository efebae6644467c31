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
 * The moment a move-out dated `date` (YYYY-MM-DD, Beijing time) takes effect:
 * the start of that day, or `now` for today. Null for a date after today
 * (the roll records what happened, not plans) or a date that is not one.
 */
export function moveOutAt(date: string, now: Date): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const start = new Date(`${date}T00:00:00+08:00`);
  if (Number.isNaN(start.getTime()) || start > now) return null;
  const today = beijingDate(now);
  return date === today ? now : start;
}

/** "2026-12-04" for the Beijing calendar day of `now`. */
export function beijingDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
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
