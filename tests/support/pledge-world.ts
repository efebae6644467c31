import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { organizationMembers, organizations, partyReports, residencyClaims } from "#db/schema";
import type { Actor } from "~/modules/identity/actor";
import { loadActor } from "~/modules/identity/actor.server";
import { createActivity } from "~/modules/pledges/commands.server";
import { buildWorld } from "./world";
import { createUser } from "./factories";

export const TZ = "Asia/Shanghai";
/** A fixed "now": Wednesday 2026-12-02 10:00 in Beijing. */
export const NOW = new Date("2026-12-02T02:00:00Z");
export const hoursFrom = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000);

/**
 * The governance world plus what pledges need: a unit Party organisation
 * (confirmed) whose admin is a reported member and with which the Party
 * member reported, and a second reported member.
 */
export async function buildPledgeWorld() {
  const w = await buildWorld();
  const unitOrgAdmin = await createUser({ displayName: "单位党委书记", username: "unitorg" });
  const [unitOrg] = await db()
    .insert(organizations)
    .values({ kind: "unit_party_org", name: "国网党委", unitId: w.s.id, status: "confirmed", createdBy: unitOrgAdmin.id })
    .returning();
  await db().insert(organizationMembers).values({ organizationId: unitOrg!.id, userId: unitOrgAdmin.id, role: "admin" });
  await db().update(partyReports).set({ organizationId: unitOrg!.id }).where(eq(partyReports.userId, w.people.partyMember.id));
  const otherMember = await createUser({ displayName: "另一位党员", username: "member2" });
  await db().insert(residencyClaims).values({ userId: otherMember.id, communityId: w.c.id, address: "史家胡同2号", status: "verified" });
  await db().insert(partyReports).values({ userId: otherMember.id, communityId: w.c.id, workUnit: "国网", partyOrgName: "国网党委", organizationId: unitOrg!.id, status: "confirmed" });
  return { ...w, unitOrg: unitOrg!, unitOrgAdmin, otherMember };
}
export type PledgeWorld = Awaited<ReturnType<typeof buildPledgeWorld>>;

export const actorOf = (userId: number): Promise<Actor> => loadActor(db(), userId);

/** An activity in community C organised by its worker, starting `inHours` after NOW, two hours long. */
export async function activityIn(w: PledgeWorld, opts: { slots?: number; inHours?: number; eligibility?: "members" | "residents"; category?: "environment" | "education" } = {}) {
  const start = hoursFrom(NOW, opts.inHours ?? 24);
  const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
  return createActivity(
    await actorOf(w.people.communityWorker.id),
    {
      as: "staff",
      unitId: w.c.id,
      title: "胡同清洁日",
      description: "",
      category: opts.category ?? "environment",
      place: "史家胡同口",
      startsAt: local(start),
      endsAt: local(hoursFrom(start, 2)),
      eligibility: opts.eligibility ?? "residents",
      roles: [{ name: "清扫", slots: opts.slots ?? 3 }],
    },
    NOW,
    TZ,
  );
}
