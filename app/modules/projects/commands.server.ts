import { and, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import {
  bids,
  halls,
  needs,
  organizationMembers,
  organizations,
  projectDocuments,
  projectEvaluators,
  projectEvents,
  projectKeys,
  projectObjections,
  projectOpeners,
  projectQuestions,
  projects,
  proposals,
  units,
  users,
} from "#db/schema";
import type { EvaluatorRole, ProjectStatus } from "#db/schema/projects";
import { audit } from "~/lib/audit.server";
import type { AuditAction } from "~/lib/audit";
import { serverNow } from "~/lib/clock.server";
import { CommandError, lockIdempotencyKey, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { withPhotos, type CheckedPhoto } from "~/lib/uploads.server";
import { authorize } from "~/modules/access";
import type { Actor } from "~/modules/identity/actor";
import { notifyMany } from "~/modules/notifications/commands.server";
import { mayRaiseFrom } from "~/modules/service-lists/rules";
import { createContract } from "./contract.server";
import { notifyOpeners } from "./opening.server";
import { recomputeScores } from "./evaluation.server";
import { criteriaProblem, mayFinalize, mayStep, objectionsOpen, questionsOpen, stepTo, type ProjectStep } from "./rules";
import type { CallTerms, ProjectEventKind } from "./schemas";

/**
 * Every write of a call before the award is final: authorised with `can`,
 * one transaction each, the project's row locked, every change of state a
 * public `project_events` row and an audit row, and the live count sent
 * after commit. The evaluation's own writes are in evaluation.server.ts.
 */

export type ProjectRow = typeof projects.$inferSelect;

/** The project and its buyer's path, locked: its changes go one at a time. */
export async function lockProject(tx: Tx, projectId: number) {
  const [row] = await tx
    .select({ project: projects, unitPath: units.path })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .where(eq(projects.id, projectId))
    .for("update", { of: projects });
  if (!row) throw new NotFoundError("project");
  return row;
}

/** A public line of the project's timeline and the matching audit row. */
export async function record(
  tx: Tx,
  p: { id: number },
  entry: { actorId: number | null; kind: ProjectEventKind; action: AuditAction; detail?: Record<string, unknown>; reason?: string | null; now: Date },
) {
  await tx.insert(projectEvents).values({ projectId: p.id, actorId: entry.actorId, kind: entry.kind, detail: entry.detail ?? null, reason: entry.reason ?? null, at: entry.now });
  await audit(tx, { actorId: entry.actorId, action: entry.action, subjectType: "project", subjectId: p.id, data: { ...entry.detail, ...(entry.reason ? { reason: entry.reason } : {}) } });
}

/** The project's live state for the open pages (never anything of a bid's contents). */
export function announce(outbox: Outbox, p: { id: number; status: ProjectStatus; bidCount: number }) {
  outbox.emit(`project:${p.id}`, "project:changed", { projectId: p.id, status: p.status, bidCount: p.bidCount });
}

/** Move a locked project one step: the new status, the public event, the audit row, the live message. */
export async function stepProject(
  tx: Tx,
  outbox: Outbox,
  project: ProjectRow,
  step: ProjectStep,
  entry: { actorId: number | null; kind: ProjectEventKind; action: AuditAction; detail?: Record<string, unknown>; reason?: string | null; now: Date; set?: Partial<ProjectRow> },
) {
  const to = stepTo(project.status, step);
  if (!to) throw new CommandError(`project.error.notNow.${step}`);
  await tx
    .update(projects)
    .set({ ...entry.set, status: to, updatedAt: entry.now })
    .where(eq(projects.id, project.id));
  await record(tx, project, { ...entry, detail: { from: project.status, to, ...entry.detail } });
  announce(outbox, { id: project.id, status: to, bidCount: project.bidCount });
  return to;
}

/** The unit a call is bought for: a community or subdistrict the actor is staff over. */
async function buyer(tx: Tx, unitId: number) {
  const [unit] = await tx.select().from(units).where(eq(units.id, unitId));
  if (!unit || (unit.kind !== "community" && unit.kind !== "subdistrict")) throw new CommandError("validation.choose", "unitId");
  return unit;
}

/** Where the call came from must be of the buyer's area: a need of its list, a passed proposal of its hall (or the one above). */
async function checkOrigin(tx: Tx, unitPath: string, input: { needId?: number; proposalId?: number }) {
  if (input.needId) {
    const [need] = await tx.select({ path: units.path }).from(needs).innerJoin(units, eq(units.id, needs.unitId)).where(eq(needs.id, input.needId));
    if (!need || !need.path.startsWith(unitPath)) throw new CommandError("project.error.needElsewhere", "unitId");
  }
  if (input.proposalId) {
    const [p] = await tx
      .select({ state: proposals.state, hallPath: units.path })
      .from(proposals)
      .innerJoin(halls, eq(halls.id, proposals.hallId))
      .innerJoin(units, eq(units.id, halls.unitId))
      .where(eq(proposals.id, input.proposalId));
    if (!p || !mayRaiseFrom(p.state)) throw new CommandError("project.error.proposalNotPassed", "unitId");
    if (!unitPath.startsWith(p.hallPath) && !p.hallPath.startsWith(unitPath)) throw new CommandError("project.error.proposalElsewhere", "unitId");
  }
}

/** The checks the form's schema made, again on the server's clock: criteria, and a deadline still ahead. */
function checkTerms(t: CallTerms, now: Date) {
  const problem = criteriaProblem(t.criteria);
  if (problem) throw new CommandError(`project.error.criteria.${problem}`, "weights");
  if (t.bidDeadline <= now) throw new CommandError("project.error.deadlinePast", "bidDeadline");
  if (t.questionsCloseAt > t.bidDeadline) throw new CommandError("project.error.questionsAfterDeadline", "questionsCloseAt");
  if (t.periodEnd < t.periodStart) throw new CommandError("project.error.periodOrder", "periodEnd");
}

const termsColumns = (t: CallTerms) => ({
  unitId: t.unitId,
  title: t.title,
  scope: t.scope,
  category: t.category,
  budgetCap: t.budgetCap,
  periodStart: t.periodStart,
  periodEnd: t.periodEnd,
  eligibility: { minMonthsVerified: t.minMonthsVerified, localOnly: t.localOnly },
  criteria: t.criteria,
  questionsCloseAt: t.questionsCloseAt,
  bidDeadline: t.bidDeadline,
  noticeDays: t.noticeDays,
  needId: t.needId ?? null,
  proposalId: t.proposalId ?? null,
});

// ——— The call ———

/**
 * Staff create a call for their community or subdistrict (planning: nobody
 * outside sees it until published). A retried form with the same key finds
 * the project it made.
 */
export async function createProject(actor: Actor, input: CallTerms & { clientKey: string }, now = serverNow()) {
  return runCommand(async (tx) => {
    const unit = await buyer(tx, input.unitId);
    authorize(actor, "project:create", { unitPath: unit.path });
    await lockIdempotencyKey(tx, `project:${actor.userId}:${input.clientKey}`);
    const [existing] = await tx.select().from(projects).where(and(eq(projects.createdBy, actor.userId!), eq(projects.clientKey, input.clientKey)));
    if (existing) return existing;
    checkTerms(input, now);
    await checkOrigin(tx, unit.path, input);
    const [project] = await tx
      .insert(projects)
      .values({ ...termsColumns(input), createdBy: actor.userId!, clientKey: input.clientKey, createdAt: now, updatedAt: now })
      .returning();
    await record(tx, project!, { actorId: actor.userId, kind: "created", action: "project.create", detail: { needId: input.needId ?? null, proposalId: input.proposalId ?? null }, now });
    return project!;
  });
}

/** Edit the call's terms: only while planning (once published, the terms are what bidders read). */
export async function editProject(actor: Actor, input: CallTerms & { projectId: number }, now = serverNow()) {
  return runCommand(async (tx) => {
    const { project, unitPath } = await lockProject(tx, input.projectId);
    authorize(actor, "project:manage", { unitPath });
    if (!mayStep(project.status, "edit")) throw new CommandError("project.error.notNow.edit");
    const unit = await buyer(tx, input.unitId);
    authorize(actor, "project:create", { unitPath: unit.path });
    checkTerms(input, now);
    await checkOrigin(tx, unit.path, input);
    await tx
      .update(projects)
      .set({ ...termsColumns(input), updatedAt: now })
      .where(eq(projects.id, project.id));
    await record(tx, project, { actorId: actor.userId, kind: "edited", action: "project.edit", now });
  });
}

/** Accounts by their names; a name nobody has is refused beside its field. */
async function accountsNamed(tx: Tx, names: { field: string; name: string }[]) {
  const found = names.length
    ? await tx
        .select({ id: users.id, username: users.username })
        .from(users)
        .where(inArray(sql`lower(${users.username})`, names.map((n) => n.name.toLowerCase())))
    : [];
  return names.map((n) => {
    const user = found.find((u) => u.username?.toLowerCase() === n.name.toLowerCase());
    if (!user) throw new CommandError("project.error.noAccount", n.field, { name: n.name });
    return user.id;
  });
}

/**
 * Name the opening committee (开标小组): three members, any two of whom open
 * the bids (shared/crypto.md §5). Only before their key ceremony has begun;
 * the ceremony itself is the openers' (opening.server.ts).
 */
export async function setCommittee(actor: Actor, input: { projectId: number; usernames: string[] }, now = serverNow()) {
  return runCommand(async (tx) => {
    const { project, unitPath } = await lockProject(tx, input.projectId);
    authorize(actor, "project:manage", { unitPath });
    if (project.status !== "planning") throw new CommandError("project.error.notNow.committee");
    const [key] = await tx.select().from(projectKeys).where(eq(projectKeys.projectId, project.id));
    const started = await tx
      .select({ index: projectOpeners.index })
      .from(projectOpeners)
      .where(and(eq(projectOpeners.projectId, project.id), sql`${projectOpeners.transportKey} is not null`));
    if (key?.openingKey || started.length > 0) throw new CommandError("project.error.ceremonyStarted", "opener1");
    const named = input.usernames.map((name, i) => ({ field: `opener${i + 1}`, name: name.trim() })).filter((n) => n.name);
    if (named.length !== 3) throw new CommandError("project.error.committeeSize", named.length ? `opener${named.length + 1 > 3 ? 3 : named.length + 1}` : "opener1");
    const ids = await accountsNamed(tx, named);
    if (new Set(ids).size !== ids.length) throw new CommandError("project.error.committeeTwice", "opener3");
    await tx.delete(projectOpeners).where(eq(projectOpeners.projectId, project.id));
    if (key) await tx.update(projectKeys).set({ threshold: 2 }).where(eq(projectKeys.projectId, project.id));
    else await tx.insert(projectKeys).values({ projectId: project.id, threshold: 2 });
    await tx.insert(projectOpeners).values(ids.map((userId, k) => ({ projectId: project.id, index: k + 1, userId })));
    await record(tx, project, { actorId: actor.userId, kind: "committee", action: "project.committee", detail: { members: ids.length, threshold: 2 }, now });
  });
}

/** The evaluation panel may change until the award (a new member has to declare and score before the scores count again). */
const panelOpen = (status: ProjectStatus) => status === "planning" || status === "open" || status === "evaluating";

/** Invite an evaluator by account name: staff, a resident representative or an outside expert. */
export async function addEvaluator(actor: Actor, input: { projectId: number; username: string; role: EvaluatorRole }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { project, unitPath } = await lockProject(tx, input.projectId);
    authorize(actor, "project:manage", { unitPath });
    if (!panelOpen(project.status)) throw new CommandError("project.error.notNow.panel", "username");
    const [userId] = await accountsNamed(tx, [{ field: "username", name: input.username }]);
    const inserted = await tx
      .insert(projectEvaluators)
      .values({ projectId: project.id, userId: userId!, role: input.role, invitedBy: actor.userId! })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) throw new CommandError("project.error.alreadyEvaluator", "username");
    await record(tx, project, { actorId: actor.userId, kind: "panel", action: "project.panel", detail: { added: input.role }, now });
    await recomputeScores(tx, outbox, project);
    if (project.status === "evaluating" && project.openedAt)
      await notifyMany(tx, outbox, [userId!], { kind: "notification.projectEvaluate", params: { title: project.title }, link: `/projects/${project.id}/evaluate` });
  });
}

