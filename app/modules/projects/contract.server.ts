import { and, asc, avg, count, desc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Queryable, Tx } from "#db/client.server";
import {
  bids,
  organizationMembers,
  organizations,
  positions,
  projectEvents,
  projectMilestones,
  projectRatings,
  projects,
  units,
} from "#db/schema";
import type { ProjectStatus } from "#db/schema/projects";
import { audit } from "~/lib/audit.server";
import { serverNow, timeZone } from "~/lib/clock.server";
import { CommandError, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { dayStart, localDate } from "~/lib/time";
import { MAX_PHOTOS } from "~/lib/uploads";
import { intentsFor } from "~/lib/intents.server";
import { photosOf, withPhotos, type CheckedPhoto } from "~/lib/uploads.server";
import { can, authorize } from "~/modules/access";
import { COMMUNITY_STAFF, type Actor } from "~/modules/identity/actor";
import { notifyMany } from "~/modules/notifications/commands.server";
import {
  adjustSchema,
  judgeSchema,
  paySchema,
  rateSchema,
  reportSchema,
  type AdjustInput,
  type JudgeInput,
  type PayInput,
  type RateInput,
  type ReportInput,
} from "./contract-schemas";
import { allJudged, milestonePayment, sharesComplete, stepTo } from "./rules";

/**
 * The contract (issue 16 §5): after the award is final, the winning bid's
 * proposed milestones become the contract's; the organisation reports each
 * with evidence, the buyer's staff judge it and record the payment, and when
 * every milestone is judged the project is completed and residents of the
 * buyer's area rate the service. Every step is idempotent: a retried form
 * finds what the first did and changes nothing.
 */

type ProjectRow = typeof projects.$inferSelect;
type MilestoneRow = typeof projectMilestones.$inferSelect;

/** What the contract needs of a project. */
export interface ContractProject {
  id: number;
  awardBidId: number | null;
  title?: string;
  periodEnd?: string;
}

/**
 * Create the contract's milestones from the winning bid's proposed ones
 * (called in the transaction that makes the award final). Does nothing when
 * the project already has milestones (a retried finalize). A proposal whose
 * shares do not sum to 100 (the opening should have refused it) becomes one
 * milestone at the end of the service period, paying everything.
 * With an outbox, the winning organisation's people are told.
 */
export async function createContract(tx: Tx, project: ContractProject, outbox?: Outbox): Promise<MilestoneRow[]> {
  const existing = await tx
    .select()
    .from(projectMilestones)
    .where(eq(projectMilestones.projectId, project.id))
    .orderBy(asc(projectMilestones.ordinal));
  if (existing.length > 0) return existing;
  const [p] = await tx.select().from(projects).where(eq(projects.id, project.id));
  if (!p) throw new NotFoundError("project");
  const bid = p.awardBidId ? (await tx.select().from(bids).where(eq(bids.id, p.awardBidId)))[0] : undefined;
  const proposed = bid?.contents?.milestones ?? [];
  const valid =
    proposed.length > 0 &&
    proposed.length <= 20 &&
    sharesComplete(proposed.map((m) => m.share)) &&
    proposed.every((m) => /^\d{4}-\d{2}-\d{2}$/.test(m.due) && m.title?.trim());
  const rows = (valid ? proposed : [{ title: p.title, due: p.periodEnd, share: 100 }]).map((m, i) => ({
    projectId: p.id,
    ordinal: i + 1,
    title: m.title.trim().slice(0, 200),
    dueOn: m.due,
    paymentShare: m.share,
  }));
  const made = await tx.insert(projectMilestones).values(rows).onConflictDoNothing().returning();
  if (outbox && bid) {
    await notifyMany(tx, outbox, await orgPeople(tx, bid.organizationId), {
      kind: "notification.contractStarted",
      params: { title: p.title },
      link: contractLink(p.id),
    });
  }
  return made;
}

const contractLink = (projectId: number) => `/projects/${projectId}/contract`;

/** The people of an organisation (to tell them about their contract). */
async function orgPeople(q: Queryable, organizationId: number): Promise<number[]> {
  const rows = await q
    .select({ userId: organizationMembers.userId })
    .from(organizationMembers)
    .where(eq(organizationMembers.organizationId, organizationId));
  return rows.map((r) => r.userId);
}

/** The buyer's staff: those holding a staff position in the buyer's unit itself. */
async function buyerStaff(q: Queryable, unitId: number): Promise<number[]> {
  const rows = await q
    .select({ userId: positions.userId })
    .from(positions)
    .where(and(eq(positions.unitId, unitId), inArray(positions.kind, COMMUNITY_STAFF), isNull(positions.revokedAt)));
  return rows.map((r) => r.userId);
}

interface Loaded {
  p: ProjectRow;
  unitPath: string;
  /** The winning organisation and its price (the contract's amount), once awarded. */
  winner: { organizationId: number; price: number } | null;
}

/** The project with its buyer's path and its winner, locked for the step when `lock`. */
async function loadContract(q: Queryable, projectId: number, lock = false): Promise<Loaded> {
  const base = q
    .select({ p: projects, unitPath: units.path })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .where(eq(projects.id, projectId));
  const [row] = lock ? await base.for("update", { of: projects }) : await base;
  if (!row) throw new NotFoundError("project");
  let winner: Loaded["winner"] = null;
  if (row.p.awardBidId) {
    const [b] = await q
      .select({ organizationId: bids.organizationId, price: bids.price, contents: bids.contents })
      .from(bids)
      .where(eq(bids.id, row.p.awardBidId));
    if (b) winner = { organizationId: b.organizationId, price: b.price ?? b.contents?.price ?? 0 };
  }
  return { p: row.p, unitPath: row.unitPath, winner };
}

const contractRuns = (status: ProjectStatus) => status === "active";
const contractExists = (status: ProjectStatus) => status === "active" || status === "completed";

async function lockMilestone(tx: Tx, projectId: number, milestoneId: number): Promise<MilestoneRow> {
  const [m] = await tx
    .select()
    .from(projectMilestones)
    .where(and(eq(projectMilestones.id, milestoneId), eq(projectMilestones.projectId, projectId)))
    .for("update");
  if (!m) throw new NotFoundError("milestone");
  return m;
}

/** Tell the project's open pages that something changed (the contract page revalidates). */
function announce(outbox: Outbox, p: ProjectRow, status: ProjectStatus = p.status) {
  outbox.emit(`project:${p.id}`, "project:changed", { projectId: p.id, status, bidCount: p.bidCount });
}

async function touch(tx: Tx, projectId: number, now: Date) {
  await tx.update(projects).set({ updatedAt: now }).where(eq(projects.id, projectId));
}

/** Staff move the milestones' due dates and payment shares, until the organisation has reported any of them. */
export async function adjustMilestones(actor: Actor, projectId: number, input: AdjustInput, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { p, unitPath, winner } = await loadContract(tx, projectId, true);
    authorize(actor, "project:manage", { unitPath });
    if (!contractRuns(p.status)) throw new CommandError("contract.error.notRunning");
    const current = await tx
      .select()
      .from(projectMilestones)
      .where(eq(projectMilestones.projectId, p.id))
      .orderBy(asc(projectMilestones.ordinal));
    if (current.some((m) => m.reportedAt !== null)) throw new CommandError("contract.error.alreadyReported");
    const byId = new Map(input.milestones.map((m) => [m.id, m]));
    if (byId.size !== input.milestones.length || current.length !== byId.size || current.some((m) => !byId.has(m.id)))
      throw new CommandError("contract.error.milestonesChanged");
    if (!sharesComplete(input.milestones.map((m) => m.share))) throw new CommandError("contract.error.sharesSum", "milestones");
    const changed = current.filter((m) => byId.get(m.id)!.dueOn !== m.dueOn || byId.get(m.id)!.share !== m.paymentShare);
    if (changed.length === 0) return current; // a retried form: nothing to do
    for (const m of changed) {
      const next = byId.get(m.id)!;
      await tx.update(projectMilestones).set({ dueOn: next.dueOn, paymentShare: next.share }).where(eq(projectMilestones.id, m.id));
    }
    await tx.insert(projectEvents).values({
      projectId: p.id,
      actorId: actor.userId,
      kind: "milestonesAdjusted",
      detail: { milestones: changed.map((m) => ({ ordinal: m.ordinal, dueOn: byId.get(m.id)!.dueOn, share: byId.get(m.id)!.share })) },
      at: now,
    });
    await audit(tx, {
      actorId: actor.userId,
      action: "milestone.adjust",
      subjectType: "project",
      subjectId: p.id,
      data: { changed: changed.length },
    });
    if (winner)
      await notifyMany(tx, outbox, await orgPeople(tx, winner.organizationId), {
        kind: "notification.milestonesAdjusted",
        params: { title: p.title },
        link: contractLink(p.id),
      });
    await touch(tx, p.id, now);
    announce(outbox, p);
    return tx.select().from(projectMilestones).where(eq(projectMilestones.projectId, p.id)).orderBy(asc(projectMilestones.ordinal));
  });
}

