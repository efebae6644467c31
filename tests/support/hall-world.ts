import { db } from "#db/client.server";
import { hallConveners, hallMembers, halls, households, residencyClaims } from "#db/schema";
import { createUser } from "./factories";
import { buildWorld } from "./world";

/**
 * The structure world plus a hall of community C ("open", 3 seconds within 14
 * days, comments up to 200 characters) with a convener and members, and a
 * resident of C2 who is not a member.
 */
export async function buildHallWorld(overrides: Partial<typeof halls.$inferInsert> = {}) {
  const w = await buildWorld();
  const [hall] = await db()
    .insert(halls)
    .values({ unitId: w.c.id, name: "老街坊议事厅", secondingRule: { kind: "count", n: 3 }, commentMaxLength: 200, ...overrides })
    .returning();
  const [household] = await db().insert(households).values({ communityId: w.c.id, address: "史家胡同7号" }).returning();
  const resident = async (name: string, communityId = w.c.id) => {
    const user = await createUser({ displayName: name, username: name });
    await db().insert(residencyClaims).values({ userId: user.id, communityId, address: "史家胡同7号", householdId: communityId === w.c.id ? household!.id : null, status: "verified" });
    return user;
  };
  const convener = await resident("convener");
  const author = await resident("author");
  const members = [await resident("m1"), await resident("m2"), await resident("m3"), await resident("m4")];
  const outsider = await resident("outsider", w.c2.id);
  const eligible = await resident("eligible"); // a resident of C who has not joined
  const staff = w.people.communityWorker; // staff of C, not a member
  await db().insert(hallConveners).values({ hallId: hall!.id, userId: convener.id });
  await db().insert(hallMembers).values([convener, author, ...members].map((u) => ({ hallId: hall!.id, userId: u.id, status: "active" as const })));
  return { ...w, hall: hall!, convener, author, members, outsider, eligible, staff };
}

export type HallWorld = Awaited<ReturnType<typeof buildHallWorld>>;
