import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { organizationMembers, organizations, projects } from "#db/schema";
import type { BidContents } from "#db/schema/projects";
import { loadActor } from "~/modules/identity/actor.server";
import { encodeContents } from "~/modules/projects/bid-schemas";
import { submitBid } from "~/modules/projects/bids.server";
import { confirmOpenerShare, dealOpenerShares, getOpenerWork, nameCommittee, publishOpenerKeys } from "~/modules/projects/ceremony.server";
import { getOpeningWork, submitOpening } from "~/modules/projects/opening.server";
import { partialOpen, sealBid } from "~/modules/projects/seal";
import { projectContext } from "~/modules/votes/crypto";
import { tellerConfirm, tellerDeal, tellerStart, unlockShare } from "~/modules/votes/tellers";
import { createUser } from "./factories";
import { CHEAP_VAULT, passphraseOf } from "./tellers";
import { buildWorld, type World } from "./world";

/**
 * Sealed bids' test world (tests/integration/bids*.test.ts): the permission
 * world (tests/support/world.ts) plus a call of community C, its opening
 * committee (the community worker and two residents' representatives) and a
 * second verified organisation. The ceremony and the opening run through the
 * real commands, as the members' browsers would.
 */
export const MARKER = "密封标记-石榴树下的投标-4471";

export const sampleContents = (price = 180_000, extra = ""): BidContents => ({
  price,
  plan: `每周两次为高龄老人助餐并上门探访。${MARKER}${extra}`,
  team: "三名持证社工，一名营养师",
  experience: "五年社区养老服务",
  milestones: [
    { title: "启动与需求评估", due: "2027-03-01", share: 30 },
    { title: "服务过半", due: "2027-07-01", share: 30 },
    { title: "结项评估", due: "2027-12-01", share: 40 },
  ],
  attachments: [],
});

export async function buildBidWorld(opts: { deadlineInMs?: number; budgetCap?: number } = {}) {
  const w = await buildWorld();
  const rep1 = await createUser({ displayName: "居民代表甲", username: `rep1_${Math.random().toString(36).slice(2, 8)}` });
  const rep2 = await createUser({ displayName: "居民代表乙", username: `rep2_${Math.random().toString(36).slice(2, 8)}` });
  const otherAdmin = await createUser({ displayName: "另一机构负责人", username: `org2_${Math.random().toString(36).slice(2, 8)}` });
  const [org2] = await db()
    .insert(organizations)
    .values({ kind: "social_org", name: "邻里互助社", unitId: w.c.id, status: "confirmed", decidedAt: new Date(Date.now() - 400 * 86_400_000), createdBy: otherAdmin.id })
    .returning();
  await db().insert(organizationMembers).values({ organizationId: org2!.id, userId: otherAdmin.id, role: "admin" });
  // The world's organisation was verified long ago (eligibility counts months since).
  await db().update(organizations).set({ decidedAt: new Date(Date.now() - 400 * 86_400_000) }).where(eq(organizations.id, w.org.id));
  const orgMember = await createUser({ displayName: "阳光社工志愿者", username: `orgm_${Math.random().toString(36).slice(2, 8)}` });
  await db().insert(organizationMembers).values({ organizationId: w.org.id, userId: orgMember.id, role: "member" });
  const openers = [w.people.communityWorker.id, rep1.id, rep2.id];
  const project = await makeCall(w, openers, opts);
  return { ...w, rep1, rep2, otherAdmin, org2: org2!, orgMember, openers, project };
}
export type BidWorld = Awaited<ReturnType<typeof buildBidWorld>>;

