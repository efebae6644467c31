import { db } from "#db/client.server";
import { hallConveners, hallMembers, halls, households, residencyClaims, rollResidents } from "#db/schema";
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
  const [householdC2] = await db().insert(households).values({ communityId: w.c2.id, address: "内务部街7号" }).returning();
  // A verified resident, on the community's roll (居民名册) and linked to their account.
  const resident = async (name: string, communityId = w.c.id) => {
    const user = await createUser({ displayName: name, username: name });
    const home = communityId === w.c.id ? household! : householdC2!;
    await db().insert(residencyClaims).values({ userId: user.id, communityId, address: home.address, householdId: home.id, status: "verified" });
    await db().insert(rollResidents).values({ communityId, householdId: home.id, name, userId: user.id });
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
  return { ...w, hall: hall!, household: household!, convener, author, members, outsider, eligible, staff };
}

export type HallWorld = Awaited<ReturnType<typeof buildHallWorld>>;
