import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { categories, comments, proposals, units, whistles } from "#db/schema";
import { indexText } from "./bigrams";

/**
 * Search across the district (ADR 0008): proposals, comments and whistles,
 * indexed as CJK bigrams. Each domain writes its rows' vectors with
 * `searchVector`; this module owns the reading.
 */

/** The tsvector of some texts, as the search index stores it. */
export const searchVector = (...parts: (string | null | undefined)[]) => sql`to_tsvector('simple', ${indexText(...parts)})`;

/** Full-text search over public proposals, visible comments and whistles. `tsquery` comes from `queryText`. */
export async function search(q: Queryable, tsquery: string, limit = 30) {
  const query = sql`to_tsquery('simple', ${tsquery})`;
  const [proposalHits, commentHits, whistleHits] = await Promise.all([
    q
      .select({ id: proposals.id, title: proposals.title, body: proposals.body, state: proposals.state, createdAt: proposals.createdAt })
      .from(proposals)
      .where(and(sql`${proposals.searchVector} @@ ${query}`, sql`${proposals.state} <> 'draft'`))
      .orderBy(desc(sql`ts_rank(${proposals.searchVector}, ${query})`), desc(proposals.id))
      .limit(limit),
    q
      .select({
        id: comments.id,
        body: comments.body,
        proposalId: comments.proposalId,
        title: proposals.title,
        createdAt: comments.createdAt,
      })
      .from(comments)
      .innerJoin(proposals, eq(proposals.id, comments.proposalId))
      .where(and(sql`${comments.searchVector} @@ ${query}`, sql`${comments.hiddenAt} is null`, sql`${proposals.state} <> 'draft'`))
      .orderBy(desc(sql`ts_rank(${comments.searchVector}, ${query})`), desc(comments.id))
      .limit(limit),
    q
      .select({
        id: whistles.id,
        title: whistles.title,
        description: whistles.description,
        address: whistles.address,
        state: whistles.state,
        subdistrict: units.name,
        categoryZh: categories.nameZh,
        categoryEn: categories.nameEn,
        createdAt: whistles.createdAt,
      })
      .from(whistles)
      .innerJoin(units, eq(units.id, whistles.subdistrictId))
      .innerJoin(categories, eq(categories.code, whistles.categoryCode))
      .where(sql`${whistles.searchVector} @@ ${query}`)
      .orderBy(desc(sql`ts_rank(${whistles.searchVector}, ${query})`), desc(whistles.id))
      .limit(limit),
  ]);
  return { proposals: proposalHits, comments: commentHits, whistles: whistleHits };
}

/**
 * Index whistles that have no search vector yet (made before whistles were
 * searchable, or written by the demo seed), a batch at a time. Cheap when
 * there are none: a partial index holds exactly the unindexed rows.
 */
export async function indexUnindexedWhistles(q: Queryable, batch = 500): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await q
      .select({ id: whistles.id, title: whistles.title, description: whistles.description, address: whistles.address })
      .from(whistles)
      .where(isNull(whistles.searchVector))
      .orderBy(whistles.id)
      .limit(batch);
    for (const r of rows) {
      await q.update(whistles).set({ searchVector: searchVector(r.title, r.description, r.address) }).where(eq(whistles.id, r.id));
    }
    done += rows.length;
    if (rows.length < batch) return done;
  }
}
