import { and, eq, inArray, isNull, lte, ne, sql } from "drizzle-orm";
import type { Queryable, Tx } from "#db/client.server";
import {
  assignments,
  closureRequests,
  departments,
  dutyAssignments,
  extensionRequests,
  positions,
  proposalSeconds,
  proposals,
  ratings,
  rosterEntries,
  scoreWeights,
  units,
  whistleEvents,
  whistlePhotos,
  whistleTimers,
  whistles,
  type AssignmentState,
  type Satisfaction,
  type WhistleKind,
} from "#db/schema";
import { CommandError, lockIdempotencyKey, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { MAX_PHOTOS } from "~/lib/uploads";
import { withPhotos, type CheckedPhoto } from "~/lib/uploads.server";
import { audit } from "~/lib/audit.server";
import type { WeightsInput } from "./schemas";
import { pathIds, type Actor } from "~/modules/identity/actor";
import { authorize } from "~/modules/access";

import { hallContext } from "~/modules/halls/queries.server";
import { notifyAudience, notifyMany } from "~/modules/notifications/commands.server";
import { searchVector } from "~/modules/search/queries.server";
import { refreshRateCounts } from "./rate-counts.server";
import {
  canMove,
  DEFAULT_MIN_CASES,
  DEFAULT_TIMERS,
  deadlines,
  ladderStep,
  leadPartDone,
  mayDispatchTo,
  mayRate,
  mayReopen,
  maySupervise,
  nextStep,
  RATING_WINDOW_MS,
  type Timers,
} from "./rules";
import { serverNow } from "~/lib/clock.server";
import { moveProposal } from "~/modules/proposals/commands.server";

type Whistle = typeof whistles.$inferSelect;
type Assignment = typeof assignments.$inferSelect;

async function event(tx: Tx, e: typeof whistleEvents.$inferInsert): Promise<number> {
  const [row] = await tx.insert(whistleEvents).values(e).returning({ id: whistleEvents.id });
  return row!.id;
}

/**
 * Whistles changed: each one's page, its proposal's page, and the inbox of every department it is assigned to (and
 * of each such station's parent, whose head sees the station's work) hear it. Officers' inboxes listen to their
 * departments' rooms, so a colleague's action or a timer reaches them too, and their cached copies go (ADR 0044).
 * One query for all of them, however many (the sweep announces its whole batch at once).
 */
async function announce(tx: Queryable, outbox: Outbox, ...changed: Pick<Whistle, "id" | "proposalId">[]) {
  const byId = new Map(changed.map((w) => [w.id, w]));
  if (byId.size === 0) return;
  const assigned = await tx
    .selectDistinct({ whistleId: assignments.whistleId, id: departments.id, parentId: departments.parentId })
    .from(assignments)
    .innerJoin(departments, eq(departments.id, assignments.departmentId))
    .where(inArray(assignments.whistleId, [...byId.keys()]));
  for (const w of byId.values()) {
    const news = { whistleId: w.id, proposalId: w.proposalId };
    outbox.emit(`whistle:${w.id}`, "whistle:changed", news);
    if (w.proposalId) outbox.emit(`proposal:${w.proposalId}`, "whistle:changed", news);
    const rooms = new Set(assigned.filter((d) => d.whistleId === w.id).flatMap((d) => (d.parentId === null ? [d.id] : [d.id, d.parentId])));
    for (const id of [...rooms].sort((a, b) => a - b)) outbox.emit(`department:${id}`, "whistle:changed", news);
  }
}

async function subdistrictPath(tx: Queryable, subdistrictId: number) {
  const [u] = await tx.select({ path: units.path, kind: units.kind }).from(units).where(eq(units.id, subdistrictId));
  if (!u || u.kind !== "subdistrict") throw new NotFoundError("subdistrict");
  return u.path;
}

/** The whistling unit's staff: the subdistrict's officers and leaders, and a community whistle's community staff. */
async function whistlersOf(tx: Tx, w: Pick<Whistle, "subdistrictId" | "communityId">) {
  const subdistrict = await staffOf(tx, w.subdistrictId, ["subdistrict_officer", "subdistrict_leader"]);
  return w.communityId ? [...subdistrict, ...(await staffOf(tx, w.communityId, ["community_worker", "community_secretary"]))] : subdistrict;
}

/** People holding positions of the given kinds over a subdistrict (to notify them). */
async function staffOf(tx: Tx, subdistrictId: number, kinds: string[]) {
  const rows = await tx
    .select({ userId: positions.userId })
    .from(positions)
    .where(and(eq(positions.unitId, subdistrictId), inArray(positions.kind, kinds as never[]), isNull(positions.revokedAt)));
  return rows.map((r) => r.userId);
}

async function officersOf(tx: Tx, departmentIds: number[], kinds = ["department_officer", "department_head", "station_officer"]) {
  if (departmentIds.length === 0) return [];
  const rows = await tx
    .select({ userId: positions.userId })
    .from(positions)
    .where(and(inArray(positions.departmentId, departmentIds), inArray(positions.kind, kinds as never[]), isNull(positions.revokedAt)));
  return rows.map((r) => r.userId);
}

/** The residents who raised and seconded the proposal behind a whistle: they rate it. */
export async function raisersOf(q: Queryable, whistle: Pick<Whistle, "proposalId">): Promise<number[]> {
  if (!whistle.proposalId) return [];
  const [p] = await q.select({ authorId: proposals.authorId }).from(proposals).where(eq(proposals.id, whistle.proposalId));
  const seconders = await q
    .select({ userId: proposalSeconds.userId })
    .from(proposalSeconds)
    .where(eq(proposalSeconds.proposalId, whistle.proposalId));
  return [...new Set([p!.authorId, ...seconders.map((s) => s.userId)])];
}

/**
 * A convener escalates a passed proposal: to the subdistrict, which then blows
 * the whistle (街乡吹哨); or, for a station-level matter, to the hall's
 * community, whose staff whistle the stations directly (社区吹哨、科站队所报到).
 */
export async function escalateProposal(
  actor: Actor,
  proposalId: number,
  now = serverNow(),
  to: "subdistrict" | "stations" = "subdistrict",
  message = "",
) {
  return runCommand(async (tx, outbox) => {
    const [p] = await tx.select().from(proposals).where(eq(proposals.id, proposalId)).for("update");
    if (!p) throw new NotFoundError("proposal");
    const hall = await hallContext(tx, p.hallId, actor);
    authorize(actor, "proposal:moderate", { hall: hall!.context, authorId: p.authorId, state: p.state });
    if (p.state !== "decided_passed") throw new CommandError("whistle.error.notPassed");
    // The conveners tell the whistling unit what they ask of it (shown on the whistle's timeline).
    const note = message.trim();
    if (!note) throw new CommandError("whistle.error.escalateMessage", "message");
    if (note.length > 1000) throw new CommandError("validation.tooLong", "message", { max: 1000 });
    const subdistrictId = pathIds(hall!.context.unitPath)[2];
    if (!subdistrictId) throw new CommandError("whistle.error.noSubdistrict");
    const communityId = to === "stations" ? pathIds(hall!.context.unitPath)[3] : undefined;
    if (to === "stations" && !communityId) throw new CommandError("whistle.error.noCommunity");
    // Followers hear that their proposal went up to the subdistrict (ADR 0022).
    await moveProposal(tx, outbox, { proposalId: p.id, from: "decided_passed", to: "escalated", actorId: actor.userId, at: now });
    const [w] = await tx
      .insert(whistles)
      .values({
        subdistrictId,
        communityId: communityId ?? null,
        source: "proposal",
        proposalId: p.id,
        kind: "resident_request",
        title: p.title,
        description: p.body,
        categoryCode: p.categoryCode,
        address: p.address,
        searchVector: searchVector(p.title, p.body, p.address),
        state: "requested",
        createdBy: actor.userId,
        createdAt: now,
      })
      .returning();
    await event(tx, {
      whistleId: w!.id,
      actorId: actor.userId,
      kind: "requested",
      toState: "requested",
      at: now,
      publicText: `${hall!.hall.name}：${note}`,
      data: { hall: hall!.hall.name, message: note },
    });
    const whistlers = communityId
      ? await staffOf(tx, communityId, ["community_worker", "community_secretary"])
      : await staffOf(tx, subdistrictId, ["subdistrict_officer", "subdistrict_leader"]);
    await notifyMany(tx, outbox, whistlers, {
      kind: "notification.whistleRequested",
      params: { title: p.title },
      link: `/whistles/${w!.id}`,
    });
    return w!;
  });
}

/** Departments the duty list and the 1+5+N roster suggest for a category in a subdistrict: lead first. */
export async function suggestDepartments(q: Queryable, subdistrictId: number, categoryCode: string) {
  const path = await subdistrictPath(q, subdistrictId);
  const districtId = pathIds(path)[1]!;
  const duties = await q
    .select()
    .from(dutyAssignments)
    .where(and(eq(dutyAssignments.districtId, districtId), eq(dutyAssignments.categoryCode, categoryCode)));
  const candidates = await q.select().from(departments).where(eq(departments.districtId, districtId));
  const rostered = new Set(
    (await q.select({ id: rosterEntries.departmentId }).from(rosterEntries).where(eq(rosterEntries.subdistrictId, subdistrictId))).map(
      (r) => r.id,
    ),
  );
  const pick = (kind: string) =>
    // The station or team serving this subdistrict, else the district department of that kind.
    candidates.find((d) => d.kind === kind && d.servesUnitId === subdistrictId) ??
    candidates.find((d) => d.kind === kind && d.level === "district");
  const lead = duties
    .filter((d) => d.role === "lead")
    .map((d) => pick(d.departmentKind))
    .filter((d) => d !== undefined);
  const cooperate = duties
    .filter((d) => d.role === "cooperate")
    .map((d) => pick(d.departmentKind))
    .filter((d) => d !== undefined);
  return { lead: lead.map((d) => d.id), cooperate: cooperate.map((d) => d.id), rostered: [...rostered] };
}

async function timersFor(tx: Tx, districtId: number, kind: WhistleKind): Promise<Timers> {
  const [row] = await tx
    .select()
    .from(whistleTimers)
    .where(and(eq(whistleTimers.districtId, districtId), eq(whistleTimers.kind, kind)));
  return row ?? DEFAULT_TIMERS[kind];
}

async function dispatch(
  tx: Tx,
  outbox: Outbox,
  w: Whistle,
  departmentId: number,
  role: "lead" | "cooperate",
  actorId: number | null,
  now: Date,
) {
  const path = await subdistrictPath(tx, w.subdistrictId);
  const d = deadlines(w.kind, now, await timersFor(tx, pathIds(path)[1]!, w.kind), w.keyTaskDueAt);
  const [a] = await tx
    .insert(assignments)
    .values({
      whistleId: w.id,
      departmentId,
      role,
      round: w.round,
      state: "dispatched",
      dispatchedAt: now,
      dueSignAt: d.sign,
      dueOnSiteAt: d.onSite,
      dueResolveAt: d.resolve,
    })
    .returning();
  await event(tx, {
    whistleId: w.id,
    assignmentId: a!.id,
    actorId,
    kind: "dispatched",
    toState: "dispatched",
    data: { departmentId, role },
    at: now,
  });
  await notifyMany(tx, outbox, await officersOf(tx, [departmentId]), {
    kind: "notification.assignment",
    // An emergency goes out by SMS and email even in quiet hours (ADR 0022).
    params: w.kind === "emergency" ? { title: w.title, emergency: 1 } : { title: w.title },
    link: `/inbox`,
    at: now,
  });
  // The department's inbox hears of it from the caller's `announce`, once the command's other changes are made.
  return a!;
}

export interface BlowInput {
  whistleId?: number;
  subdistrictId?: number;
  /** A community whistling directly to the stations serving its subdistrict (社区吹哨、科站队所报到). */
  communityId?: number;
  title?: string;
  description?: string;
  categoryCode?: string;
  address?: string;
  kind: WhistleKind;
  leadIds: number[];
  cooperateIds: number[];
  instructions?: string;
  keyTaskDueAt?: Date;
  /** The form's one-time key: sent twice, the whistle is made once. */
  clientKey?: string;
}

/** Who whistled: the subdistrict's path, and the community's for a community whistle to stations. */
async function whistlingUnit(tx: Queryable, w: Pick<Whistle, "subdistrictId" | "communityId">) {
  const subdistrict = await subdistrictPath(tx, w.subdistrictId);
  if (!w.communityId) return { subdistrictPath: subdistrict, communityPath: null };
  const [c] = await tx.select({ path: units.path }).from(units).where(eq(units.id, w.communityId));
  return { subdistrictPath: subdistrict, communityPath: c!.path };
}

/** A community whistles only to stations (科站队所) serving its own subdistrict. */
async function checkDepartments(tx: Tx, w: Pick<Whistle, "subdistrictId" | "communityId">, ids: number[], field: string) {
  const districtId = pathIds(await subdistrictPath(tx, w.subdistrictId))[1]!;
  const found = await tx
    .select({ id: departments.id, level: departments.level, servesUnitId: departments.servesUnitId })
    .from(departments)
    .where(and(inArray(departments.id, ids), eq(departments.districtId, districtId)));
  if (found.length !== ids.length) throw new CommandError("whistle.error.department", field);
  if (found.some((d) => !mayDispatchTo(d, w)))
    throw new CommandError(w.communityId ? "whistle.error.stationsOnly" : "whistle.error.department", field);
}

/**
 * The subdistrict blows the whistle: for an escalated request, or directly
 * (an emergency, an alley chief's finding); or a community blows it directly
 * to the stations serving its subdistrict. Each department gets an
 * assignment with deadlines from the district's timers for the kind.
 */
export async function blowWhistle(actor: Actor, input: BlowInput, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    let w: Whistle;
    if (input.whistleId !== undefined) {
      const [found] = await tx.select().from(whistles).where(eq(whistles.id, input.whistleId)).for("update");
      if (!found) throw new NotFoundError("whistle");
      authorize(actor, "whistle:blow", await whistlingUnit(tx, found));
      if (found.state !== "requested") throw new CommandError("whistle.error.alreadyDispatched");
      w = found;
    } else {
      let subdistrictId = input.subdistrictId;
      let communityId: number | null = null;
      if (input.communityId !== undefined) {
        const [c] = await tx.select().from(units).where(eq(units.id, input.communityId));
        if (!c || c.kind !== "community" || !c.parentId) throw new NotFoundError("community");
        subdistrictId = c.parentId;
        communityId = c.id;
      }
      if (!subdistrictId) throw new CommandError("validation.required", "subdistrictId");
      authorize(actor, "whistle:blow", await whistlingUnit(tx, { subdistrictId, communityId }));
      if (input.clientKey) {
        await lockIdempotencyKey(tx, `whistle:${actor.userId}:${input.clientKey}`);
        const [existing] = await tx
          .select()
          .from(whistles)
          .where(and(eq(whistles.createdBy, actor.userId!), eq(whistles.clientKey, input.clientKey)));
        if (existing) return existing;
      }
      if (!input.title?.trim()) throw new CommandError("validation.required", "title");
      if (!input.description?.trim()) throw new CommandError("validation.required", "description");
      if (!input.categoryCode) throw new CommandError("validation.required", "categoryCode");
      const [created] = await tx
        .insert(whistles)
        .values({
          subdistrictId,
          communityId,
          source: input.kind === "emergency" ? "emergency" : "direct",
          kind: input.kind,
          title: input.title.trim(),
          description: input.description.trim(),
          categoryCode: input.categoryCode,
          address: input.address || null,
          searchVector: searchVector(input.title, input.description, input.address),
          state: "requested",
          createdBy: actor.userId,
          clientKey: input.clientKey ?? null,
          createdAt: now,
        })
        .returning();
      w = created!;
    }
    if (!(Object.keys(DEFAULT_TIMERS) as string[]).includes(input.kind)) throw new CommandError("validation.required", "kind");
    if (input.leadIds.length === 0) throw new CommandError("whistle.error.needLead", "leadIds");
    if (input.kind === "key_task" && !input.keyTaskDueAt) throw new CommandError("whistle.error.keyTaskDue", "keyTaskDueAt");
    await checkDepartments(tx, w, [...new Set([...input.leadIds, ...input.cooperateIds])], "leadIds");
    const [updated] = await tx
      .update(whistles)
      .set({
        kind: input.kind,
        instructions: input.instructions || null,
        keyTaskDueAt: input.keyTaskDueAt ?? null,
        state: "dispatched",
        dispatchedAt: now,
      })
      .where(eq(whistles.id, w.id))
      .returning();
    await event(tx, {
      whistleId: w.id,
      actorId: actor.userId,
      kind: "whistle",
      fromState: w.state,
      toState: "dispatched",
      publicText: input.instructions ?? null,
      data: { kind: input.kind },
      at: now,
    });
    for (const id of input.leadIds) await dispatch(tx, outbox, updated!, id, "lead", actor.userId, now);
    for (const id of input.cooperateIds.filter((c) => !input.leadIds.includes(c)))
      await dispatch(tx, outbox, updated!, id, "cooperate", actor.userId, now);
    await refreshRateCounts(tx, w.id);
    await announce(tx, outbox, updated!);
    return updated!;
  });
}

