import { db } from "#db/client.server";
import { alleys, categories, departments, households, organizationMembers, organizations, partyReports, positions, residencyClaims, rollResidents, type PositionKind } from "#db/schema";
import { visitor } from "~/modules/identity/actor";
import { loadActor } from "~/modules/identity/actor.server";
import { insertUnit } from "~/modules/units/commands.server";
import { createUser } from "./factories";

/**
 * A small governance world for permission tests: district A with subdistrict S
 * and communities C and C2, district B with subdistrict SB and community CB,
 * departments, an alley, and one person for every role the matrix names.
 */
export async function buildWorld() {
  const t = await db().transaction(async (tx) => {
    const city = await insertUnit(tx, { parentId: null, kind: "city", name: "北京市" });
    const districtA = await insertUnit(tx, { parentId: city.id, kind: "district", name: "东城区" });
    const districtB = await insertUnit(tx, { parentId: city.id, kind: "district", name: "西城区" });
    const s = await insertUnit(tx, { parentId: districtA.id, kind: "subdistrict", name: "朝阳门街道" });
    const c = await insertUnit(tx, { parentId: s.id, kind: "community", name: "史家社区" });
    const c2 = await insertUnit(tx, { parentId: s.id, kind: "community", name: "内务社区" });
    const sb = await insertUnit(tx, { parentId: districtB.id, kind: "subdistrict", name: "新街口街道" });
    const cb = await insertUnit(tx, { parentId: sb.id, kind: "community", name: "西四北社区" });
    const [enforcement] = await tx.insert(departments).values({ districtId: districtA.id, kind: "enforcement", level: "district", name: "东城区城管执法局" }).returning();
    const [team] = await tx
      .insert(departments)
      .values({ districtId: districtA.id, kind: "enforcement", level: "subdistrict", name: "朝阳门街道综合执法队", servesUnitId: s.id, parentId: enforcement!.id })
      .returning();
    const [alley] = await tx.insert(alleys).values({ subdistrictId: s.id, name: "史家胡同" }).returning();
    await tx.insert(categories).values({ code: "parking", nameZh: "乱停车", nameEn: "Illegal parking", whistleKind: "enforcement" });
    return { city, districtA, districtB, s, c, c2, sb, cb, enforcement: enforcement!, team: team!, alley: alley! };
  });

  const person = async (name: string, grants: { kind: PositionKind; unitId?: number; departmentId?: number }[] = []) => {
    const user = await createUser({ displayName: name, username: name });
    for (const g of grants) await db().insert(positions).values({ userId: user.id, kind: g.kind, unitId: g.unitId ?? null, departmentId: g.departmentId ?? null });
    return user;
  };
  const resident = await person("resident");
  const [household] = await db().insert(households).values({ communityId: t.c.id, address: "史家胡同1号" }).returning();
  await db().insert(residencyClaims).values({ userId: resident.id, communityId: t.c.id, address: "史家胡同1号", householdId: household!.id, status: "verified" });
  const partyMember = await person("party");
  await db().insert(residencyClaims).values({ userId: partyMember.id, communityId: t.c.id, address: "史家胡同1号", householdId: household!.id, status: "verified" });
  // Verified residents are on the community's roll (居民名册), linked to their accounts.
  await db()
    .insert(rollResidents)
    .values([resident, partyMember].map((u) => ({ communityId: t.c.id, householdId: household!.id, name: u.displayName, userId: u.id })));
  await db().insert(partyReports).values({ userId: partyMember.id, communityId: t.c.id, workUnit: "国网", partyOrgName: "国网党委", status: "confirmed" });
  const orgAdmin = await person("orgadmin");
  const [org] = await db().insert(organizations).values({ kind: "social_org", name: "阳光社工", unitId: t.s.id, status: "confirmed", registrationNumber: "52110101MJ0123456X", createdBy: orgAdmin.id }).returning();
  await db().insert(organizationMembers).values({ organizationId: org!.id, userId: orgAdmin.id, role: "admin" });

  const people = {
    resident,
    unverified: await person("unverified"),
    partyMember,
    orgAdmin,
    communityWorker: await person("worker_c", [{ kind: "community_worker", unitId: t.c.id }]),
    otherCommunityWorker: await person("worker_c2", [{ kind: "community_worker", unitId: t.c2.id }]),
    subdistrictOfficer: await person("officer_s", [{ kind: "subdistrict_officer", unitId: t.s.id }]),
    subdistrictLeader: await person("leader_s", [{ kind: "subdistrict_leader", unitId: t.s.id }]),
    departmentOfficer: await person("dept_officer", [{ kind: "department_officer", departmentId: t.enforcement.id }]),
    districtAdmin: await person("admin_a", [{ kind: "district_admin", unitId: t.districtA.id }]),
  };
  return { ...t, org: org!, household: household!, people };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;
export type Role = "visitor" | keyof World["people"];
export const roles: Role[] = [
  "visitor",
  "resident",
  "unverified",
  "partyMember",
  "orgAdmin",
  "communityWorker",
  "otherCommunityWorker",
  "subdistrictOfficer",
  "subdistrictLeader",
  "departmentOfficer",
  "districtAdmin",
];

export async function actorFor(world: World, role: Role) {
  if (role === "visitor") return visitor;
  return loadActor(db(), world.people[role].id);
}