/** Take an evaluator off the panel, until they have declared (after that their declarations are part of the record). */
export async function removeEvaluator(actor: Actor, input: { projectId: number; userId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { project, unitPath } = await lockProject(tx, input.projectId);
    authorize(actor, "project:manage", { unitPath });
    if (!panelOpen(project.status)) throw new CommandError("project.error.notNow.panel");
    const [e] = await tx.select().from(projectEvaluators).where(and(eq(projectEvaluators.projectId, project.id), eq(projectEvaluators.userId, input.userId)));
    if (!e) throw new NotFoundError("evaluator");
    if (e.declaredAt) throw new CommandError("project.error.evaluatorDeclared");
    await tx.delete(projectEvaluators).where(and(eq(projectEvaluators.projectId, project.id), eq(projectEvaluators.userId, input.userId)));
    await record(tx, project, { actorId: actor.userId, kind: "panel", action: "project.panel", detail: { removed: e.role }, now });
    await recomputeScores(tx, outbox, project);
  });
}

/** Add the call's documents (terms of reference, forms): public files, PDF or images, checked like photos. While planning or open (an addendum). */
export async function addDocuments(actor: Actor, input: { projectId: number; files: (CheckedPhoto & { name: string })[] }, now = serverNow()) {
  return withPhotos((keep) =>
    runCommand(async (tx) => {
      const { project, unitPath } = await lockProject(tx, input.projectId);
      authorize(actor, "project:manage", { unitPath });
      if (project.status !== "planning" && project.status !== "open") throw new CommandError("project.error.notNow.document", "photos");
      if (input.files.length === 0) throw new CommandError("project.error.noFile", "photos");
      const stored = await keep(tx, actor.userId!, input.files);
      await tx.insert(projectDocuments).values(
        stored.map((s, i) => ({ projectId: project.id, file: s.fileName, name: input.files[i]!.name.slice(0, 120) || s.fileName, mime: s.mime, bytes: s.size, uploadedBy: actor.userId!, createdAt: now })),
      );
      await record(tx, project, { actorId: actor.userId, kind: "document", action: "project.document", detail: { files: stored.length }, now });
    }),
  );
}