async function lockAssignment(tx: Tx, assignmentId: number) {
  const [row] = await tx
    .select({ a: assignments, w: whistles, parentId: departments.parentId, departmentName: departments.name })
    .from(assignments)
    .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
    .innerJoin(departments, eq(departments.id, assignments.departmentId))
    .where(eq(assignments.id, assignmentId))
    .for("update", { of: assignments });
  if (!row) throw new NotFoundError("assignment");
  return row;
}

export type WorkAction = "sign" | "on_site" | "progress" | "resolve" | "return";

/** A department or station officer works their assignment: sign for, arrive, report progress, resolve with a result, or return it. */
export async function workAssignment(
  actor: Actor,
  input: {
    assignmentId: number;
    action: WorkAction;
    note?: string;
    people?: number;
    resultText?: string;
    noEvidenceReason?: string;
    reason?: string;
    photos?: CheckedPhoto[];
  },
  now = serverNow(),
) {
  // Photos are written only once the command has authorised and checked everything (ADR 0017).
  return withPhotos((keep) =>
    runCommand(async (tx, outbox) => {
      const { a, w, parentId } = await lockAssignment(tx, input.assignmentId);
      authorize(actor, "assignment:work", { departmentId: a.departmentId, parentDepartmentId: parentId });
      const to: AssignmentState | null = { sign: "signed", on_site: "on_site", resolve: "resolved", return: "returned", progress: null }[
        input.action
      ] as AssignmentState | null;
      if (input.action === "progress") {
        if (!["signed", "on_site"].includes(a.state)) throw new CommandError("whistle.error.wrongState");
        if (!input.note?.trim()) throw new CommandError("validation.required", "note");
        await event(tx, {
          whistleId: w.id,
          assignmentId: a.id,
          actorId: actor.userId,
          kind: "progress",
          publicText: input.note.trim(),
          at: now,
        });
        await announce(tx, outbox, w);
        return a;
      }
      if (!to || !canMove(a.state, to))
        throw new CommandError(
          input.action === "resolve" && a.state === "dispatched" ? "whistle.error.signFirst" : "whistle.error.wrongState",
        );
      const photos = input.photos ?? [];
      // Evidence photos belong to arriving on site and resolving, 4 at most (the route checked type and size).
      if (photos.length && input.action !== "on_site" && input.action !== "resolve")
        throw new CommandError("whistle.error.photosNotHere", "photos");
      if (photos.length > MAX_PHOTOS) throw new CommandError("proposal.error.tooManyPhotos", "photos", { max: MAX_PHOTOS });
      // Report for duty means showing up: how many came, and what they found (a note or a photo).
      if (input.action === "on_site") {
        if (!Number.isInteger(input.people) || input.people! < 1 || input.people! > 999)
          throw new CommandError("assignment.error.people", "people");
        if (!input.note?.trim() && photos.length === 0) throw new CommandError("assignment.error.noteOrPhoto", "note");
      }
      // Resolving needs evidence: a photo, or a stated reason why there is none (shown on the timeline).
      if (input.action === "resolve") {
        if (!input.resultText?.trim()) throw new CommandError("whistle.error.resultRequired", "resultText");
        if (photos.length === 0 && !input.noEvidenceReason?.trim()) throw new CommandError("assignment.error.evidence", "photos");
      }
      if (input.action === "return" && !input.reason?.trim()) throw new CommandError("validation.reasonRequired", "reason");
      const noEvidenceReason = input.action === "resolve" && photos.length === 0 ? input.noEvidenceReason!.trim() : null;
      const set: Partial<Assignment> = { state: to };
      if (to === "signed") set.signedAt = now;
      if (to === "on_site") set.onSiteAt = now;
      if (to === "resolved") Object.assign(set, { resolvedAt: now, resultText: input.resultText!.trim() });
      if (to === "returned") set.returnedAt = now;
      await tx.update(assignments).set(set).where(eq(assignments.id, a.id));
      const eventId = await event(tx, {
        whistleId: w.id,
        assignmentId: a.id,
        actorId: actor.userId,
        kind: input.action,
        fromState: a.state,
        toState: to,
        reason: input.reason?.trim() || noEvidenceReason,
        publicText: input.resultText?.trim() || input.note?.trim() || input.reason?.trim() || null,
        data: input.action === "on_site" ? { people: input.people } : noEvidenceReason ? { noEvidenceReason } : null,
        at: now,
      });
      const stored = await keep(tx, actor.userId!, photos);
      if (stored.length)
        await tx
          .insert(whistlePhotos)
          .values(stored.map((p) => ({ whistleId: w.id, eventId, assignmentId: a.id, fileName: p.fileName, mime: p.mime, size: p.size })));
      if (to === "returned") {
        await notifyMany(tx, outbox, await whistlersOf(tx, w), {
          kind: "notification.assignmentReturned",
          params: { title: w.title },
          link: `/whistles/${w.id}`,
        });
      }
      if (to === "resolved" && w.kind === "emergency")
        await notifyMany(tx, outbox, await whistlersOf(tx, w), {
          kind: "notification.confirmPlease",
          params: { title: w.title },
          link: `/whistles/${w.id}`,
        });
      if (to === "resolved") await resolveIfDone(tx, outbox, w, now);
      await refreshRateCounts(tx, w.id);
      await announce(tx, outbox, w);
      return { ...a, ...set };
    }),
  );
}

