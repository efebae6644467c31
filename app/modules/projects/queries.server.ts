import { and, asc, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { db } from "#db/client.server";
import {
  bids,
  bidScores,
  conflictDeclarations,
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
import type { BidContents, Criterion } from "#db/schema/projects";
import { serverNow, timeZone } from "~/lib/clock.server";
import { offsetMinutes } from "~/lib/time";
import { ForbiddenError, NotFoundError } from "~/lib/command.server";
import { can } from "~/modules/access";
import { COMMUNITY_STAFF, type Actor } from "~/modules/identity/actor";
import { mayRaiseFrom, needCategoryFor } from "~/modules/service-lists/rules";
import { bidsPublic, isEnded, mayStep, objectionsOpen, questionsOpen, rankBids } from "./rules";
import { editorOf, type ListFilter } from "./schemas";

/** One named query per page of service projects. */

/** An instant as a datetime-local field shows it, in the configured zone. */
const localInput = (at: Date) => new Date(at.getTime() + offsetMinutes(at, timeZone()) * 60_000).toISOString().slice(0, 16);

const PAGE = 20;

/** The units (communities and subdistricts) the actor buys for: where they hold a staff position, and below. */
async function buyerUnits(actor: Actor) {
  const scopes = actor.positions.filter((p) => COMMUNITY_STAFF.includes(p.kind) && p.unitPath !== null).map((p) => p.unitPath!);
  if (scopes.length === 0) return [];
  const rows = await db()
    .select({ id: units.id, name: units.name, kind: units.kind, path: units.path })
    .from(units)
    .where(and(inArray(units.kind, ["community", "subdistrict"]), sql`(${sql.join(scopes.map((s) => sql`${units.path} like ${`${s}%`}`), sql` or `)})`))
    .orderBy(asc(units.path));
  return rows.filter((u) => can(actor, "project:create", { unitPath: u.path }));
}

/** Who may see a project in planning: its buyer's staff. Everyone else sees published calls only. */
function visibleTo(actor: Actor, scopes: string[]): SQL {
  const published = sql`${projects.status} <> 'planning'`;
  if (scopes.length === 0) return published;
  return or(published, sql`(${sql.join(scopes.map((s) => sql`${units.path} like ${`${s}%`}`), sql` or `)})`)!;
}

const staffScopes = (actor: Actor) => actor.positions.filter((p) => COMMUNITY_STAFF.includes(p.kind) && p.unitPath !== null).map((p) => p.unitPath!);

/** /projects: calls by place and status, newest first; planning ones only to their buyer's staff. */
export async function projectsPage(actor: Actor, filter: ListFilter) {
  const conditions: SQL[] = [visibleTo(actor, staffScopes(actor))];
  if (filter.unit) {
    const [unit] = await db().select({ path: units.path }).from(units).where(eq(units.id, filter.unit));
    if (unit) conditions.push(sql`${units.path} like ${`${unit.path}%`}`);
  }
  if (filter.status === "ended") conditions.push(inArray(projects.status, ["completed", "cancelled", "unsuccessful"]));
  else if (filter.status) conditions.push(eq(projects.status, filter.status));
  const rows = await db()
    .select({
      id: projects.id,
      title: projects.title,
      status: projects.status,
      category: projects.category,
      budgetCap: projects.budgetCap,
      bidDeadline: projects.bidDeadline,
      bidCount: projects.bidCount,
      noticeEndsAt: projects.noticeEndsAt,
      unitName: units.name,
    })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .where(and(...conditions))
    .orderBy(desc(projects.id))
    .limit(PAGE + 1)
    .offset((filter.page - 1) * PAGE);
  const places = await db()
    .selectDistinct({ id: units.id, name: units.name, path: units.path })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .where(sql`${projects.status} <> 'planning'`)
    .orderBy(asc(units.path));
  const buyers = await buyerUnits(actor);
  return { projects: rows.slice(0, PAGE), more: rows.length > PAGE, places: places.map(({ id, name }) => ({ id, name })), filter, canCreate: buyers.length > 0 };
}

/** The new-call form: the units the actor buys for; prefilled from a need of the list or a passed proposal. */
export async function newProjectPage(actor: Actor, input: { needId?: number; proposalId?: number; unitId?: number }) {
  let buyers = await buyerUnits(actor);
  let from: { needId?: number; proposalId?: number; title: string; scope: string; category: string } | null = null;
  if (input.needId) {
    const [n] = await db()
      .select({ id: needs.id, title: needs.title, description: needs.description, category: needs.category, path: units.path })
      .from(needs)
      .innerJoin(units, eq(units.id, needs.unitId))
      .where(eq(needs.id, input.needId));
    if (!n) throw new NotFoundError("need");
    from = { needId: n.id, title: n.title, scope: n.description, category: n.category };
    buyers = buyers.filter((b) => n.path.startsWith(b.path));
  } else if (input.proposalId) {
    const [p] = await db()
      .select({ id: proposals.id, title: proposals.title, body: proposals.body, state: proposals.state, categoryCode: proposals.categoryCode, hallPath: units.path })
      .from(proposals)
      .innerJoin(halls, eq(halls.id, proposals.hallId))
      .innerJoin(units, eq(units.id, halls.unitId))
      .where(eq(proposals.id, input.proposalId));
    if (!p || !mayRaiseFrom(p.state)) throw new NotFoundError("proposal");
    from = { proposalId: p.id, title: p.title.slice(0, 80), scope: p.body.slice(0, 4000), category: needCategoryFor(p.categoryCode) };
    buyers = buyers.filter((b) => b.path.startsWith(p.hallPath) || p.hallPath.startsWith(b.path));
  }
  if (buyers.length === 0) throw new ForbiddenError("project:create");
  const unitId = buyers.find((b) => b.id === input.unitId)?.id ?? buyers.find((b) => b.kind === "community")?.id ?? buyers[0]!.id;
  return { units: buyers.map(({ id, name, kind }) => ({ id, name, kind })), unitId, from, clientKey: crypto.randomUUID(), now: serverNow().toISOString() };
}

/** The project and its buyer, or a 404 (a call in planning is its staff's only). */
async function projectFor(actor: Actor, projectId: number) {
  const [row] = await db()
    .select({ project: projects, unitName: units.name, unitPath: units.path, unitKind: units.kind })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .where(eq(projects.id, projectId));
  if (!row) throw new NotFoundError("project");
  const manage = can(actor, "project:manage", { unitPath: row.unitPath });
  if (row.project.status === "planning" && !manage) throw new NotFoundError("project");
  return { ...row, manage };
}

/** The call's terms as everyone reads them. */
function publicCall(p: typeof projects.$inferSelect) {
  return {
    id: p.id,
    unitId: p.unitId,
    title: p.title,
    scope: p.scope,
    category: p.category,
    budgetCap: p.budgetCap,
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    eligibility: p.eligibility,
    criteria: p.criteria,
    questionsCloseAt: p.questionsCloseAt,
    bidDeadline: p.bidDeadline,
    noticeDays: p.noticeDays,
    status: p.status,
    needId: p.needId,
    proposalId: p.proposalId,
    bidCount: p.bidCount,
    publishedAt: p.publishedAt,
    openedAt: p.openedAt,
    awardBidId: p.awardBidId,
    awardRationale: p.awardRationale,
    awardedAt: p.awardedAt,
    noticeEndsAt: p.noticeEndsAt,
    finalAt: p.finalAt,
    endReason: p.endReason,
  };
}

/** The public timeline: what happened and when, never who asked or who scored. */
async function timeline(projectId: number) {
  const rows = await db().select().from(projectEvents).where(eq(projectEvents.projectId, projectId)).orderBy(asc(projectEvents.id));
  return rows.map((e) => ({ id: e.id, kind: e.kind, at: e.at, reason: e.reason, detail: publicDetail(e.detail) }));
}

/** What of an event's detail the public reads: state names, counts and bid ids (bidders are public after the opening). */
function publicDetail(detail: Record<string, unknown> | null) {
  if (!detail) return null;
  const keep = ["from", "to", "bids", "rank", "upheld", "files", "members", "threshold", "added", "removed", "conflicts"];
  return Object.fromEntries(Object.entries(detail).filter(([k]) => keep.includes(k)));
}

/** Opened bids with their bidders' names, prices, status and (where allowed) score. */
async function openedBids(projectId: number) {
  return db()
    .select({
      id: bids.id,
      organizationId: bids.organizationId,
      organization: organizations.name,
      status: bids.status,
      price: bids.price,
      score: bids.score,
      submittedAt: bids.submittedAt,
      disqualifiedReason: bids.disqualifiedReason,
      contents: bids.contents,
    })
    .from(bids)
    .innerJoin(organizations, eq(organizations.id, bids.organizationId))
    .where(and(eq(bids.projectId, projectId), sql`${bids.status} <> 'withdrawn'`))
    .orderBy(asc(bids.id));
}

/** A bid's contents as the public reads them once the award is final: no team (people's names) and no submitter. */
function publicContents(c: BidContents | null) {
  if (!c) return null;
  return { price: c.price, plan: c.plan, experience: c.experience ?? null, milestones: c.milestones, attachments: c.attachments.map((a) => ({ name: a.name, mime: a.mime, bytes: a.bytes, sha256: a.sha256 })) };
}

/** Every evaluator's sheets, by panel number and role (not by name): public once the award is final, and to the panel once all submitted. */
async function scoreSheets(projectId: number, criteria: Criterion[]) {
  const panel = await db().select().from(projectEvaluators).where(eq(projectEvaluators.projectId, projectId)).orderBy(asc(projectEvaluators.userId));
  const [rows, conflicts] = await Promise.all([
    db().select().from(bidScores).where(eq(bidScores.projectId, projectId)),
    db().select().from(conflictDeclarations).where(and(eq(conflictDeclarations.projectId, projectId), eq(conflictDeclarations.conflict, true))),
  ]);
  return panel.map((e, i) => ({
    number: i + 1,
    role: e.role,
    userId: e.userId,
    conflicts: conflicts.filter((c) => c.userId === e.userId).map((c) => c.bidId),
    scores: rows
      .filter((r) => r.userId === e.userId && criteria.some((c) => c.id === r.criterion))
      .map((r) => ({ bidId: r.bidId, criterion: r.criterion, score: r.score })),
  }));
}

async function panelProgress(projectId: number) {
  const panel = await db().select().from(projectEvaluators).where(eq(projectEvaluators.projectId, projectId));
  return { evaluators: panel.length, declared: panel.filter((e) => e.declaredAt).length, submitted: panel.filter((e) => e.submittedAt).length };
}

/** The organisations the actor is in (and admin of), as the permissions need them. */
async function myOrganizations(actor: Actor) {
  const ids = Object.keys(actor.organizations).map(Number);
  if (ids.length === 0) return [];
  const rows = await db().select({ id: organizations.id, kind: organizations.kind, status: organizations.status, name: organizations.name }).from(organizations).where(inArray(organizations.id, ids));
  return rows.map((o) => ({ id: o.id, kind: o.kind, confirmed: o.status === "confirmed", name: o.name }));
}

/**
 * /projects/<id>: the call, its documents, the questions and answers (never
 * who asked), the timeline, the live bid count (never contents), the opening,
 * the award and its rationale, the notice period, objections and answers, and
 * once the award is final every bid's contents and every score.
 */
export async function projectPage(actor: Actor, projectId: number, now = serverNow()) {
  const { project: p, unitName, manage } = await projectFor(actor, projectId);
  const [documents, questions, events, objections, orgs, progress] = await Promise.all([
    db().select({ id: projectDocuments.id, file: projectDocuments.file, name: projectDocuments.name, mime: projectDocuments.mime, bytes: projectDocuments.bytes }).from(projectDocuments).where(eq(projectDocuments.projectId, p.id)).orderBy(asc(projectDocuments.id)),
    db().select().from(projectQuestions).where(eq(projectQuestions.projectId, p.id)).orderBy(asc(projectQuestions.id)),
    timeline(p.id),
    db().select().from(projectObjections).where(eq(projectObjections.projectId, p.id)).orderBy(asc(projectObjections.id)),
    myOrganizations(actor),
    panelProgress(p.id),
  ]);
  const opened = p.openedAt ? await openedBids(p.id) : [];
  const isPublic = bidsPublic(p.status);
  const bidders = opened.map((b) => b.organizationId);
  const award = p.awardBidId ? opened.find((b) => b.id === p.awardBidId) : undefined;
  const askAs = questionsOpen(p, now) ? orgs.filter((o) => can(actor, "project:ask", { organization: o })) : [];
  const objectAs = objectionsOpen(p, now) ? orgs.filter((o) => can(actor, "project:object", { organizationId: o.id, bidderIds: bidders })) : [];
  const [panel, openers] = await Promise.all([
    db().select({ userId: projectEvaluators.userId }).from(projectEvaluators).where(eq(projectEvaluators.projectId, p.id)),
    db().select({ userId: projectOpeners.userId }).from(projectOpeners).where(eq(projectOpeners.projectId, p.id)),
  ]);
  return {
    project: publicCall(p),
    unitName,
    documents,
    // Only the question and its answer: never who asked or for which organisation (the asker sees theirs marked).
    questions: questions
      .filter((q) => q.answer !== null || q.askedBy === actor.userId || manage)
      .map((q) => ({ id: q.id, question: q.question, answer: q.answer, askedAt: q.askedAt, answeredAt: q.answeredAt, mine: q.askedBy === actor.userId })),
    events,
    opening: p.openedAt
      ? opened.map((b) => ({
          id: b.id,
          organization: b.organization,
          organizationId: b.organizationId,
          price: b.price,
          status: b.status,
          disqualifiedReason: b.disqualifiedReason,
          score: isPublic ? b.score : null,
          contents: isPublic ? publicContents(b.contents) : null,
        }))
      : [],
    award: award ? { bidId: award.id, organization: award.organization, organizationId: award.organizationId, price: award.price, rationale: p.awardRationale } : null,
    objections: objections.map((o) => ({ id: o.id, text: o.text, answer: o.answer, upheld: o.upheld, raisedAt: o.raisedAt, answeredAt: o.answeredAt })),
    sheets: isPublic ? (await scoreSheets(p.id, p.criteria)).map(({ userId: _userId, ...s }) => s) : [],
    progress,
    now: now.toISOString(),
    can: {
      manage,
      ask: askAs.map(({ id, name }) => ({ id, name })),
      object: objectAs.map(({ id, name }) => ({ id, name })),
      evaluate: actor.userId !== null && panel.some((e) => e.userId === actor.userId),
      bid: p.status === "open" && orgs.some((o) => can(actor, "project:bid", { organization: o })),
      /** A member of the opening committee, while there is a step for them: the key ceremony before publication, the opening after the deadline. */
      open:
        (p.status === "planning" || (p.status === "evaluating" && !p.openedAt)) &&
        can(actor, "project:open", { openerIds: openers.map((o) => o.userId) }),
    },
  };
}

/** The staff page: everything of the public page, and the committee, the panel, the unanswered questions, the ranked bids. */
export async function manageProjectPage(actor: Actor, projectId: number, now = serverNow()) {
  const { project: p, unitPath } = await projectFor(actor, projectId);
  if (!can(actor, "project:manage", { unitPath })) throw new ForbiddenError("project:manage");
  const base = await projectPage(actor, projectId, now);
  const [key, openers, panel, questions, buyers] = await Promise.all([
    db().select().from(projectKeys).where(eq(projectKeys.projectId, p.id)),
    db()
      .select({ index: projectOpeners.index, name: users.displayName, username: users.username, dealt: projectOpeners.dealt })
      .from(projectOpeners)
      .innerJoin(users, eq(users.id, projectOpeners.userId))
      .where(eq(projectOpeners.projectId, p.id))
      .orderBy(asc(projectOpeners.index)),
    db()
      .select({ userId: projectEvaluators.userId, role: projectEvaluators.role, name: users.displayName, username: users.username, declaredAt: projectEvaluators.declaredAt, submittedAt: projectEvaluators.submittedAt })
      .from(projectEvaluators)
      .innerJoin(users, eq(users.id, projectEvaluators.userId))
      .where(eq(projectEvaluators.projectId, p.id))
      .orderBy(asc(projectEvaluators.userId)),
    db().select({ id: projectQuestions.id, question: projectQuestions.question, answer: projectQuestions.answer, askedAt: projectQuestions.askedAt }).from(projectQuestions).where(eq(projectQuestions.projectId, p.id)).orderBy(asc(projectQuestions.id)),
    buyerUnits(actor),
  ]);
  const opened = p.openedAt ? await openedBids(p.id) : [];
  const allSubmitted = panel.length > 0 && panel.every((e) => e.submittedAt);
  const ranked = allSubmitted ? rankBids(opened.filter((b) => b.status === "submitted" || b.status === "valid")) : [];
  return {
    ...base,
    allQuestions: questions,
    committee: { threshold: key[0]?.threshold ?? null, openingKey: key[0]?.openingKey !== null && key[0]?.openingKey !== undefined, members: openers },
    panel,
    bids: opened.map((b) => ({ id: b.id, organization: b.organization, status: b.status, price: b.price, score: b.score, disqualifiedReason: b.disqualifiedReason, rank: ranked.findIndex((r) => r.id === b.id) + 1 || null })),
    allSubmitted,
    edit: mayStep(p.status, "edit")
      ? {
          ...editorOf(p.criteria),
          units: buyers.map(({ id, name }) => ({ id, name })),
          questionsCloseAt: localInput(p.questionsCloseAt),
          bidDeadline: localInput(p.bidDeadline),
        }
      : null,
    steps: {
      publish: mayStep(p.status, "publish"),
      cancel: mayStep(p.status, "cancel"),
      award: p.status === "evaluating" && allSubmitted && ranked.length > 0,
      disqualify: p.status === "evaluating" && p.openedAt !== null,
      documents: p.status === "planning" || p.status === "open",
      panel: p.status === "planning" || p.status === "open" || p.status === "evaluating",
      committee: p.status === "planning" && !key[0]?.openingKey,
    },
    ended: isEnded(p.status),
  };
}

/**
 * /projects/<id>/evaluate: the opened bids, the evaluator's own declarations
 * and scores, the panel's progress; others' scores only once all have submitted.
 */
export async function evaluatePage(actor: Actor, projectId: number) {
  const { project: p } = await projectFor(actor, projectId);
  const panel = await db().select().from(projectEvaluators).where(eq(projectEvaluators.projectId, p.id)).orderBy(asc(projectEvaluators.userId));
  if (!can(actor, "project:evaluate", { evaluatorIds: panel.map((e) => e.userId) })) throw new ForbiddenError("project:evaluate");
  const me = panel.find((e) => e.userId === actor.userId)!;
  const opened = p.openedAt ? (await openedBids(p.id)).filter((b) => b.status === "submitted" || b.status === "valid" || b.status === "disqualified") : [];
  const [declarations, mine, myOrgs] = await Promise.all([
    db().select().from(conflictDeclarations).where(and(eq(conflictDeclarations.projectId, p.id), eq(conflictDeclarations.userId, actor.userId!))),
    db().select().from(bidScores).where(and(eq(bidScores.projectId, p.id), eq(bidScores.userId, actor.userId!))),
    db().select({ id: organizationMembers.organizationId }).from(organizationMembers).where(eq(organizationMembers.userId, actor.userId!)),
  ]);
  const allSubmitted = panel.length > 0 && panel.every((e) => e.submittedAt);
  const sheets = allSubmitted ? (await scoreSheets(p.id, p.criteria)).map(({ userId, ...s }) => ({ ...s, mine: userId === actor.userId })) : [];
  return {
    project: publicCall(p),
    me: { role: me.role, declaredAt: me.declaredAt, submittedAt: me.submittedAt },
    ready: p.status === "evaluating" && p.openedAt !== null,
    bids: opened.map((b) => ({
      id: b.id,
      organization: b.organization,
      status: b.status,
      disqualifiedReason: b.disqualifiedReason,
      price: b.price,
      contents: b.contents,
      conflict: declarations.find((d) => d.bidId === b.id)?.conflict ?? null,
      ownOrganization: myOrgs.some((o) => o.id === b.organizationId),
      scores: Object.fromEntries(mine.filter((s) => s.bidId === b.id).map((s) => [s.criterion, s.score])),
      score: allSubmitted ? b.score : null,
    })),
    progress: { evaluators: panel.length, declared: panel.filter((e) => e.declaredAt).length, submitted: panel.filter((e) => e.submittedAt).length },
    allSubmitted,
    sheets,
  };
}
