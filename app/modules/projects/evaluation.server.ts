import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { bids, bidScores, conflictDeclarations, organizationMembers, projectEvaluators, projects } from "#db/schema";
import { serverNow } from "~/lib/clock.server";
import { CommandError, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { authorize } from "~/modules/access";
import type { Actor } from "~/modules/identity/actor";
import { notifyMany } from "~/modules/notifications/commands.server";
import { bidderAdmins, lockProject, record, stepProject, type ProjectRow } from "./commands.server";
import { noticeEnd, panelScore, rankBids, sheetComplete, toHundredths, type Sheet } from "./rules";

/**
 * The evaluation (评审): each evaluator declares conflicts of interest for
 * every valid bid first (a conflict bars them from scoring that bid), then
 * scores, independently; once all have submitted, the panel's scores are
 * computed (rules.panelScore) and ranked; staff disqualify with a reason and
 * award with a public rationale, which starts the notice period.
 */

/** Bids still in the running once opened: submitted (not found wanting at the opening) or marked valid, and not disqualified. */
export const validBid = sql`${bids.status} in ('submitted', 'valid') and ${bids.contents} is not null`;

export async function validBids(tx: Tx, projectId: number) {
  return tx
    .select({ id: bids.id, organizationId: bids.organizationId, price: bids.price, submittedAt: bids.submittedAt, score: bids.score })
    .from(bids)
    .where(and(eq(bids.projectId, projectId), validBid))
    .orderBy(asc(bids.id));
}

export async function panelOf(tx: Tx, projectId: number) {
  return tx.select().from(projectEvaluators).where(eq(projectEvaluators.projectId, projectId)).orderBy(asc(projectEvaluators.userId));
}

/** The panel's progress, live to everyone on the page (counts only). */
async function sendProgress(tx: Tx, outbox: Outbox, projectId: number) {
  const panel = await panelOf(tx, projectId);
  outbox.emit(`project:${projectId}`, "project:panel", {
    projectId,
    evaluators: panel.length,
    declared: panel.filter((e) => e.declaredAt).length,
    submitted: panel.filter((e) => e.submittedAt).length,
  });
}

/**
 * The panel's scores, once every evaluator has submitted: each valid bid's
 * score from the sheets of those who scored it (conflicted evaluators did
 * not), in hundredths. Until then, no bid has a score.
 */
export async function recomputeScores(tx: Tx, outbox: Outbox, project: Pick<ProjectRow, "id" | "criteria" | "status" | "openedAt">) {
  await sendProgress(tx, outbox, project.id);
  if (project.status !== "evaluating") return false;
  const panel = await panelOf(tx, project.id);
  const done = panel.length > 0 && panel.every((e) => e.submittedAt) && project.openedAt !== null;
  if (!done) {
    await tx.update(bids).set({ score: null }).where(eq(bids.projectId, project.id));
    return false;
  }
  const valid = await validBids(tx, project.id);
  const rows = await tx.select().from(bidScores).where(eq(bidScores.projectId, project.id));
  const conflicts = await tx.select().from(conflictDeclarations).where(and(eq(conflictDeclarations.projectId, project.id), eq(conflictDeclarations.conflict, true)));
  const barred = new Set(conflicts.map((c) => `${c.userId}:${c.bidId}`));
  for (const bid of valid) {
    const sheets: Sheet[] = panel
      .filter((e) => !barred.has(`${e.userId}:${bid.id}`))
      .map((e) => Object.fromEntries(rows.filter((r) => r.userId === e.userId && r.bidId === bid.id).map((r) => [r.criterion, r.score])))
      .filter((s) => Object.keys(s).length > 0);
    const score = panelScore(project.criteria, sheets);
    await tx
      .update(bids)
      .set({ score: score === null ? null : toHundredths(score) })
      .where(eq(bids.id, bid.id));
  }
  await tx
    .update(bids)
    .set({ score: null })
    .where(and(eq(bids.projectId, project.id), sql`not (${validBid})`));
  return true;
}

/** The project being evaluated with its bids opened, and the actor on its panel. */
async function onPanel(tx: Tx, actor: Actor, projectId: number) {
  const { project, unitPath } = await lockProject(tx, projectId);
  const panel = await panelOf(tx, project.id);
  authorize(actor, "project:evaluate", { evaluatorIds: panel.map((e) => e.userId) });
  if (project.status !== "evaluating" || !project.openedAt) throw new CommandError("project.error.notEvaluating");
  const me = panel.find((e) => e.userId === actor.userId)!;
  return { project, unitPath, me };
}

/**
 * An evaluator declares, for every valid bid, whether they have a conflict of
 * interest. Once, before scoring; a member of a bidding organisation cannot
 * say "no conflict" about its bid.
 */
export async function declareConflicts(actor: Actor, input: { projectId: number; declarations: { bidId: number; conflict: boolean; note?: string }[] }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { project, me } = await onPanel(tx, actor, input.projectId);
    if (me.declaredAt) throw new CommandError("project.error.alreadyDeclared");
    const valid = await validBids(tx, project.id);
    const said = new Map(input.declarations.map((d) => [d.bidId, d]));
    if (valid.some((b) => !said.has(b.id)) || input.declarations.some((d) => !valid.some((b) => b.id === d.bidId))) throw new CommandError("project.error.declareEach");
    const mine = await tx.select({ id: organizationMembers.organizationId }).from(organizationMembers).where(eq(organizationMembers.userId, actor.userId!));
    for (const b of valid) {
      if (!said.get(b.id)!.conflict && mine.some((m) => m.id === b.organizationId)) throw new CommandError("project.error.ownOrganization", `bids[${valid.indexOf(b)}].conflict`);
    }
    await tx.insert(conflictDeclarations).values(valid.map((b) => ({ projectId: project.id, userId: actor.userId!, bidId: b.id, conflict: said.get(b.id)!.conflict, note: said.get(b.id)!.note || null })));
    await tx
      .update(projectEvaluators)
      .set({ declaredAt: now })
      .where(and(eq(projectEvaluators.projectId, project.id), eq(projectEvaluators.userId, actor.userId!)));
    const conflicts = input.declarations.filter((d) => d.conflict).length;
    await record(tx, project, { actorId: actor.userId, kind: "declared", action: "project.declare", detail: { declared: true, conflicts }, now });
    await sendProgress(tx, outbox, project.id);
  });
}