/** When every lead assignment is resolved, the whistle is resolved and the residents who raised it are asked to rate it. */
async function resolveIfDone(tx: Tx, outbox: Outbox, stale: Whistle, now: Date) {
  // Lock the whistle and read it afresh: two last parts finishing at once serialise here and the
  // second sees the first's work; a part finishing after the whistle is resolved changes nothing.
  const [w] = await tx.select().from(whistles).where(eq(whistles.id, stale.id)).for("update");
  if (!w || w.state === "resolved" || w.state === "closed") return;
  const leads = await tx
    .select()
    .from(assignments)
    .where(and(eq(assignments.whistleId, w.id), eq(assignments.role, "lead"), eq(assignments.round, w.round)));
  // A returned lead part counts as done only once the subdistrict has sent it to another department.
  const redispatched = await tx
    .select({ data: whistleEvents.data })
    .from(whistleEvents)
    .where(and(eq(whistleEvents.whistleId, w.id), eq(whistleEvents.kind, "redispatched")));
  const replaced = new Set(redispatched.map((e) => Number(e.data?.replaces)));
  const open = leads.filter((l) => !leadPartDone(w.kind, { state: l.state, replaced: replaced.has(l.id) }));
  if (open.length > 0 || leads.every((l) => l.state === "returned")) return;
  const ratingClosesAt = new Date(now.getTime() + RATING_WINDOW_MS);
  await tx.update(whistles).set({ state: "resolved", resolvedAt: now, ratingClosesAt, closure: "resolved" }).where(eq(whistles.id, w.id));
  await event(tx, { whistleId: w.id, kind: "resolved", fromState: w.state, toState: "resolved", at: now });
  await settleCooperation(tx, w.id, "lead_resolved", now);
  const raisers = await raisersOf(tx, w);
  await notifyMany(tx, outbox, raisers, {
    kind: "notification.pleaseRate",
    params: { title: w.title },
    // Straight to the rating form, from an email or a text too.
    link: `/whistles/${w.id}#rate-title`,
    at: now,
  });
  // The proposal's other followers (who may not rate it) hear that it is resolved (issue 18: followers hear a whistle resolved).
  if (w.proposalId) {
    await notifyAudience(tx, outbox, { of: [{ kind: "proposalFollowers", proposalId: w.proposalId }], except: raisers }, {
      kind: "notification.whistleResolved",
      params: { title: w.title },
      link: `/whistles/${w.id}`,
      at: now,
    });
  }
}