/** Publish the call (planning → open): only once the opening committee's key exists, and with the deadline still ahead. */
export async function publishProject(actor: Actor, input: { projectId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { project, unitPath } = await lockProject(tx, input.projectId);
    authorize(actor, "project:manage", { unitPath });
    if (!mayStep(project.status, "publish")) throw new CommandError("project.error.notNow.publish");
    const [key] = await tx.select().from(projectKeys).where(eq(projectKeys.projectId, project.id));
    if (!key?.openingKey) throw new CommandError("project.error.noOpeningKey");
    if (project.bidDeadline <= now) throw new CommandError("project.error.deadlinePast");
    await stepProject(tx, outbox, project, "publish", { actorId: actor.userId, kind: "published", action: "project.publish", now, set: { publishedAt: now } });
  });
}

/** Call it off, with a public reason, before the contract runs. */
export async function cancelProject(actor: Actor, input: { projectId: number; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { project, unitPath } = await lockProject(tx, input.projectId);
    authorize(actor, "project:manage", { unitPath });
    if (!mayStep(project.status, "cancel")) throw new CommandError("project.error.notNow.cancel", "reason");
    await stepProject(tx, outbox, project, "cancel", { actorId: actor.userId, kind: "cancelled", action: "project.cancel", reason: input.reason, now, set: { endReason: input.reason } });
  });
}

