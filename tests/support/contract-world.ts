import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { bids, organizationMembers, organizations, projectDocuments, projects, type users } from "#db/schema";
import type { BidContents, ProjectStatus } from "#db/schema/projects";
import { loadActor } from "~/modules/identity/actor.server";
import { asc } from "drizzle-orm";
import { projectMilestones } from "#db/schema";
import { createContract, judgeMilestone, payMilestone, reportMilestone } from "~/modules/projects/contract.server";
import { createUser } from "./factories";
import { buildWorld, type World } from "./world";

/**
 * Service projects after the award, built directly in the database (the
 * call, the bids and the opening are built by other parts in parallel): a
 * project bought by community C, opened bids from the world's organisation
 * (阳光社工, the winner) and a second one (a loser, or disqualified), the
 * award, and — for "active" and "completed" — the contract's milestones made
 * by `createContract` from the winning bid's proposal.
 */

export const NOW = new Date("2026-06-15T04:00:00Z");

export interface ContractWorld extends World {
  /** A second verified organisation that bids and loses; its member. */
  rival: typeof organizations.$inferSelect;
  rivalAdmin: typeof users.$inferSelect;
  /** A plain member (not admin) of the winning organisation: reports too. */
  orgMember: typeof users.$inferSelect;
}

export async function buildContractWorld(): Promise<ContractWorld> {
  const w = await buildWorld();
  const rivalAdmin = await createUser({
    displayName: "rivaladmin",
    username: `rival_${Math.random().toString(36).slice(2, 8)}`,
    phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
  });
  const [rival] = await db()
    .insert(organizations)
    .values({
      kind: "social_org",
      name: "邻里互助中心",
      unitId: w.s.id,
      status: "confirmed",
      registrationNumber: "52110101MJ0654321Y",
      createdBy: rivalAdmin.id,
      decidedAt: new Date("2025-01-01T00:00:00Z"),
    })
    .returning();
  await db().insert(organizationMembers).values({ organizationId: rival!.id, userId: rivalAdmin.id, role: "admin" });
  const orgMember = await createUser({ displayName: "orgmember" });
  await db().insert(organizationMembers).values({ organizationId: w.org.id, userId: orgMember.id, role: "member" });
  return { ...w, rival: rival!, rivalAdmin, orgMember };
}

export const proposal = (extra: Partial<BidContents> = {}): BidContents => ({
  price: 80_000,
  plan: "每周两次上门探访独居老人，每月一次健康讲座。",
  team: "社工3名，护士1名",
  milestones: [
    { title: "需求调查与建档", due: "2026-08-31", share: 30 },
    { title: "上门服务过半", due: "2026-11-30", share: 40 },
    { title: "总结评估", due: "2027-02-28", share: 30 },
  ],
  attachments: [],
  ...extra,
});

export interface ProjectOptions {
  status?: ProjectStatus;
  title?: string;
  contents?: BidContents;
  /** The rival's bid disqualified at the opening, with this reason. */
  rivalDisqualified?: string;
  unitId?: number;
}