/**
 * When a whistle is resolved (or closed), its co-operating parts are settled
 * (ADR 0018): a part reported done is accepted with the lead's resolution
 * (`confirmed`, credited to that department); a part still open is closed as
 * not needed (`not_needed`: its deadlines stop, it leaves the inbox and the
 * sweep, and it is never credited), with the reason on the timeline. With
 * `everyOpenPart` (an unreasonable closure) open lead parts close too.
 */
async function settleCooperation(tx: Tx, whistleId: number, reason: "lead_resolved" | "closed_unreasonable", now: Date) {
  const parts = await tx
    .select()
    .from(assignments)
    .where(and(eq(assignments.whistleId, whistleId), inArray(assignments.state, ["dispatched", "signed", "on_site", "resolved"])));
  for (const a of parts) {
    if (a.role === "lead" && reason === "lead_resolved") continue;
    const to: AssignmentState = a.state === "resolved" ? (reason === "lead_resolved" ? "confirmed" : "resolved") : "not_needed";
    if (to === a.state) continue;
    await tx.update(assignments).set({ state: to }).where(eq(assignments.id, a.id));
    await event(tx, {
      whistleId,
      assignmentId: a.id,
      kind: to === "confirmed" ? "accepted" : "not_needed",
      fromState: a.state,
      toState: to,
      reason,
      at: now,
    });
  }
}