/**
 * The organisation reports a milestone with its evidence (photos and PDF
 * documents, checked by their first bytes and size by the route; photos
 * re-encoded without their EXIF as they are stored). A milestone already
 * reported is left as it is: a double submit is one report.
 */
export async function reportMilestone(
  actor: Actor,
  projectId: number,
  input: ReportInput & { evidence?: CheckedPhoto[] },
  now = serverNow(),
) {
  return withPhotos((keep) =>
    runCommand(async (tx, outbox) => {
      const { p, winner } = await loadContract(tx, projectId);
      authorize(actor, "project:report", { organizationId: winner?.organizationId ?? null });
      if (!contractRuns(p.status)) throw new CommandError("contract.error.notRunning");
      const m = await lockMilestone(tx, p.id, input.milestoneId);
      if (m.status !== "scheduled") return { milestone: m, created: false };
      const files = input.evidence ?? [];
      if (files.length > MAX_PHOTOS) throw new CommandError("proposal.error.tooManyPhotos", "evidence", { max: MAX_PHOTOS });
      const stored = await keep(tx, actor.userId!, files);
      const names = files.length ? files.map((f, i) => `${i + 1}.${f.ext}`) : [];
      const [updated] = await tx
        .update(projectMilestones)
        .set({
          status: "reported",
          report: input.text,
          attendance: input.attendance ?? null,
          evidence: stored.map((s, i) => ({ file: s.fileName, name: names[i]!, mime: s.mime })),
          reportedBy: actor.userId,
          reportedAt: now,
        })
        .where(eq(projectMilestones.id, m.id))
        .returning();
      await tx.insert(projectEvents).values({
        projectId: p.id,
        actorId: actor.userId,
        kind: "milestoneReported",
        detail: { ordinal: m.ordinal, evidence: stored.length, attendance: input.attendance ?? null },
        at: now,
      });
      await audit(tx, {
        actorId: actor.userId,
        action: "milestone.report",
        subjectType: "milestone",
        subjectId: m.id,
        data: { projectId: p.id, evidence: stored.length },
      });
      await notifyMany(tx, outbox, await buyerStaff(tx, p.unitId), {
        kind: "notification.milestoneReported",
        params: { title: p.title, milestone: m.title },
        link: contractLink(p.id),
      });
      await touch(tx, p.id, now);
      announce(outbox, p);
      return { milestone: updated!, created: true };
    }),
  );
}