/** A project at `status` (default active), with its opened bids, award and (when active or later) its contract. */
export async function projectIn(w: ContractWorld, opts: ProjectOptions = {}) {
  const status = opts.status ?? "active";
  const opened = !["planning", "open"].includes(status);
  const awarded = ["awarded", "active", "completed"].includes(status);
  const final = status === "active" || status === "completed";
  const contents = opts.contents ?? proposal();
  return db().transaction(async (tx) => {
    const [p] = await tx
      .insert(projects)
      .values({
        unitId: opts.unitId ?? w.c.id,
        title: opts.title ?? "独居老人关爱服务",
        scope: "为社区内独居老人提供探访、陪伴和健康讲座。",
        category: "serving_people",
        budgetCap: 100_000,
        periodStart: "2026-07-01",
        periodEnd: "2027-02-28",
        eligibility: { minMonthsVerified: 6, localOnly: true },
        criteria: [
          { id: "price", key: "price", weight: 30 },
          { id: "plan", key: "plan", weight: 50 },
          { id: "local", key: "local", weight: 20 },
        ],
        questionsCloseAt: new Date("2026-05-20T10:00:00Z"),
        bidDeadline: new Date("2026-05-25T10:00:00Z"),
        status: status === "completed" ? "active" : status,
        createdBy: w.people.communityWorker.id,
        publishedAt: status === "planning" ? null : new Date("2026-05-10T02:00:00Z"),
        openedAt: opened ? new Date("2026-05-25T10:05:00Z") : null,
        bidCount: status === "planning" ? 0 : 2,
      })
      .returning();
    await tx
      .insert(projectDocuments)
      .values({
        projectId: p!.id,
        file: "00000000-0000-4000-8000-000000000001.pdf",
        name: "采购需求书.pdf",
        mime: "application/pdf",
        bytes: 12_345,
        uploadedBy: w.people.communityWorker.id,
      });
    const [win] = await tx
      .insert(bids)
      .values({
        projectId: p!.id,
        organizationId: w.org.id,
        status: opened ? "valid" : "submitted",
        receipt: `r-${p!.id}-a`,
        submittedBy: w.people.orgAdmin.id,
        submittedAt: new Date("2026-05-24T08:00:00Z"),
        contents: opened ? contents : null,
        price: opened ? contents.price : null,
        score: opened ? 8650 : null,
      })
      .returning();
    await tx.insert(bids).values({
      projectId: p!.id,
      organizationId: w.rival.id,
      status: !opened ? "submitted" : opts.rivalDisqualified ? "disqualified" : "valid",
      receipt: `r-${p!.id}-b`,
      submittedBy: w.rivalAdmin.id,
      submittedAt: new Date("2026-05-24T09:00:00Z"),
      contents: opened ? proposal({ price: 90_000 }) : null,
      price: opened ? 90_000 : null,
      disqualifiedReason: opened ? (opts.rivalDisqualified ?? null) : null,
      score: opened && !opts.rivalDisqualified ? 7010 : null,
    });
    if (awarded) {
      await tx
        .update(projects)
        .set({
          awardBidId: win!.id,
          awardRationale: "综合得分最高，服务方案详实。",
          awardedAt: new Date("2026-05-28T02:00:00Z"),
          noticeEndsAt: new Date("2026-06-04T02:00:00Z"),
          finalAt: final ? new Date("2026-06-05T02:00:00Z") : null,
        })
        .where(eqId(p!.id));
    }
    if (final) await createContract(tx, { id: p!.id, awardBidId: win!.id });
    return { ...p!, awardBidId: awarded ? win!.id : null, winningBidId: win!.id };
  });
}

const eqId = (id: number) => eq(projects.id, id);

export const actorOf = (userId: number) => loadActor(db(), userId);

export const contextFor = (user: { id: number; displayName: string } | null): AppLoadContext => ({
  user: user ? { id: user.id, displayName: user.displayName, locale: null, largeText: false } : null,
  sessionId: user ? "test-session" : null,
  locale: "zh-CN",
  largeText: false,
  secure: false,
  ip: "127.0.0.1",
});

/** Report, judge met and pay every milestone of an active project: it completes. */
export async function runToCompletion(w: ContractWorld, projectId: number, at = NOW) {
  const staff = await actorOf(w.people.communityWorker.id);
  const org = await actorOf(w.people.orgAdmin.id);
  const rows = await db()
    .select()
    .from(projectMilestones)
    .where(eq(projectMilestones.projectId, projectId))
    .orderBy(asc(projectMilestones.ordinal));
  for (const m of rows) {
    await reportMilestone(org, projectId, { milestoneId: m.id, text: "按计划完成。", attendance: 30 }, at);
    await judgeMilestone(staff, projectId, { milestoneId: m.id, verdict: "met", note: "符合要求。" }, at);
    await payMilestone(staff, projectId, { milestoneId: m.id, paidOn: "2026-06-15" }, at);
  }
}