/**
 * The whistling unit accepts a resolved part (确认办结). An emergency is not
 * done until every lead part is confirmed; a second click finds it confirmed
 * and changes nothing.
 */
export async function confirmAssignment(actor: Actor, input: { assignmentId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { a, w } = await lockAssignment(tx, input.assignmentId);
    authorize(actor, "assignment:confirm", await whistlingUnit(tx, w));
    if (a.state === "confirmed") return a;
    if (!canMove(a.state, "confirmed")) throw new CommandError("whistle.error.confirmResolvedOnly");
    await tx.update(assignments).set({ state: "confirmed" }).where(eq(assignments.id, a.id));
    await event(tx, {
      whistleId: w.id,
      assignmentId: a.id,
      actorId: actor.userId,
      kind: "confirmed",
      fromState: a.state,
      toState: "confirmed",
      at: now,
    });
    await resolveIfDone(tx, outbox, w, now);
    await refreshRateCounts(tx, w.id);
    await announce(tx, outbox, w);
    return { ...a, state: "confirmed" as const };
  });
}

/** After a return, the subdistrict sends that part to another department. */
export async function redispatch(actor: Actor, input: { assignmentId: number; departmentId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { a, w } = await lockAssignment(tx, input.assignmentId);
    authorize(actor, "whistle:blow", await whistlingUnit(tx, w));
    if (a.state !== "returned") throw new CommandError("whistle.error.wrongState");
    if (input.departmentId === a.departmentId) throw new CommandError("whistle.error.sameDepartment", "departmentId");
    await checkDepartments(tx, w, [input.departmentId], "departmentId");
    const fresh = await dispatch(tx, outbox, w, input.departmentId, a.role, actor.userId, now);
    await event(tx, {
      whistleId: w.id,
      assignmentId: fresh.id,
      actorId: actor.userId,
      kind: "redispatched",
      data: { replaces: a.id },
      at: now,
    });
    await refreshRateCounts(tx, w.id);
    await announce(tx, outbox, w);
    return fresh;
  });
}

