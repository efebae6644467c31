import type { AppLoadContext } from "@remix-run/node";
import { db } from "#db/client.server";
import { departments, dutyAssignments, positions, type users } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { blowWhistle } from "~/modules/whistles/commands.server";
import { createUser } from "./factories";
import { buildHallWorld } from "./hall-world";

/**
 * The hall world plus departments with officers in district A: the
 * subdistrict team (under the district bureau) leads parking, a police station
 * and a traffic station serve subdistrict S, and a station of district B.
 */
export async function buildWhistleWorld() {
  const w = await buildHallWorld();
  const [police] = await db().insert(departments).values({ districtId: w.districtA.id, kind: "police", level: "station", name: "朝阳门派出所", servesUnitId: w.s.id }).returning();
  const [traffic] = await db().insert(departments).values({ districtId: w.districtA.id, kind: "traffic", level: "station", name: "交通大队", servesUnitId: w.s.id }).returning();
  const [farStation] = await db().insert(departments).values({ districtId: w.districtB.id, kind: "police", level: "station", name: "新街口派出所", servesUnitId: w.sb.id }).returning();
  await db().insert(dutyAssignments).values([
    { districtId: w.districtA.id, categoryCode: "parking", departmentKind: "enforcement", role: "lead" },
    { districtId: w.districtA.id, categoryCode: "parking", departmentKind: "police", role: "cooperate" },
  ]);
  const officer = async (name: string, departmentId: number, kind: "station_officer" | "department_officer" | "department_head" = "station_officer") => {
    const u = await createUser({ username: name, displayName: name });
    await db().insert(positions).values({ userId: u.id, kind, departmentId });
    return u;
  };
  return {
    ...w,
    police: police!,
    traffic: traffic!,
    farStation: farStation!,
    teamOfficer: await officer("team_officer", w.team.id),
    policeOfficer: await officer("police_officer", police!.id),
    trafficOfficer: await officer("traffic_officer", traffic!.id),
    head: await officer("enforcement_head", w.enforcement.id, "department_head"),
  };
}
export type WhistleWorld = Awaited<ReturnType<typeof buildWhistleWorld>>;

export const actorOf = (id: number) => loadActor(db(), id);

/** A whistle blown directly by the subdistrict officer to the team (lead). */
export async function directWhistle(w: WhistleWorld, kind: "enforcement" | "emergency" = "enforcement", now = new Date()) {
  return blowWhistle(
    await actorOf(w.people.subdistrictOfficer.id),
    { subdistrictId: w.s.id, title: kind === "emergency" ? "燃气管道泄漏" : "堆物堆料", description: "胡同口", categoryCode: "parking", kind, leadIds: [w.team.id], cooperateIds: [] },
    now,
  );
}

/** What the server entry would resolve for this person. */
export function contextFor(user: typeof users.$inferSelect | null): AppLoadContext {
  return {
    user: user ? { id: user.id, displayName: user.displayName, locale: null, largeText: false } : null,
    sessionId: user ? "test-session" : null,
    locale: "zh-CN",
    largeText: false,
    secure: false,
    ip: "127.0.0.1",
  };
}