/**
 * Staff judge a reported milestone: met, partly met or not met, with a note.
 * When every milestone is judged the project is completed (residents may then
 * rate it). Judging again with the same verdict changes nothing; another
 * verdict on a judged milestone is refused.
 */
export async function judgeMilestone(actor: Actor, projectId: number, input: JudgeInput, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { p, unitPath, winner } = await loadContract(tx, projectId, true);
    authorize(actor, "project:manage", { unitPath });
    const m = await lockMilestone(tx, p.id, input.milestoneId);
    if (m.status === input.verdict) return { milestone: m, completed: p.status === "completed" };
    if (m.status !== "reported")
      throw new CommandError(m.status === "scheduled" ? "contract.error.notReported" : "contract.error.alreadyJudged");
    if (!contractRuns(p.status)) throw new CommandError("contract.error.notRunning");
    const [updated] = await tx
      .update(projectMilestones)
      .set({ status: input.verdict, judgement: input.note, judgedBy: actor.userId, judgedAt: now })
      .where(eq(projectMilestones.id, m.id))
      .returning();
    await tx.insert(projectEvents).values({
      projectId: p.id,
      actorId: actor.userId,
      kind: "milestoneJudged",
      detail: { ordinal: m.ordinal, verdict: input.verdict },
      at: now,
    });
    await audit(tx, {
      actorId: actor.userId,
      action: "milestone.judge",
      subjectType: "milestone",
      subjectId: m.id,
      data: { projectId: p.id, verdict: input.verdict },
    });
    const org = winner ? await orgPeople(tx, winner.organizationId) : [];
    await notifyMany(tx, outbox, org, {
      kind: "notification.milestoneJudged",
      params: { title: p.title, milestone: m.title, verdict: input.verdict },
      link: contractLink(p.id),
    });
    const statuses = (
      await tx.select({ status: projectMilestones.status }).from(projectMilestones).where(eq(projectMilestones.projectId, p.id))
    ).map((r) => r.status);
    let completed = false;
    const to = stepTo(p.status, "complete");
    if (allJudged(statuses) && to) {
      await tx.update(projects).set({ status: to, completedAt: now, updatedAt: now }).where(eq(projects.id, p.id));
      await tx
        .insert(projectEvents)
        .values({ projectId: p.id, actorId: actor.userId, kind: "completed", detail: { from: p.status, to }, at: now });
      await audit(tx, { actorId: actor.userId, action: "project.complete", subjectType: "project", subjectId: p.id });
      await notifyMany(tx, outbox, [...org, ...(await buyerStaff(tx, p.unitId))], {
        kind: "notification.projectCompleted",
        params: { title: p.title },
        link: contractLink(p.id),
      });
      completed = true;
      announce(outbox, p, to);
    } else {
      await touch(tx, p.id, now);
      announce(outbox, p);
    }
    return { milestone: updated!, completed };
  });
}