export async function requestExtension(actor: Actor, input: { assignmentId: number; newDueAt: Date; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { a, w, parentId } = await lockAssignment(tx, input.assignmentId);
    authorize(actor, "assignment:work", { departmentId: a.departmentId, parentDepartmentId: parentId });
    if (!["signed", "on_site"].includes(a.state)) throw new CommandError("whistle.error.wrongState");
    if (!input.reason.trim()) throw new CommandError("validation.reasonRequired", "reason");
    if (input.newDueAt <= now) throw new CommandError("whistle.error.dueInPast", "newDueAt");
    const [req] = await tx
      .insert(extensionRequests)
      .values({ assignmentId: a.id, requestedBy: actor.userId!, newDueAt: input.newDueAt, reason: input.reason.trim() })
      .returning();
    await event(tx, {
      whistleId: w.id,
      assignmentId: a.id,
      actorId: actor.userId,
      kind: "extension_requested",
      publicText: input.reason.trim(),
      data: { newDueAt: input.newDueAt.toISOString(), requestId: req!.id },
      at: now,
    });
    await notifyMany(tx, outbox, await staffOf(tx, w.subdistrictId, ["subdistrict_officer", "subdistrict_leader"]), {
      kind: "notification.extensionRequested",
      params: { title: w.title },
      link: `/whistles/${w.id}`,
    });
    await announce(tx, outbox, w);
    return req!;
  });
}

/** The subdistrict approves or denies an extension; residents see either on the timeline. */
export async function decideExtension(actor: Actor, input: { requestId: number; approve: boolean }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const [req] = await tx.select().from(extensionRequests).where(eq(extensionRequests.id, input.requestId)).for("update");
    if (!req) throw new NotFoundError("extension");
    const { a, w } = await lockAssignment(tx, req.assignmentId);
    authorize(actor, "whistle:blow", await whistlingUnit(tx, w));
    if (req.state !== "pending") throw new CommandError("residency.error.alreadyDecided");
    await tx
      .update(extensionRequests)
      .set({ state: input.approve ? "approved" : "denied", decidedBy: actor.userId, decidedAt: now })
      .where(eq(extensionRequests.id, req.id));
    if (input.approve)
      await tx
        .update(assignments)
        .set({ dueResolveAt: req.newDueAt, overdueSince: null, remindedStep: null })
        .where(eq(assignments.id, a.id));
    await event(tx, {
      whistleId: w.id,
      assignmentId: a.id,
      actorId: actor.userId,
      kind: input.approve ? "extension_approved" : "extension_denied",
      data: { newDueAt: req.newDueAt.toISOString() },
      at: now,
    });
    await refreshRateCounts(tx, w.id);
    await announce(tx, outbox, w);
  });
}

/** A subdistrict leader supervises (督办) with a message; the departments' heads are told. */
export async function supervise(actor: Actor, input: { whistleId: number; message: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const [w] = await tx.select().from(whistles).where(eq(whistles.id, input.whistleId));
    if (!w) throw new NotFoundError("whistle");
    authorize(actor, "whistle:supervise", { subdistrictPath: await subdistrictPath(tx, w.subdistrictId) });
    if (!maySupervise(w.state)) throw new CommandError("whistle.error.wrongState");
    if (!input.message.trim()) throw new CommandError("validation.required", "message");
    const open = await tx
      .select({ departmentId: assignments.departmentId })
      .from(assignments)
      .where(and(eq(assignments.whistleId, w.id), inArray(assignments.state, ["dispatched", "signed", "on_site"])));
    await event(tx, { whistleId: w.id, actorId: actor.userId, kind: "supervised", publicText: input.message.trim(), at: now });
    await notifyMany(
      tx,
      outbox,
      await officersOf(
        tx,
        open.map((o) => o.departmentId),
        ["department_head", "station_officer"],
      ),
      { kind: "notification.supervised", params: { title: w.title }, link: `/whistles/${w.id}`, at: now },
    );
    await announce(tx, outbox, w);
  });
}

/** The departments working a whistle (for the permission to ask for an unreasonable closure). */
async function workingDepartments(tx: Tx, whistleId: number) {
  return tx
    .selectDistinct({ departmentId: assignments.departmentId, parentDepartmentId: departments.parentId })
    .from(assignments)
    .innerJoin(departments, eq(departments.id, assignments.departmentId))
    .where(eq(assignments.whistleId, whistleId));
}

/**
 * Staff or a department working it ask to close a whistle as an unreasonable
 * demand (不合理诉求); a subdistrict leader decides. A second click while one
 * is pending finds that one.
 */
export async function requestUnreasonableClosure(actor: Actor, input: { whistleId: number; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const [w] = await tx.select().from(whistles).where(eq(whistles.id, input.whistleId)).for("update");
    if (!w) throw new NotFoundError("whistle");
    authorize(actor, "whistle:requestUnreasonable", {
      subdistrictPath: await subdistrictPath(tx, w.subdistrictId),
      departments: await workingDepartments(tx, w.id),
    });
    if (w.state === "closed") throw new CommandError("whistle.error.wrongState");
    const [pending] = await tx
      .select()
      .from(closureRequests)
      .where(and(eq(closureRequests.whistleId, w.id), eq(closureRequests.state, "pending")));
    if (pending) {
      if (pending.requestedBy === actor.userId) return pending;
      throw new CommandError("whistle.error.closurePending");
    }
    const reason = input.reason.trim();
    if (!reason) throw new CommandError("validation.reasonRequired", "reason");
    const [req] = await tx
      .insert(closureRequests)
      .values({ whistleId: w.id, requestedBy: actor.userId!, reason, createdAt: now })
      .returning();
    await event(tx, {
      whistleId: w.id,
      actorId: actor.userId,
      kind: "unreasonable_requested",
      reason,
      publicText: reason,
      data: { requestId: req!.id },
      at: now,
    });
    await notifyMany(tx, outbox, await staffOf(tx, w.subdistrictId, ["subdistrict_leader"]), {
      kind: "notification.unreasonableRequested",
      params: { title: w.title },
      link: `/whistles/${w.id}`,
    });
    await announce(tx, outbox, w);
    return req!;
  });
}