// ——— Questions (答疑) ———

/** An organisation as the permissions see it, with its members' role for the actor. */
export async function orgRef(tx: Tx, id: number) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, id));
  if (!org) throw new NotFoundError("organization");
  return { id: org.id, kind: org.kind, confirmed: org.status === "confirmed", name: org.name };
}

/** A member of a verified civil-society organisation asks, while questions are taken. A retried form is one question. */
export async function askQuestion(actor: Actor, input: { projectId: number; organizationId: number; question: string; clientKey: string }, now = serverNow()) {
  return runCommand(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, input.projectId));
    if (!project || project.status === "planning") throw new NotFoundError("project");
    const organization = await orgRef(tx, input.organizationId);
    authorize(actor, "project:ask", { organization });
    await lockIdempotencyKey(tx, `question:${actor.userId}:${input.clientKey}`);
    const [existing] = await tx.select().from(projectQuestions).where(and(eq(projectQuestions.askedBy, actor.userId!), eq(projectQuestions.clientKey, input.clientKey)));
    if (existing) return existing;
    if (!questionsOpen(project, now)) throw new CommandError("project.error.questionsClosed", "question");
    const [q] = await tx
      .insert(projectQuestions)
      .values({ projectId: project.id, organizationId: organization.id, askedBy: actor.userId!, question: input.question, clientKey: input.clientKey, askedAt: now })
      .returning();
    // Audited (who asked is for the record), but not a public event: the public never learns who asked.
    await audit(tx, { actorId: actor.userId, action: "project.ask", subjectType: "project_question", subjectId: q!.id, data: { projectId: project.id } });
    return q!;
  });
}