/**
 * Save an evaluator's scores (a draft), or submit them: then every bid they
 * may score must have a whole score 0–100 on every criterion, and nothing
 * changes after. The bids they declared a conflict on refuse any score.
 */
export async function scoreBids(actor: Actor, input: { projectId: number; sheets: { bidId: number; scores: Sheet }[]; submit: boolean }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { project, me } = await onPanel(tx, actor, input.projectId);
    if (!me.declaredAt) throw new CommandError("project.error.declareFirst");
    if (me.submittedAt) throw new CommandError("project.error.alreadySubmitted");
    const valid = await validBids(tx, project.id);
    const declared = await tx
      .select()
      .from(conflictDeclarations)
      .where(and(eq(conflictDeclarations.projectId, project.id), eq(conflictDeclarations.userId, actor.userId!)));
    const barred = new Set(declared.filter((d) => d.conflict).map((d) => d.bidId));
    const criteria = new Set(project.criteria.map((c) => c.id));
    for (const [i, sheet] of input.sheets.entries()) {
      if (!valid.some((b) => b.id === sheet.bidId)) throw new NotFoundError("bid");
      const given = Object.entries(sheet.scores).filter(([, v]) => v !== undefined && v !== null);
      if (barred.has(sheet.bidId)) {
        if (given.length > 0) throw new CommandError("project.error.conflictBars", `sheets[${i}].scores`);
        continue;
      }
      for (const [criterion, score] of given) {
        if (!criteria.has(criterion)) throw new CommandError("project.error.score", `sheets[${i}].scores`);
        if (!Number.isInteger(score) || score < 0 || score > 100) throw new CommandError("project.error.score", `sheets[${i}].scores.${criterion}`);
        await tx
          .insert(bidScores)
          .values({ projectId: project.id, userId: actor.userId!, bidId: sheet.bidId, criterion, score })
          .onConflictDoUpdate({ target: [bidScores.projectId, bidScores.userId, bidScores.bidId, bidScores.criterion], set: { score } });
      }
    }
    if (!input.submit) return { submitted: false, computed: false };
    const stored = await tx
      .select()
      .from(bidScores)
      .where(and(eq(bidScores.projectId, project.id), eq(bidScores.userId, actor.userId!)));
    for (const [i, b] of valid.entries()) {
      if (barred.has(b.id)) continue;
      const sheet = Object.fromEntries(stored.filter((r) => r.bidId === b.id).map((r) => [r.criterion, r.score]));
      if (!sheetComplete(project.criteria, sheet)) throw new CommandError("project.error.sheetIncomplete", `sheets[${i}].scores`);
    }
    await tx
      .update(projectEvaluators)
      .set({ submittedAt: now })
      .where(and(eq(projectEvaluators.projectId, project.id), eq(projectEvaluators.userId, actor.userId!)));
    const computed = await recomputeScores(tx, outbox, project);
    await record(tx, project, { actorId: actor.userId, kind: computed ? "scored" : "submitted", action: "project.score", detail: { submitted: true, ...(computed ? { computed: true } : {}) }, now });
    return { submitted: true, computed };
  });
}