/** A subdistrict leader approves (the whistle closes as unreasonable, out of the rate denominators) or refuses (work goes on). */
export async function decideUnreasonableClosure(
  actor: Actor,
  input: { requestId: number; approve: boolean; note?: string },
  now = serverNow(),
) {
  return runCommand(async (tx, outbox) => {
    const [req] = await tx.select().from(closureRequests).where(eq(closureRequests.id, input.requestId)).for("update");
    if (!req) throw new NotFoundError("closure");
    const [w] = await tx.select().from(whistles).where(eq(whistles.id, req.whistleId)).for("update");
    authorize(actor, "whistle:decideUnreasonable", {
      subdistrictPath: await subdistrictPath(tx, w!.subdistrictId),
      requestedBy: req.requestedBy,
    });
    const decided = input.approve ? "approved" : "refused";
    if (req.state === decided && req.decidedBy === actor.userId) return req; // a double click
    if (req.state !== "pending") throw new CommandError("residency.error.alreadyDecided");
    const note = input.note?.trim() || null;
    if (!input.approve && !note) throw new CommandError("validation.reasonRequired", "note");
    const [updated] = await tx
      .update(closureRequests)
      .set({ state: decided, decidedBy: actor.userId, decidedAt: now, decisionNote: note })
      .where(eq(closureRequests.id, req.id))
      .returning();
    if (input.approve) {
      await tx.update(whistles).set({ state: "closed", closure: "unreasonable", ratingClosesAt: null }).where(eq(whistles.id, w!.id));
      await event(tx, {
        whistleId: w!.id,
        actorId: actor.userId,
        kind: "unreasonable_approved",
        fromState: w!.state,
        toState: "closed",
        publicText: note,
        data: { requestId: req.id },
        at: now,
      });
      await settleCooperation(tx, w!.id, "closed_unreasonable", now);
      await refreshRateCounts(tx, w!.id);
      if (w!.proposalId)
        await tx
          .update(proposals)
          .set({ state: "closed" })
          .where(and(eq(proposals.id, w!.proposalId), eq(proposals.state, "escalated")));
    } else {
      await event(tx, {
        whistleId: w!.id,
        actorId: actor.userId,
        kind: "unreasonable_refused",
        reason: note,
        publicText: note,
        data: { requestId: req.id },
        at: now,
      });
    }
    await notifyMany(tx, outbox, [req.requestedBy], {
      kind: input.approve ? "notification.unreasonableApproved" : "notification.unreasonableRefused",
      params: { title: w!.title },
      link: `/whistles/${w!.id}`,
    });
    await announce(tx, outbox, w!);
    return updated!;
  });
}

/** A resident who raised or seconded it rates the result, once per round, within 7 days. */
export async function rateWhistle(
  actor: Actor,
  input: { whistleId: number; solved: boolean; satisfaction: Satisfaction; comment?: string },
  now = serverNow(),
) {
  return runCommand(async (tx, outbox) => {
    const [w] = await tx.select().from(whistles).where(eq(whistles.id, input.whistleId)).for("update");
    if (!w) throw new NotFoundError("whistle");
    authorize(actor, "whistle:rate", { raisers: await raisersOf(tx, w) });
    if (!["satisfied", "basically_satisfied", "dissatisfied"].includes(input.satisfaction))
      throw new CommandError("validation.required", "satisfaction");
    if (!mayRate(w, now)) throw new CommandError("whistle.error.ratingClosed");
    const [r] = await tx
      .insert(ratings)
      .values({
        whistleId: w.id,
        userId: actor.userId!,
        round: w.round,
        solved: input.solved,
        satisfaction: input.satisfaction,
        comment: input.comment?.trim() || null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!r) throw new CommandError("whistle.error.alreadyRated");
    await event(tx, {
      whistleId: w.id,
      actorId: actor.userId,
      kind: "rated",
      data: { solved: input.solved, satisfaction: input.satisfaction },
      at: now,
    });
    await refreshRateCounts(tx, w.id);
    await announce(tx, outbox, w);
    return r;
  });
}

/** "Not solved" or "dissatisfied" may reopen the whistle once (重办): its lead assignments start again. */
export async function reopenWhistle(actor: Actor, whistleId: number, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const [w] = await tx.select().from(whistles).where(eq(whistles.id, whistleId)).for("update");
    if (!w) throw new NotFoundError("whistle");
    authorize(actor, "whistle:rate", { raisers: await raisersOf(tx, w) });
    if (w.round > 0) throw new CommandError("whistle.error.reopenedOnce");
    if (w.state !== "resolved") throw new CommandError("whistle.error.wrongState");
    const [mine] = await tx
      .select()
      .from(ratings)
      .where(and(eq(ratings.whistleId, w.id), eq(ratings.userId, actor.userId!), eq(ratings.round, w.round)));
    if (!mine || !mayReopen(mine)) throw new CommandError("whistle.error.rateFirst");
    const [updated] = await tx
      .update(whistles)
      .set({ state: "dispatched", round: w.round + 1, resolvedAt: null, ratingClosesAt: null, closure: null })
      .where(eq(whistles.id, w.id))
      .returning();
    await event(tx, { whistleId: w.id, actorId: actor.userId, kind: "reopened", fromState: "resolved", toState: "dispatched", at: now });
    const leads = await tx
      .select()
      .from(assignments)
      .where(
        and(
          eq(assignments.whistleId, w.id),
          eq(assignments.role, "lead"),
          eq(assignments.round, w.round),
          inArray(assignments.state, ["resolved", "confirmed"]),
        ),
      );
    // The first round's leads stay as they were (resolved, on record); each department gets a new assignment.
    for (const l of leads) await dispatch(tx, outbox, updated!, l.departmentId, "lead", actor.userId, now);
    await refreshRateCounts(tx, w.id);
    await announce(tx, outbox, updated!);
    return updated!;
  });
}

/**
 * The deadline sweep (scheduler): reminders before deadlines, overdue flags at
 * them, automatic supervision one day overdue, the public overdue list after
 * five working days; and rating windows that close after seven days.
 */
