import { redirect } from "@remix-run/node";
import { asc, isNull } from "drizzle-orm";
import { db } from "#db/client.server";
import { units } from "#db/schema";

/** The directory starts at the top of the tree. */
export async function loader() {
  const [root] = await db().select({ id: units.id }).from(units).where(isNull(units.parentId)).orderBy(asc(units.id)).limit(1);
  if (!root) throw new Response("Not Found", { status: 404 });
  return redirect(`/units/${root.id}`);
}