/**
 * Staff record the payment of a judged milestone, with its date: a met one
 * pays its share of the contract's amount, a partly met one the amount staff
 * set (up to its share), a not met one nothing. A milestone is paid once.
 */
export async function payMilestone(actor: Actor, projectId: number, input: PayInput, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { p, unitPath, winner } = await loadContract(tx, projectId, true);
    authorize(actor, "project:manage", { unitPath });
    if (!contractExists(p.status) || !winner) throw new CommandError("contract.error.notRunning");
    const m = await lockMilestone(tx, p.id, input.milestoneId);
    if (m.paidAt !== null) return m;
    if (m.status !== "met" && m.status !== "partially_met")
      throw new CommandError(m.status === "not_met" ? "contract.error.nothingToPay" : "contract.error.judgeFirst");
    const full = milestonePayment(winner.price, m.paymentShare, "met");
    let amount = full;
    if (m.status === "partially_met") {
      if (input.amount === undefined) throw new CommandError("contract.error.amountRequired", "amount");
      if (input.amount > full || input.amount < 0) throw new CommandError("contract.error.amountOverShare", "amount", { max: full });
      amount = milestonePayment(winner.price, m.paymentShare, "partially_met", input.amount);
    }
    const today = localDate(now, timeZone());
    if (input.paidOn > today) throw new CommandError("contract.error.futureDate", "paidOn");
    const paidAt = dayStart(input.paidOn, timeZone());
    if (!paidAt) throw new CommandError("contract.error.date", "paidOn");
    const [updated] = await tx
      .update(projectMilestones)
      .set({ paidAmount: amount, paidAt })
      .where(eq(projectMilestones.id, m.id))
      .returning();
    await tx.insert(projectEvents).values({
      projectId: p.id,
      actorId: actor.userId,
      kind: "milestonePaid",
      detail: { ordinal: m.ordinal, amount, paidOn: input.paidOn },
      at: now,
    });
    await audit(tx, {
      actorId: actor.userId,
      action: "milestone.pay",
      subjectType: "milestone",
      subjectId: m.id,
      data: { projectId: p.id, amount },
    });
    await notifyMany(tx, outbox, await orgPeople(tx, winner.organizationId), {
      kind: "notification.milestonePaid",
      params: { title: p.title, milestone: m.title, amount },
      link: contractLink(p.id),
    });
    await touch(tx, p.id, now);
    announce(outbox, p);
    return updated!;
  });
}