export async function sweepWhistles(now = serverNow()) {
  const nextDue = sql`(case ${assignments.state} when 'dispatched' then ${assignments.dueSignAt} when 'signed' then ${assignments.dueOnSiteAt} else coalesce(${assignments.dueResolveAt}, 'infinity') end)`;
  return runCommand(async (tx, outbox) => {
    const open = await tx
      .select({ a: assignments, w: whistles })
      .from(assignments)
      .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
      .where(
        and(
          inArray(assignments.state, ["dispatched", "signed", "on_site"]),
          ne(whistles.state, "closed"), // closed as unreasonable: nothing more is owed
          isNull(assignments.publicOverdueAt), // the ladder's last rung taken: nothing more to do
          // The deadline of the step owed now (not a step long done) within the reminder lead.
          sql`${nextDue} <= ${new Date(now.getTime() + 86_400_000).toISOString()}::timestamptz`,
        ),
      )
      .orderBy(nextDue)
      .for("update", { of: assignments, skipLocked: true })
      .limit(2000);
    const counts = { remind: 0, overdue: 0, supervise: 0, public: 0, closed: 0 };
    const touched: Whistle[] = [];
    for (const { a, w } of open) {
      const step = ladderStep(a, w.kind, now);
      if (!step) continue;
      touched.push(w);
      counts[step]++;
      const next = nextStep(a)!;
      if (step === "remind") {
        await tx.update(assignments).set({ remindedStep: next.step }).where(eq(assignments.id, a.id));
        await notifyMany(tx, outbox, await officersOf(tx, [a.departmentId]), {
          kind: "notification.deadlineSoon",
          params: { title: w.title },
          link: "/inbox",
          at: now,
        });
      } else if (step === "overdue") {
        await tx.update(assignments).set({ overdueSince: next.due }).where(eq(assignments.id, a.id));
        await event(tx, { whistleId: w.id, assignmentId: a.id, kind: "overdue", data: { step: next.step }, at: now });
        await notifyMany(tx, outbox, await officersOf(tx, [a.departmentId]), {
          kind: "notification.overdue",
          params: { title: w.title },
          link: "/inbox",
          at: now,
        });
      } else if (step === "supervise") {
        await tx.update(assignments).set({ autoSupervisedAt: now }).where(eq(assignments.id, a.id));
        await event(tx, { whistleId: w.id, assignmentId: a.id, kind: "auto_supervised", at: now });
        await notifyMany(
          tx,
          outbox,
          [
            ...(await officersOf(tx, [a.departmentId], ["department_head"])),
            ...(await staffOf(tx, w.subdistrictId, ["subdistrict_leader"])),
          ],
          { kind: "notification.supervised", params: { title: w.title }, link: `/whistles/${w.id}`, at: now },
        );
      } else {
        await tx.update(assignments).set({ publicOverdueAt: now }).where(eq(assignments.id, a.id));
        await event(tx, { whistleId: w.id, assignmentId: a.id, kind: "public_overdue", at: now });
      }
    }
    const ended = await tx
      .select()
      .from(whistles)
      .where(and(eq(whistles.state, "resolved"), lte(whistles.ratingClosesAt, now)))
      .for("update", { skipLocked: true })
      .limit(500);
    for (const w of ended) {
      await tx.update(whistles).set({ state: "closed" }).where(eq(whistles.id, w.id));
      await event(tx, { whistleId: w.id, kind: "closed", fromState: "resolved", toState: "closed", at: now });
      await settleCooperation(tx, w.id, "lead_resolved", now);
      await refreshRateCounts(tx, w.id);
      if (w.proposalId)
        await tx
          .update(proposals)
          .set({ state: "closed" })
          .where(and(eq(proposals.id, w.proposalId), eq(proposals.state, "escalated")));
      counts.closed++;
    }
    await announce(tx, outbox, ...touched, ...ended);
    return counts;
  });
}

/**
 * A district administrator sets the composite-score weights from a month on
 * (a later period takes over from its own month). Setting the same month again
 * replaces that period; both values go to the audit log.
 */
export async function setScoreWeights(actor: Actor, input: Omit<WeightsInput, "minCases"> & { minCases?: number }, now = serverNow()) {
  return runCommand(async (tx) => {
    const [district] = await tx.select({ path: units.path, kind: units.kind }).from(units).where(eq(units.id, input.districtId));
    if (!district) throw new NotFoundError("district");
    if (district.kind !== "district") throw new CommandError("unit.error.notDistrict", "districtId");
    authorize(actor, "scoreWeights:set", { districtPath: district.path });
    if (input.response + input.resolution + input.satisfaction !== 100) throw new CommandError("weights.error.sum", "satisfaction");
    const [before] = await tx
      .select()
      .from(scoreWeights)
      .where(and(eq(scoreWeights.districtId, input.districtId), eq(scoreWeights.validFrom, input.validFrom)));
    const values = {
      response: input.response,
      resolution: input.resolution,
      satisfaction: input.satisfaction,
      minCases: input.minCases ?? DEFAULT_MIN_CASES,
      setBy: actor.userId,
      setAt: now,
    };
    await tx
      .insert(scoreWeights)
      .values({ districtId: input.districtId, validFrom: input.validFrom, ...values })
      .onConflictDoUpdate({ target: [scoreWeights.districtId, scoreWeights.validFrom], set: values });
    await audit(tx, {
      actorId: actor.userId,
      action: "weights:set",
      subjectType: "score_weights",
      subjectId: `${input.districtId}:${input.validFrom}`,
      data: {
        before: before ? [before.response, before.resolution, before.satisfaction, before.minCases] : null,
        after: [input.response, input.resolution, input.satisfaction, input.minCases ?? DEFAULT_MIN_CASES],
      },
    });
  });
}

/** Whether the actor works for any department (shows the inbox). */
export function isDepartmentOfficer(actor: Actor) {
  return actor.positions.some(
    (p) => p.departmentId !== null && ["department_officer", "department_head", "station_officer"].includes(p.kind),
  );
}