/** The bid and its project, locked. */
async function bidOf(tx: Tx, bidId: number) {
  const [bid] = await tx.select().from(bids).where(eq(bids.id, bidId));
  if (!bid) throw new NotFoundError("bid");
  const locked = await lockProject(tx, bid.projectId);
  return { bid, ...locked };
}

/**
 * Staff disqualify a bid during the evaluation, with a reason (required,
 * public). Its scores no longer count; with no valid bid left the call is
 * unsuccessful.
 */
export async function disqualifyBid(actor: Actor, input: { bidId: number; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { bid, project, unitPath } = await bidOf(tx, input.bidId);
    authorize(actor, "project:manage", { unitPath });
    if (project.status !== "evaluating" || !project.openedAt) throw new CommandError("project.error.notEvaluating", "reason");
    if (bid.status !== "submitted" && bid.status !== "valid") throw new CommandError("project.error.notValid", "reason");
    await tx.update(bids).set({ status: "disqualified", disqualifiedReason: input.reason, disqualifiedBy: actor.userId, score: null }).where(eq(bids.id, bid.id));
    await record(tx, project, { actorId: actor.userId, kind: "disqualified", action: "project.disqualify", detail: { bidId: bid.id, organizationId: bid.organizationId }, reason: input.reason, now });
    const left = await validBids(tx, project.id);
    if (left.length === 0) {
      await stepProject(tx, outbox, project, "fail", { actorId: actor.userId, kind: "unsuccessful", action: "project.fail", reason: "noValidBid", now, set: { endReason: "noValidBid" } });
      return;
    }
    await recomputeScores(tx, outbox, project);
  });
}

/**
 * Staff award the call to a scored valid bid, with a public rationale
 * (required): the notice period (公示) starts now and ends after the call's
 * notice days (working days). The bidders hear of it.
 */
export async function awardProject(actor: Actor, input: { projectId: number; bidId: number; rationale: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { project, unitPath } = await lockProject(tx, input.projectId);
    authorize(actor, "project:manage", { unitPath });
    if (project.status !== "evaluating") throw new CommandError("project.error.notNow.award", "bidId");
    const panel = await panelOf(tx, project.id);
    if (panel.length === 0 || panel.some((e) => !e.submittedAt)) throw new CommandError("project.error.panelNotDone", "bidId");
    const ranked = rankBids(await validBids(tx, project.id));
    const rank = ranked.findIndex((b) => b.id === input.bidId);
    if (rank < 0) throw new CommandError("project.error.notScored", "bidId");
    const noticeEndsAt = noticeEnd(now, project.noticeDays);
    await stepProject(tx, outbox, project, "award", {
      actorId: actor.userId,
      kind: "awarded",
      action: "project.award",
      detail: { bidId: input.bidId, rank: rank + 1, score: ranked[rank]!.score, price: ranked[rank]!.price },
      reason: input.rationale,
      now,
      set: { awardBidId: input.bidId, awardRationale: input.rationale, awardedAt: now, noticeEndsAt },
    });
    await notifyMany(tx, outbox, await bidderAdmins(tx, project.id), { kind: "notification.projectAwarded", params: { title: project.title }, link: `/projects/${project.id}` });
    return { noticeEndsAt };
  });
}

/** When the bids are opened (part A's opening), the panel hears it is time to declare and score. */
export async function callPanel(tx: Tx, outbox: Outbox, projectId: number) {
  const [p] = await tx.select({ title: projects.title }).from(projects).where(eq(projects.id, projectId));
  const panel = await panelOf(tx, projectId);
  if (p && panel.length) await notifyMany(tx, outbox, panel.map((e) => e.userId), { kind: "notification.projectEvaluate", params: { title: p.title }, link: `/projects/${projectId}/evaluate` });
  await sendProgress(tx, outbox, projectId);
}