/** Staff answer a question publicly (an answer may be corrected until the call ends). */
export async function answerQuestion(actor: Actor, input: { questionId: number; answer: string }, now = serverNow()) {
  return runCommand(async (tx) => {
    const [q] = await tx.select().from(projectQuestions).where(eq(projectQuestions.id, input.questionId));
    if (!q) throw new NotFoundError("question");
    const { project, unitPath } = await lockProject(tx, q.projectId);
    authorize(actor, "project:manage", { unitPath });
    if (project.status === "planning" || project.status === "cancelled" || project.status === "unsuccessful" || project.status === "completed")
      throw new CommandError("project.error.notNow.answer", "answer");
    await tx.update(projectQuestions).set({ answer: input.answer, answeredBy: actor.userId, answeredAt: now }).where(eq(projectQuestions.id, q.id));
    await record(tx, project, { actorId: actor.userId, kind: "answered", action: "project.answer", detail: { questionId: q.id, again: q.answer !== null }, now });
  });
}

// ——— Objections (质疑) ———

/** Organisations that bid (submitted, whatever became of the bid since): who may object. */
export async function bidderIds(tx: Tx, projectId: number) {
  const rows = await tx.select({ id: bids.organizationId }).from(bids).where(and(eq(bids.projectId, projectId), sql`${bids.status} <> 'withdrawn'`));
  return rows.map((r) => r.id);
}

/** An admin of an organisation that bid objects to the award during the notice period. */
export async function objectToAward(actor: Actor, input: { projectId: number; organizationId: number; text: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { project } = await lockProject(tx, input.projectId);
    authorize(actor, "project:object", { organizationId: input.organizationId, bidderIds: await bidderIds(tx, project.id) });
    if (!objectionsOpen(project, now)) throw new CommandError("project.error.objectionsClosed", "text");
    const [o] = await tx
      .insert(projectObjections)
      .values({ projectId: project.id, organizationId: input.organizationId, raisedBy: actor.userId!, text: input.text, raisedAt: now })
      .returning();
    await record(tx, project, { actorId: actor.userId, kind: "objection", action: "project.object", detail: { objectionId: o!.id }, now });
    announce(outbox, project);
    return o!;
  });
}

/** Objections raised against the current award and not yet answered: the award cannot become final while any is. */
export async function unansweredObjections(tx: Tx, project: ProjectRow) {
  if (!project.awardedAt) return 0;
  const [row] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(projectObjections)
    .where(and(eq(projectObjections.projectId, project.id), isNull(projectObjections.answeredAt), gte(projectObjections.raisedAt, project.awardedAt)));
  return row!.n;
}

/**
 * Staff answer an objection publicly. Upheld: the award is withdrawn and the
 * evaluation resumes (the panel may look again and submit anew). Not upheld:
 * the award stands, and becomes final once the notice period is over.
 */