/** A verified resident of the buyer's area rates the completed service, once: a second rating leaves the first as it was. */
export async function rateProject(actor: Actor, projectId: number, input: RateInput, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { p, unitPath } = await loadContract(tx, projectId);
    authorize(actor, "project:rate", { unitPath });
    if (p.status !== "completed") throw new CommandError("contract.error.notCompleted");
    const [made] = await tx
      .insert(projectRatings)
      .values({ projectId: p.id, userId: actor.userId!, stars: input.stars, comment: input.comment || null, at: now })
      .onConflictDoNothing()
      .returning();
    if (!made) {
      const [mine] = await tx
        .select()
        .from(projectRatings)
        .where(and(eq(projectRatings.projectId, p.id), eq(projectRatings.userId, actor.userId!)));
      return { rating: mine!, created: false };
    }
    announce(outbox, p);
    return { rating: made, created: true };
  });
}

// ---------------------------------------------------------------- queries

/** The milestone as a page shows it; evidence files only to those who may judge or report. */
function milestoneView(m: MilestoneRow, amount: number, showEvidence: boolean) {
  return {
    id: m.id,
    ordinal: m.ordinal,
    title: m.title,
    dueOn: m.dueOn,
    share: m.paymentShare,
    /** What the share pays when met, in yuan. */
    shareAmount: milestonePayment(amount, m.paymentShare, "met"),
    status: m.status,
    report: m.report,
    attendance: m.attendance,
    evidenceCount: m.evidence?.length ?? 0,
    evidence: showEvidence ? (m.evidence ?? []) : [],
    reportedAt: m.reportedAt,
    judgement: m.judgement,
    judgedAt: m.judgedAt,
    paidAmount: m.paidAmount,
    paidAt: m.paidAt,
  };
}

/**
 * The contract page: the milestones with their state, evidence, judgement and
 * payment; the totals; the ratings; and what the viewer may do. Public once
 * the award is final; before that there is no contract (404).
 */
export async function contractPage(q: Queryable, actor: Actor, projectId: number) {
  const { p, unitPath, winner } = await loadContract(q, projectId);
  if (!contractExists(p.status) || !winner) throw new NotFoundError("contract");
  const [org] = await q
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, winner.organizationId));
  const [unit] = await q.select({ id: units.id, name: units.name }).from(units).where(eq(units.id, p.unitId));
  const rows = await q
    .select()
    .from(projectMilestones)
    .where(eq(projectMilestones.projectId, p.id))
    .orderBy(asc(projectMilestones.ordinal));
  const manage = can(actor, "project:manage", { unitPath });
  const report = can(actor, "project:report", { organizationId: winner.organizationId });
  const milestones = rows.map((m) => milestoneView(m, winner.price, manage || report));
  const running = contractRuns(p.status);
  const ratings = await q
    .select({ stars: projectRatings.stars, comment: projectRatings.comment, at: projectRatings.at })
    .from(projectRatings)
    .where(eq(projectRatings.projectId, p.id))
    .orderBy(desc(projectRatings.at))
    .limit(200);
  const [summary] = await q
    .select({ n: count(), mean: avg(projectRatings.stars) })
    .from(projectRatings)
    .where(eq(projectRatings.projectId, p.id));
  const mine = actor.userId
    ? ((
        await q
          .select({ stars: projectRatings.stars, comment: projectRatings.comment })
          .from(projectRatings)
          .where(and(eq(projectRatings.projectId, p.id), eq(projectRatings.userId, actor.userId)))
      )[0] ?? null)
    : null;
  const paid = milestones.reduce((s, m) => s + (m.paidAmount ?? 0), 0);
  return {
    project: {
      id: p.id,
      title: p.title,
      status: p.status,
      periodStart: p.periodStart,
      periodEnd: p.periodEnd,
      finalAt: p.finalAt,
      completedAt: p.completedAt,
    },
    buyer: unit!,
    supplier: org!,
    amount: winner.price,
    paid,
    milestones,
    ratings: {
      count: Number(summary?.n ?? 0),
      mean: summary?.mean === null || summary?.mean === undefined ? null : Number(summary.mean),
      list: ratings.filter((r) => r.comment),
      mine,
    },
    can: {
      adjust: manage && running && rows.every((m) => m.reportedAt === null),
      report: report && running,
      judge: manage && running,
      pay: manage,
      rate: p.status === "completed" && !mine && can(actor, "project:rate", { unitPath }),
    },
  };
}
export type ContractPageData = Awaited<ReturnType<typeof contractPage>>;