/** A call of community C in planning, its committee named. */
export async function makeCall(w: World, openers: number[], opts: { deadlineInMs?: number; budgetCap?: number } = {}) {
  const now = Date.now();
  const project = await db().transaction(async (tx) => {
    const [p] = await tx
      .insert(projects)
      .values({
        unitId: w.c.id,
        title: "高龄老人助餐服务",
        scope: "为辖区高龄独居老人提供助餐与探访",
        category: "serving_people",
        budgetCap: opts.budgetCap ?? 200_000,
        periodStart: "2027-02-01",
        periodEnd: "2027-12-31",
        eligibility: { minMonthsVerified: 6, localOnly: false },
        criteria: [
          { id: "price", key: "price", weight: 40 },
          { id: "plan", key: "plan", weight: 60 },
        ],
        questionsCloseAt: new Date(now + 3_600_000),
        bidDeadline: new Date(now + (opts.deadlineInMs ?? 7 * 86_400_000)),
        createdBy: w.people.communityWorker.id,
      })
      .returning();
    await nameCommittee(tx, p!.id, openers);
    return p!;
  });
  return project;
}

/** The committee's key ceremony, each member's browser step by step, through the real commands. */
export async function runOpeningCeremony(projectId: number, openerIds: number[]) {
  const scope = projectContext(projectId);
  const work = async (id: number) => (await getOpenerWork(db(), projectId, id))!;
  for (const id of openerIds) {
    const w = await work(id);
    const s = await tellerStart(scope, w.threshold, passphraseOf(id), CHEAP_VAULT);
    await publishOpenerKeys(await loadActor(db(), id), { projectId, ...s });
  }
  for (const id of openerIds) {
    const w = await work(id);
    const shares = await tellerDeal(scope, w.me.index, passphraseOf(id), w.me.setupVault!, w.peers.map((p) => ({ index: p.index, transportKey: p.transportKey! })));
    await dealOpenerShares(await loadActor(db(), id), { projectId, shares });
  }
  for (const id of openerIds) {
    const w = await work(id);
    const done = await tellerConfirm(scope, w.me.index, passphraseOf(id), w.me.setupVault!, w.received, w.peers.map((p) => ({ index: p.index, commitments: p.commitments! })), CHEAP_VAULT);
    await confirmOpenerShare(await loadActor(db(), id), { projectId, ...done });
  }
  return (await getOpenerWork(db(), projectId, openerIds[0]!))!.openingKey!;
}

/** Publish a call directly (B's publish command does this once the opening key exists). */
export const publishCall = (projectId: number) =>
  db().update(projects).set({ status: "open", publishedAt: new Date() }).where(eq(projects.id, projectId));

/** The deadline passed: B's scheduler moves the call to evaluating. */
export const closeCall = (projectId: number) => db().update(projects).set({ status: "evaluating" }).where(eq(projects.id, projectId));

let keySeq = 0;
export const clientKey = () => `k${Date.now().toString(36)}${(keySeq++).toString(36)}xyz`;

/** An org admin's browser seals and submits a bid. */
export async function sealAndSubmit(
  userId: number,
  projectId: number,
  organizationId: number,
  openingKey: string,
  contents: BidContents,
  opts: { files?: Uint8Array[]; key?: string; now?: Date } = {},
) {
  const s = await sealBid(projectId, organizationId, openingKey, encodeContents(contents), opts.files ?? []);
  const answer = await submitBid(
    await loadActor(db(), userId),
    { projectId, organizationId, sealed: s.sealed, fileDigests: s.fileDigests, files: opts.files ? s.files : undefined, clientKey: opts.key ?? clientKey() },
    opts.now,
  );
  return { ...answer, sealedReceipt: s.receipt, sealed: s };
}

/** A member's browser at the opening: unlock the share, open every submitted bid partially, post. */
export async function openAs(projectId: number, userId: number) {
  const w = (await getOpenerWork(db(), projectId, userId))!;
  const secret = await unlockShare(projectContext(projectId), passphraseOf(userId), w.me.shareVault!);
  const work = await getOpeningWork(db(), projectId);
  const partials = Object.fromEntries(work.map((b) => [String(b.id), partialOpen(projectId, b.id, secret, b.R)]));
  return submitOpening(await loadActor(db(), userId), { projectId, partials });
}
