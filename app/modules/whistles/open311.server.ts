import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { assignments, categories, whistles } from "#db/schema";

/**
 * Open311 GeoReport v2, read-only: services are the matter categories,
 * requests are whistles. No personal data of residents: no names, no
 * accounts, only the matter, its place as written, its status and dates.
 */
export async function open311Services(q: Queryable) {
  const rows = await q.select().from(categories).orderBy(asc(categories.sortOrder));
  return rows.map((c) => ({
    service_code: c.code,
    service_name: c.nameZh,
    description: c.nameEn,
    metadata: false,
    type: "realtime",
    keywords: c.whistleKind,
    group: c.whistleKind,
  }));
}

const status = (s: string) => (s === "resolved" || s === "closed" ? "closed" : "open");

async function toRequests(q: Queryable, rows: (typeof whistles.$inferSelect)[]) {
  const ids = rows.map((r) => r.id);
  const due = ids.length
    ? await q
        .select({ whistleId: assignments.whistleId, due: assignments.dueResolveAt, role: assignments.role })
        .from(assignments)
        .where(inArray(assignments.whistleId, ids))
    : [];
  return rows.map((w) => {
    const leadDue = due.filter((d) => d.whistleId === w.id && d.role === "lead" && d.due).map((d) => d.due!.getTime());
    return {
      service_request_id: String(w.id),
      status: status(w.state),
      status_notes: w.state,
      service_name: w.categoryCode,
      service_code: w.categoryCode,
      description: w.title,
      agency_responsible: null,
      requested_datetime: w.createdAt.toISOString(),
      updated_datetime: (w.resolvedAt ?? w.dispatchedAt ?? w.createdAt).toISOString(),
      expected_datetime: leadDue.length ? new Date(Math.max(...leadDue)).toISOString() : null,
      address: w.address,
      media_url: null,
    };
  });
}

export async function open311Requests(q: Queryable, filter: { status?: string; serviceCode?: string; limit?: number }) {
  const conditions = [];
  if (filter.serviceCode) conditions.push(eq(whistles.categoryCode, filter.serviceCode));
  if (filter.status === "open") conditions.push(inArray(whistles.state, ["requested", "dispatched", "reopened"]));
  if (filter.status === "closed") conditions.push(inArray(whistles.state, ["resolved", "closed"]));
  const rows = await q
    .select()
    .from(whistles)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(whistles.id))
    .limit(Math.min(filter.limit ?? 100, 1000));
  return toRequests(q, rows);
}

export async function open311Request(q: Queryable, id: number) {
  const rows = await q.select().from(whistles).where(eq(whistles.id, id));
  return toRequests(q, rows);
}