/**
 * An organisation's record for its public profile: the projects it won (with
 * their state, amount and residents' mean rating), how many calls it bid on,
 * and the bids found invalid or disqualified, with the reason. Only what is
 * already public: bids after their opening.
 */
export async function organizationRecord(q: Queryable, organizationId: number) {
  const won = await q
    .select({
      id: projects.id,
      title: projects.title,
      status: projects.status,
      amount: bids.price,
      awardedAt: projects.awardedAt,
      completedAt: projects.completedAt,
      rating: sql<
        string | null
      >`(select avg(${projectRatings.stars}) from ${projectRatings} where ${projectRatings.projectId} = ${projects.id})`,
      ratings: sql<number>`(select count(*) from ${projectRatings} where ${projectRatings.projectId} = ${projects.id})::int`,
    })
    .from(projects)
    .innerJoin(bids, eq(bids.id, projects.awardBidId))
    .where(and(eq(bids.organizationId, organizationId), inArray(projects.status, ["awarded", "active", "completed"])))
    .orderBy(desc(projects.awardedAt))
    .limit(50);
  const [bidCount] = await q
    .select({ n: count() })
    .from(bids)
    .innerJoin(projects, eq(projects.id, bids.projectId))
    .where(and(eq(bids.organizationId, organizationId), isNotNull(projects.openedAt), ne(bids.status, "withdrawn")));
  const disqualified = await q
    .select({ projectId: projects.id, title: projects.title, reason: bids.disqualifiedReason, openedAt: projects.openedAt })
    .from(bids)
    .innerJoin(projects, eq(projects.id, bids.projectId))
    .where(and(eq(bids.organizationId, organizationId), eq(bids.status, "disqualified"), isNotNull(projects.openedAt)))
    .orderBy(desc(projects.openedAt))
    .limit(50);
  const rated = won.filter((w) => w.ratings > 0);
  const totalRatings = rated.reduce((s, w) => s + w.ratings, 0);
  return {
    projects: won.map((w) => ({ ...w, rating: w.rating === null ? null : Math.round(Number(w.rating) * 10) / 10 })),
    bids: Number(bidCount?.n ?? 0),
    awards: won.length,
    ratingMean: totalRatings ? Math.round((rated.reduce((s, w) => s + Number(w.rating) * w.ratings, 0) / totalRatings) * 10) / 10 : null,
    ratingCount: totalRatings,
    disqualified,
  };
}
export type OrganizationRecord = Awaited<ReturnType<typeof organizationRecord>>;

// ---------------------------------------------------------------- the page's forms

const intent = intentsFor<{ actor: Actor; projectId: number; formData: FormData }>();

/** Every form of the contract page: intent → fields → command. The report's evidence is read from the form and checked (type by first bytes, size, count) before the command stores anything. */
export const contractIntents = {
  adjust: intent(adjustSchema, ({ actor, projectId }, v) => adjustMilestones(actor, projectId, v)),
  report: intent(reportSchema, async ({ actor, projectId, formData }, v) => {
    const checked = await photosOf(formData, "evidence", { documents: true });
    if (!checked.ok) throw new CommandError(checked.error, "evidence");
    return reportMilestone(actor, projectId, { ...v, evidence: checked.photos });
  }),
  judge: intent(judgeSchema, ({ actor, projectId }, v) => judgeMilestone(actor, projectId, v)),
  pay: intent(paySchema, ({ actor, projectId }, v) => payMilestone(actor, projectId, v)),
  rate: intent(rateSchema, ({ actor, projectId }, v) => rateProject(actor, projectId, v)),
};
