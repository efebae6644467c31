import { eq, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { bids, organizationMembers, organizations, projectKeys, projects } from "#db/schema";
import type { BidContents } from "#db/schema/projects";
import { addEvaluator, createProject, publishProject, runProjectClock, setCommittee } from "~/modules/projects/commands.server";
import type { CallTerms } from "~/modules/projects/schemas";
import { createUser } from "./factories";
import { actorOf, NOW } from "./pledge-world";
import { buildWorld } from "./world";

export { actorOf, NOW };
export const DAY = 86_400_000;
export const at = (ms: number) => new Date(NOW.getTime() + ms);

/**
 * The governance world plus what a service project needs: a second verified
 * civil-society organisation (admin and member), three accounts for the
 * opening committee, five for the panel, and an outside expert.
 */
export async function buildProjectWorld() {
  const w = await buildWorld();
  await db().update(organizations).set({ decidedAt: new Date("2025-01-01T00:00:00Z") }).where(eq(organizations.id, w.org.id));
  const org2Admin = await createUser({ displayName: "绿色家园负责人", username: "org2admin" });
  const orgMember = await createUser({ displayName: "阳光社工社工", username: "orgmember" });
  const [org2] = await db()
    .insert(organizations)
    .values({ kind: "social_org", name: "绿色家园", unitId: w.c.id, status: "confirmed", decidedAt: new Date("2025-06-01T00:00:00Z"), createdBy: org2Admin.id })
    .returning();
  await db().insert(organizationMembers).values([
    { organizationId: org2!.id, userId: org2Admin.id, role: "admin" },
    { organizationId: w.org.id, userId: orgMember.id, role: "member" },
  ]);
  const openers = [];
  for (let i = 1; i <= 3; i++) openers.push(await createUser({ displayName: `开标人${i}`, username: `opener${i}` }));
  const evaluators = [];
  for (let i = 1; i <= 5; i++) evaluators.push(await createUser({ displayName: `评审${i}`, username: `judge${i}` }));
  return { ...w, org2: org2!, org2Admin, orgMember, openers, evaluators };
}
export type ProjectWorld = Awaited<ReturnType<typeof buildProjectWorld>>;

/** The terms of a call of community C: deadline a week after NOW, questions until five days after. */
export const terms = (w: ProjectWorld, over: Partial<CallTerms> = {}): CallTerms => ({
  unitId: w.c.id,
  title: "社区老年人助餐服务",
  scope: "为史家社区七十岁以上独居老人提供每周五天午餐配送和每月一次健康随访。",
  category: "serving_people",
  budgetCap: 200_000,
  periodStart: "2027-01-01",
  periodEnd: "2027-12-31",
  minMonthsVerified: 6,
  localOnly: true,
  criteria: [
    { id: "price", key: "price", weight: 30 },
    { id: "plan", key: "plan", weight: 40 },
    { id: "experience", key: "experience", weight: 30 },
  ],
  questionsCloseAt: at(5 * DAY),
  bidDeadline: at(7 * DAY),
  noticeDays: 5,
  ...over,
});

/** A call created by C's worker, in planning. */
export async function planned(w: ProjectWorld, over: Partial<CallTerms> = {}) {
  return createProject(await actorOf(w.people.communityWorker.id), { ...terms(w, over), clientKey: crypto.randomUUID() }, NOW);
}

/** The committee's ceremony, as part A's code would finish it: the opening key set. */
export async function keyReady(w: ProjectWorld, projectId: number) {
  await setCommittee(await actorOf(w.people.communityWorker.id), { projectId, usernames: w.openers.map((o) => o.username!) }, NOW);
  await db().update(projectKeys).set({ openingKey: "02".padEnd(66, "a") }).where(eq(projectKeys.projectId, projectId));
}

/** A published call (open for questions and bids). */
export async function published(w: ProjectWorld, over: Partial<CallTerms> = {}) {
  const p = await planned(w, over);
  await keyReady(w, p.id);
  await publishProject(await actorOf(w.people.communityWorker.id), { projectId: p.id }, NOW);
  return p;
}

const contentsFor = (price: number): BidContents => ({
  price,
  plan: "每周一至周五中午配送，配营养师一名。",
  team: "张三（社工师）、李四（营养师）",
  experience: "三年助餐经验",
  milestones: [
    { title: "启动和摸底", due: "2027-02-01", share: 30 },
    { title: "年中评估", due: "2027-07-01", share: 30 },
    { title: "年终总结", due: "2027-12-31", share: 40 },
  ],
  attachments: [],
});

/** The price each fixture bid will show once opened (its sealed contents are not real). */
const prices = new Map<number, number>();

/** A submitted bid written straight into the database (sealed bids are part A's). */
export async function bidFor(projectId: number, organizationId: number, userId: number, price: number) {
  const [bid] = await db()
    .insert(bids)
    .values({ projectId, organizationId, status: "submitted", sealed: { R: "r", iv: "iv", data: "sealed" }, receipt: crypto.randomUUID(), submittedBy: userId, submittedAt: at(DAY), price: null })
    .returning();
  await db().update(projects).set({ bidCount: sql`${projects.bidCount} + 1` }).where(eq(projects.id, projectId));
  prices.set(bid!.id, price);
  return bid!;
}

/** After the deadline: the clock moves the call to evaluation, and the bids are opened (as part A's opening does). */
export async function openBids(projectId: number) {
  await runProjectClock(at(8 * DAY));
  const all = await db().select().from(bids).where(eq(bids.projectId, projectId));
  for (const b of all) {
    const price = prices.get(b.id) ?? 100_000;
    await db().update(bids).set({ contents: contentsFor(price), price }).where(eq(bids.id, b.id));
  }
  await db().update(projects).set({ openedAt: at(8 * DAY) }).where(eq(projects.id, projectId));
}

/**
 * A call being evaluated: published, two bids (阳光社工 and 绿色家园), the
 * panel of `panelSize` evaluators named, the deadline past, the bids opened.
 */
export async function evaluating(w: ProjectWorld, panelSize = 3) {
  const p = await published(w);
  const worker = await actorOf(w.people.communityWorker.id);
  for (const e of w.evaluators.slice(0, panelSize)) await addEvaluator(worker, { projectId: p.id, username: e.username!, role: "expert" }, NOW);
  const b1 = await bidFor(p.id, w.org.id, w.people.orgAdmin.id, 150_000);
  const b2 = await bidFor(p.id, w.org2.id, w.org2Admin.id, 180_000);
  await openBids(p.id);
  return { project: p, bids: [b1, b2] as const, panel: w.evaluators.slice(0, panelSize) };
}
