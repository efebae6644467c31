import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { notifications } from "#db/schema";

export async function countUnread(q: Queryable, userId: number): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function listNotifications(q: Queryable, userId: number, limit = 50) {
  return q
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}