export async function answerObjection(actor: Actor, input: { objectionId: number; answer: string; upheld: boolean }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const [o] = await tx.select().from(projectObjections).where(eq(projectObjections.id, input.objectionId));
    if (!o) throw new NotFoundError("objection");
    const { project, unitPath } = await lockProject(tx, o.projectId);
    authorize(actor, "project:manage", { unitPath });
    if (o.answeredAt) throw new CommandError("project.error.objectionAnswered", "answer");
    if (project.status !== "awarded") throw new CommandError("project.error.notNow.reopen", "answer");
    await tx.update(projectObjections).set({ answer: input.answer, upheld: input.upheld, answeredBy: actor.userId, answeredAt: now }).where(eq(projectObjections.id, o.id));
    await record(tx, project, { actorId: actor.userId, kind: "objectionAnswered", action: "project.answerObjection", detail: { objectionId: o.id, upheld: input.upheld }, now });
    if (input.upheld) {
      await stepProject(tx, outbox, project, "reopen", {
        actorId: actor.userId,
        kind: "reopened",
        action: "project.reopen",
        detail: { objectionId: o.id, withdrawnBidId: project.awardBidId },
        now,
        set: { awardBidId: null, awardRationale: null, awardedAt: null, noticeEndsAt: null },
      });
      // The panel looks again: their sheets stay, to be changed and submitted anew.
      await tx.update(projectEvaluators).set({ submittedAt: null }).where(eq(projectEvaluators.projectId, project.id));
      await recomputeScores(tx, outbox, { ...project, status: "evaluating" });
    } else {
      announce(outbox, project);
    }
  });
}

// ——— The clock ———

/**
 * Time-driven steps (scheduler, ADR 0010), from stored times and the server's
 * clock, so a restart catches up and several nodes may run it (rows locked
 * with SKIP LOCKED): at the bid deadline an open call moves to evaluation, or
 * is unsuccessful with no bid; an award whose notice period is over with every
 * objection answered becomes final and the contract runs; a call left with no
 * valid bid after the opening is unsuccessful.
 */
export async function runProjectClock(now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    let moved = 0;
    const due = await tx
      .select()
      .from(projects)
      .where(and(eq(projects.status, "open"), sql`${projects.bidDeadline} <= ${now.toISOString()}::timestamptz`))
      .for("update", { skipLocked: true })
      .limit(200);
    for (const p of due) {
      const [count] = await tx
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(bids)
        .where(and(eq(bids.projectId, p.id), eq(bids.status, "submitted")));
      if (count!.n > 0) {
        await stepProject(tx, outbox, p, "close", { actorId: null, kind: "closed", action: "project.close", detail: { bids: count!.n }, now });
        // The opening committee is told to open the bids (开标): each member's browser unlocks their share.
        await notifyOpeners(tx, outbox, p);
      }
      else await stepProject(tx, outbox, p, "fail", { actorId: null, kind: "unsuccessful", action: "project.fail", detail: { bids: 0 }, reason: "noBids", now, set: { endReason: "noBids" } });
      moved++;
    }
    const noticeOver = await tx
      .select()
      .from(projects)
      .where(and(eq(projects.status, "awarded"), sql`${projects.noticeEndsAt} <= ${now.toISOString()}::timestamptz`))
      .for("update", { skipLocked: true })
      .limit(200);
    for (const p of noticeOver) {
      if (!mayFinalize(p, await unansweredObjections(tx, p), now)) continue;
      await stepProject(tx, outbox, p, "finalize", { actorId: null, kind: "finalized", action: "project.finalize", detail: { bidId: p.awardBidId }, now, set: { finalAt: now } });
      // The contract: the winning bid's proposed milestones, and the organisation told (contract.server.ts).
      await createContract(tx, p, outbox);
      moved++;
    }
    const opened = await tx
      .select()
      .from(projects)
      .where(
        and(
          eq(projects.status, "evaluating"),
          sql`${projects.openedAt} is not null`,
          sql`not exists (select 1 from ${bids} where ${bids.projectId} = ${projects.id} and ${bids.status} in ('submitted', 'valid'))`,
        ),
      )
      .for("update", { skipLocked: true })
      .limit(200);
    for (const p of opened) {
      await stepProject(tx, outbox, p, "fail", { actorId: null, kind: "unsuccessful", action: "project.fail", reason: "noValidBid", now, set: { endReason: "noValidBid" } });
      moved++;
    }
    return moved;
  });
}

/** Admins of the organisations that bid: who hears of the award. */
export async function bidderAdmins(tx: Tx, projectId: number) {
  const rows = await tx
    .select({ userId: organizationMembers.userId })
    .from(bids)
    .innerJoin(organizationMembers, and(eq(organizationMembers.organizationId, bids.organizationId), eq(organizationMembers.role, "admin")))
    .where(and(eq(bids.projectId, projectId), sql`${bids.status} <> 'withdrawn'`));
  return rows.map((r) => r.userId);
}
