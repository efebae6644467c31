import { and, count, eq, isNull, sql, type SQL } from "drizzle-orm";
import { db, rowsOf, type Queryable, type Tx } from "#db/client.server";
import {
  alleys,
  categories,
  commentReports,
  commentRevisions,
  comments,
  follows,
  speechCounts,
  hallConveners,
  halls,
  minutes,
  organizations,
  partyReports,
  proposalEvents,
  proposalPhotos,
  proposalSeconds,
  proposals,
  rateLimits,
  units,
  users,
  type ProposalState,
  reportReasons,
  type ReportReason,
  type Stance,
  type SystemReason,
} from "#db/schema";
import type { CommentPayload } from "#realtime/events";
import { logHolds, publishNumbered } from "#realtime/room-log.server";
import { CommandError, lockIdempotencyKey, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { hitRateLimit } from "~/lib/rate-limit.server";
import { withPhotos, type CheckedPhoto } from "~/lib/uploads.server";
import type { Actor } from "~/modules/identity/actor";
import { authorize } from "~/modules/access";
import { can } from "~/modules/access";
import { audit } from "~/lib/audit.server";
import { activeMemberCount, hallContext, hallContextColumns, toHallContext, type HallContextRow } from "~/modules/halls/queries.server";
import { batcher } from "~/lib/batch.server";
import { hasForbiddenCharacters, parseId } from "~/lib/input";
import { notify, notifyAudience, notifyMany } from "~/modules/notifications/commands.server";
import type { Audience } from "~/modules/notifications/audiences";
import { indexText } from "~/modules/search/bigrams";
import { searchVector } from "~/modules/search/queries.server";
import {
  canStillEdit,
  canTransition,
  COMMENT_LIMIT,
  MAX_REPLY_DEPTH,
  mayWithdrawSecond,
  PROPOSAL_LIMIT,
  REPORTS_TO_HIDE,
  secondsNeeded,
  type DeclineReason,
} from "./rules";
import { serverNow } from "~/lib/clock.server";
import { staffAccountOf } from "~/modules/identity/queries.server";


/**
 * The proposal locked for this transaction (`update` for a state change,
 * `share` for what may run side by side, like comments), with its hall as
 * permissions see it: one round trip. With `commentKey`, also the comment the
 * actor already made with that idempotency key, if any.
 */
async function lockProposal(q: Queryable, proposalId: number, actor: Actor, strength: "update" | "share" = "update", commentKey?: string) {
  const existing = commentKey
    ? sql<number | null>`(select e.id from ${comments} e where e.author_id = ${actor.userId ?? -1} and e.client_key = ${commentKey})`
    : sql<number | null>`null::int`;
  const query = q
    .select({ proposal: proposals, ...hallContextColumns(actor), existingCommentId: existing })
    .from(proposals)
    .innerJoin(halls, eq(halls.id, proposals.hallId))
    .innerJoin(units, eq(units.id, halls.unitId))
    .where(eq(proposals.id, proposalId));
  const [row] = await query.for(strength, { of: proposals });
  if (!row) throw new NotFoundError("proposal");
  return foundFrom(row);
}

async function secondCount(tx: Tx, proposalId: number) {
  const [row] = await tx.select({ n: count() }).from(proposalSeconds).where(eq(proposalSeconds.proposalId, proposalId));
  return row?.n ?? 0;
}

/**
 * The seconds and the id of the proposal's latest event, read together. Every
 * event is written under the proposal's row lock, so a later state of the
 * seconds always has a larger `rev`: the page keeps the newest of what it
 * loaded and what it heard (modules/proposals/live.ts), now that a second can
 * also be taken back.
 */
export const secondsAndRev = (proposalId: number) => ({
  seconds: sql<number>`(select count(*)::int from ${proposalSeconds} where ${proposalSeconds.proposalId} = ${proposalId})`,
  rev: sql<number>`(select coalesce(max(${proposalEvents.id}), 0)::int from ${proposalEvents} where ${proposalEvents.proposalId} = ${proposalId})`,
});

/** A proposal's followers but the one who acted (who knows already), as a stored audience: one small row however many follow (ADR 0041). */
const followers = (proposalId: number, except: number | null): Audience => ({
  of: [{ kind: "proposalFollowers", proposalId }],
  ...(except === null ? {} : { except: [except] }),
});

async function follow(tx: Tx, proposalId: number, userId: number) {
  await tx.insert(follows).values({ proposalId, userId }).onConflictDoNothing();
}

async function announce(
  tx: Tx,
  outbox: Outbox,
  proposal: { id: number; hallId: number; state: ProposalState; secondsRequired: number },
  reload = false,
) {
  const [now] = await tx.select(secondsAndRev(proposal.id)).from(proposals).where(eq(proposals.id, proposal.id));
  outbox.emit(`proposal:${proposal.id}`, "proposal:changed", {
    proposalId: proposal.id,
    hallId: proposal.hallId,
    state: proposal.state,
    seconds: now!.seconds,
    rev: now!.rev,
    secondsRequired: proposal.secondsRequired,
    reload,
  });
  outbox.emit(`hall:${proposal.hallId}`, "hall:changed", { hallId: proposal.hallId });
}

/**
 * Move a proposal to a new state: the only way its state changes. Records the
 * event, tells the page and the hall, and notifies followers (never the actor).
 */
async function transition(
  tx: Tx,
  outbox: Outbox,
  proposal: typeof proposals.$inferSelect,
  to: ProposalState,
  actorId: number | null,
  extra: {
    reason?: string | null;
    data?: Record<string, unknown>;
    set?: Partial<typeof proposals.$inferInsert>;
    at?: Date;
    notifyFollowers?: boolean;
  } = {},
) {
  if (!canTransition(proposal.state, to)) throw new CommandError("proposal.error.wrongState");
  await tx
    .update(proposals)
    .set({ state: to, ...extra.set })
    .where(eq(proposals.id, proposal.id));
  await tx
    .insert(proposalEvents)
    .values({
      proposalId: proposal.id,
      actorId,
      kind: "state",
      fromState: proposal.state,
      toState: to,
      reason: extra.reason ?? null,
      data: extra.data ?? null,
      ...(extra.at ? { at: extra.at } : {}),
    });
  const moved = { ...proposal, state: to };
  await announce(tx, outbox, moved, true);
  if (extra.notifyFollowers ?? true)
    await notifyAudience(tx, outbox, followers(proposal.id, actorId), {
      kind: "notification.proposalState",
      params: { title: proposal.title, state: to },
      link: `/proposals/${proposal.id}`,
      ...(extra.at ? { at: extra.at } : {}),
    });
  return moved;
}

/**
 * How another module (votes, whistles) moves a proposal: the same
 * `transition` the proposal's own commands use, so the rule, the event, the
 * live update (with its real seconds) and the followers' notices are never
 * skipped (issue 13 §3). Locks the proposal; null when it is no longer in
 * `from` (someone moved it first: retries and races change nothing).
 * `notifyFollowers: false` where the caller sends a fuller notice itself.
 */
export async function moveProposal(
  tx: Tx,
  outbox: Outbox,
  input: {
    proposalId: number;
    from: ProposalState;
    to: ProposalState;
    actorId: number | null;
    reason?: string | null;
    data?: Record<string, unknown>;
    at?: Date;
    notifyFollowers?: boolean;
  },
) {
  const [p] = await tx.select().from(proposals).where(eq(proposals.id, input.proposalId)).for("update");
  if (!p || p.state !== input.from) return null;
  return transition(tx, outbox, p, input.to, input.actorId, {
    reason: input.reason,
    data: input.data,
    at: input.at,
    notifyFollowers: input.notifyFollowers,
  });
}

/** The category must exist and the alley, if any, must lie in the hall's area: its subdistrict above or below the hall's unit. */
async function checkPlace(tx: Tx, hallUnitPath: string, input: { categoryCode: string; alleyId?: number }) {
  const [category] = await tx.select().from(categories).where(eq(categories.code, input.categoryCode));
  if (!category) throw new CommandError("proposal.error.category", "categoryCode");
  if (input.alleyId !== undefined) {
    const [alley] = await tx
      .select({ path: units.path })
      .from(alleys)
      .innerJoin(units, eq(units.id, alleys.subdistrictId))
      .where(eq(alleys.id, input.alleyId));
    if (!alley || !(alley.path.startsWith(hallUnitPath) || hallUnitPath.startsWith(alley.path)))
      throw new CommandError("proposal.error.alley", "alleyId");
  }
}

export interface NewProposal {
  hallId: number;
  title: string;
  body: string;
  categoryCode: string;
  address?: string;
  alleyId?: number;
  organizationId?: number;
  publish: boolean;
  clientKey: string;
  /** Checked, not yet written: they are stored only if the proposal is made (ADR 0017). */
  photos?: CheckedPhoto[];
}

/** A member raises a proposal. A retried submit (same client key) returns the one already made. */
export async function createProposal(actor: Actor, input: NewProposal) {
  return withPhotos((keep) =>
    runCommand(async (tx, outbox) => {
      const found = await hallContext(tx, input.hallId, actor);
      if (!found) throw new NotFoundError("hall");
      authorize(actor, "proposal:create", found.context);
      if (input.organizationId !== undefined) authorize(actor, "organization:actFor", { organizationId: input.organizationId });
      await lockIdempotencyKey(tx, `proposal:${actor.userId}:${input.clientKey}`);
      const [existing] = await tx
        .select()
        .from(proposals)
        .where(and(eq(proposals.authorId, actor.userId!), eq(proposals.clientKey, input.clientKey)));
      if (existing) return existing;

      if (!(await hitRateLimit(tx, `proposals:${actor.userId}`, PROPOSAL_LIMIT)).allowed)
        throw new CommandError("proposal.error.rateLimited");
      await checkPlace(tx, found.context.unitPath, input);
      const now = serverNow();
      const state: ProposalState = input.publish ? "open" : "draft";
      const [proposal] = await tx
        .insert(proposals)
        .values({
          hallId: input.hallId,
          authorId: actor.userId!,
          organizationId: input.organizationId ?? null,
          title: input.title,
          body: input.body,
          categoryCode: input.categoryCode,
          address: input.address || null,
          alleyId: input.alleyId ?? null,
          state,
          secondsRequired: secondsNeeded(found.hall.secondingRule, await activeMemberCount(tx, input.hallId)),
          secondingDeadline: input.publish ? new Date(now.getTime() + found.hall.secondingDays * 86_400_000) : null,
          openedAt: input.publish ? now : null,
          clientKey: input.clientKey,
          searchVector: searchVector(input.title, input.body, input.address),
        })
        .returning();
      await tx
        .insert(proposalEvents)
        .values({ proposalId: proposal!.id, actorId: actor.userId, kind: "state", fromState: null, toState: state });
      const stored = await keep(tx, actor.userId!, input.photos ?? []);
      if (stored.length) await tx.insert(proposalPhotos).values(stored.map((p) => ({ ...p, proposalId: proposal!.id })));
      await follow(tx, proposal!.id, actor.userId!);
      if (input.publish) outbox.emit(`hall:${input.hallId}`, "hall:changed", { hallId: input.hallId });
      return proposal!;
    }),
  );
}

/** The author publishes a draft: seconding starts now, under the hall's rule of today. */
export async function publishDraft(actor: Actor, proposalId: number, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { proposal, hall, ctx } = await lockProposal(tx, proposalId, actor);
    if (!can(actor, "proposal:view", ctx)) throw new NotFoundError("proposal");
    if (proposal.state !== "draft") return proposal;
    authorize(actor, "proposal:publishDraft", ctx);
    // Saving the draft already counted against the author's daily limit.
    const published = await transition(tx, outbox, proposal, "open", actor.userId, {
      set: {
        openedAt: now,
        secondingDeadline: new Date(now.getTime() + hall.hall.secondingDays * 86_400_000),
        secondsRequired: secondsNeeded(hall.hall.secondingRule, await activeMemberCount(tx, proposal.hallId)),
      },
    });
    return published;
  });
}

export interface DraftEdit {
  title: string;
  body: string;
  categoryCode: string;
  address?: string;
  alleyId?: number;
}

/** The author changes a draft; nobody else has seen it, so no history is kept. */
export async function updateDraft(actor: Actor, proposalId: number, input: DraftEdit) {
  return runCommand(async (tx) => {
    const { proposal, ctx } = await lockProposal(tx, proposalId, actor);
    if (!can(actor, "proposal:view", ctx)) throw new NotFoundError("proposal");
    authorize(actor, "proposal:editDraft", ctx);
    await checkPlace(tx, ctx.hall.unitPath, input);
    const [updated] = await tx
      .update(proposals)
      .set({
        title: input.title,
        body: input.body,
        categoryCode: input.categoryCode,
        address: input.address || null,
        alleyId: input.alleyId ?? null,
        searchVector: searchVector(input.title, input.body, input.address),
      })
      .where(eq(proposals.id, proposal.id))
      .returning();
    return updated!;
  });
}

/**
 * The author deletes a draft for good: nobody else ever saw it, so nothing
 * public is lost. Returns the photo files to remove once the rows are gone.
 */
export async function deleteDraft(actor: Actor, proposalId: number) {
  return runCommand(async (tx) => {
    const { proposal, ctx } = await lockProposal(tx, proposalId, actor);
    if (!can(actor, "proposal:view", ctx)) throw new NotFoundError("proposal");
    authorize(actor, "proposal:deleteDraft", ctx);
    const photos = await tx
      .delete(proposalPhotos)
      .where(eq(proposalPhotos.proposalId, proposal.id))
      .returning({ fileName: proposalPhotos.fileName });
    await tx.delete(follows).where(eq(follows.proposalId, proposal.id));
    await tx.delete(proposalEvents).where(eq(proposalEvents.proposalId, proposal.id));
    await tx.delete(proposals).where(eq(proposals.id, proposal.id));
    await audit(tx, {
      actorId: actor.userId,
      action: "proposal.deleteDraft",
      subjectType: "proposal",
      subjectId: proposal.id,
      data: { hallId: proposal.hallId },
    });
    return { id: proposal.id, hallId: proposal.hallId, photoFiles: photos.map((p) => p.fileName) };
  });
}

/** Put the proposal on the agenda if it has enough seconds. */
async function checkThreshold(tx: Tx, outbox: Outbox, proposal: typeof proposals.$inferSelect) {
  if (proposal.state !== "open") return proposal;
  if ((await secondCount(tx, proposal.id)) < proposal.secondsRequired) return proposal;
  return transition(tx, outbox, proposal, "on_agenda", null, { reason: "seconds" satisfies SystemReason });
}

/** A member seconds (附议) an open proposal; reaching the hall's rule puts it on the agenda. */
export async function secondProposal(actor: Actor, proposalId: number) {
  return runCommand(async (tx, outbox) => {
    const { proposal, ctx } = await lockProposal(tx, proposalId, actor);
    if (actor.userId === proposal.authorId) throw new CommandError("proposal.error.ownSecond");
    if (proposal.state !== "open") throw new CommandError("proposal.error.notOpen");
    authorize(actor, "proposal:second", ctx);
    const [second] = await tx.insert(proposalSeconds).values({ proposalId, userId: actor.userId! }).onConflictDoNothing().returning();
    if (!second) throw new CommandError("proposal.error.alreadySeconded");
    await tx.insert(proposalEvents).values({ proposalId, actorId: actor.userId, kind: "second" });
    await follow(tx, proposalId, actor.userId!);
    const after = await checkThreshold(tx, outbox, proposal);
    if (after.state === proposal.state) await announce(tx, outbox, proposal);
    return after;
  });
}

/**
 * A member takes their second back (撤回附议) while the proposal still collects
 * seconds; once it reached the hall's rule the seconds stand (rules.ts).
 */
export async function withdrawSecond(actor: Actor, proposalId: number) {
  return runCommand(async (tx, outbox) => {
    const { proposal, ctx } = await lockProposal(tx, proposalId, actor);
    // Said in words (not a 403): the page offered the button until the last second came in.
    if (!mayWithdrawSecond(proposal.state)) throw new CommandError("proposal.error.secondStands");
    authorize(actor, "proposal:unsecond", ctx);
    const [gone] = await tx
      .delete(proposalSeconds)
      .where(and(eq(proposalSeconds.proposalId, proposalId), eq(proposalSeconds.userId, actor.userId!)))
      .returning();
    if (!gone) throw new CommandError("proposal.error.notSeconded");
    await tx.insert(proposalEvents).values({ proposalId, actorId: actor.userId, kind: "unsecond" });
    await announce(tx, outbox, proposal);
    return proposal;
  });
}

export async function withdrawProposal(actor: Actor, proposalId: number, reason?: string) {
  return runCommand(async (tx, outbox) => {
    const { proposal, ctx } = await lockProposal(tx, proposalId, actor);
    authorize(actor, "proposal:withdraw", ctx);
    return transition(tx, outbox, proposal, "withdrawn", actor.userId, { reason: reason?.trim() || null });
  });
}

/**
 * A convener declines a proposal with a public reason. A duplicate is merged
 * into another proposal of the same hall, and its seconds (and author) carry over.
 */
export async function declineProposal(
  actor: Actor,
  input: { proposalId: number; reason: DeclineReason; text: string; mergeIntoId?: number },
) {
  return runCommand(async (tx, outbox) => {
    const { proposal, ctx } = await lockProposal(tx, input.proposalId, actor);
    authorize(actor, "proposal:moderate", ctx);
    if (!input.text.trim()) throw new CommandError("validation.reasonRequired", "text");
    let target: typeof proposals.$inferSelect | undefined;
    if (input.reason === "duplicate") {
      if (!input.mergeIntoId || input.mergeIntoId === proposal.id) throw new CommandError("proposal.error.mergeTarget", "mergeIntoId");
      [target] = await tx.select().from(proposals).where(eq(proposals.id, input.mergeIntoId)).for("update");
      if (!target || target.hallId !== proposal.hallId || !["open", "on_agenda", "in_debate"].includes(target.state)) {
        throw new CommandError("proposal.error.mergeTarget", "mergeIntoId");
      }
    }
    const declined = await transition(tx, outbox, proposal, "declined", actor.userId, {
      reason: input.text.trim(),
      data: { reason: input.reason, mergeIntoId: target?.id ?? null },
      set: { declineReason: input.reason, declineText: input.text.trim(), mergedIntoId: target?.id ?? null },
    });
    if (target) {
      // Seconds carry over, and so does the author's support; nobody seconds their own proposal.
      await tx.execute(sql`
        insert into ${proposalSeconds} (proposal_id, user_id, from_proposal_id)
        select ${target.id}, s.user_id, ${proposal.id} from (
          select user_id from ${proposalSeconds} where proposal_id = ${proposal.id}
          union select ${proposal.authorId}
        ) s
        where s.user_id <> ${target.authorId}
        on conflict do nothing`);
      await tx
        .insert(proposalEvents)
        .values({ proposalId: target.id, actorId: actor.userId, kind: "merged", data: { fromProposalId: proposal.id } });
      const after = await checkThreshold(tx, outbox, target);
      if (after.state === target.state) await announce(tx, outbox, target, true);
    }
    return declined;
  });
}

/** A convener opens the debate on a proposal on the agenda. */
export async function openDebate(actor: Actor, proposalId: number) {
  return runCommand(async (tx, outbox) => {
    const { proposal, ctx } = await lockProposal(tx, proposalId, actor);
    authorize(actor, "proposal:moderate", ctx);
    return transition(tx, outbox, proposal, "in_debate", actor.userId);
  });
}

/** Move any open proposal whose seconding window has passed to `expired` (run by the scheduler). */
export async function expireDueProposals(now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const due = await tx
      .select()
      .from(proposals)
      .where(and(eq(proposals.state, "open"), sql`${proposals.secondingDeadline} < ${now.toISOString()}::timestamptz`))
      .for("update", { skipLocked: true })
      .limit(500);
    for (const p of due) await transition(tx, outbox, p, "expired", null, { reason: "expired" satisfies SystemReason });
    return due.length;
  });
}

export async function setFollow(actor: Actor, proposalId: number, on: boolean) {
  if (actor.userId === null) throw new NotFoundError("proposal");
  await runCommand(async (tx) => {
    if (on) {
      // Following needs the right to read (a draft stays its author's): a missing or hidden proposal is "not found" (ADR 0017).
      const { ctx } = await lockProposal(tx, proposalId, actor, "share");
      if (!can(actor, "proposal:view", ctx)) throw new NotFoundError("proposal");
      await follow(tx, proposalId, actor.userId!);
    } else await tx.delete(follows).where(and(eq(follows.proposalId, proposalId), eq(follows.userId, actor.userId!)));
  });
}

// ——— Debate ———

/** What a page needs to show a comment, read back in one query. */
export async function commentPayload(tx: Queryable, commentId: number): Promise<CommentPayload> {
  const [row] = await tx
    .select({
      c: comments,
      authorName: users.displayName,
      organizationName: organizations.name,
      badge: sql<boolean>`exists (select 1 from ${partyReports} pr where pr.user_id = ${comments.authorId} and pr.status = 'confirmed' and pr.show_badge)`,
      staffAccount: staffAccountOf(sql`${comments.authorId}`, sql`${users.username}`),
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .leftJoin(organizations, eq(organizations.id, comments.organizationId))
    .where(eq(comments.id, commentId));
  return toCommentPayload(row!);
}

export function toCommentPayload(row: {
  c: typeof comments.$inferSelect;
  authorName: string;
  organizationName: string | null;
  badge: boolean;
  staffAccount: string | null;
}): CommentPayload {
  const { c } = row;
  return {
    id: c.id,
    proposalId: c.proposalId,
    parentId: c.parentId,
    depth: c.depth,
    stance: c.stance,
    body: c.hiddenAt ? null : c.body,
    authorId: c.authorId,
    authorName: row.authorName,
    organizationName: row.organizationName,
    partyBadge: row.badge,
    staffAccount: row.staffAccount ?? null,
    createdAt: c.createdAt.toISOString(),
    editedAt: c.editedAt?.toISOString() ?? null,
    hidden: c.hiddenAt ? { reason: c.hiddenReason ?? "", byReports: c.hiddenBy === null } : null,
  };
}

export interface NewComment {
  proposalId: number;
  parentId?: number;
  stance: Stance;
  body: string;
  organizationId?: number;
  clientKey: string;
}

/**
 * A member speaks, with a stance; replies nest up to three levels. A retried
 * submit makes one comment: the unique (author, client key) index makes a
 * concurrent twin wait for the first to commit, then find it.
 *
 * This is the busiest write of a live debate. The common case (a comment, or
 * a reply to one's own words) takes two round trips: the proposal with its
 * hall read and checked, then one statement that re-checks the proposal's
 * state under a shared lock, counts the rate limit, inserts, follows and
 * returns what the page shows. Anything else — the state moved meanwhile, a
 * reply that notifies someone, a twin submit racing — takes the full path in
 * one transaction, which decides afresh.
 */
export async function postComment(actor: Actor, input: NewComment): Promise<CommentPayload> {
  // Validate before batching (ADR 0017): an id out of int4's range or a NUL would fail the shared statement.
  if (parseId(input.proposalId) === null) throw new NotFoundError("proposal");
  if (input.parentId !== undefined && parseId(input.parentId) === null) throw new CommandError("validation.choose", "parentId");
  if (input.organizationId !== undefined && parseId(input.organizationId) === null)
    throw new CommandError("validation.choose", "organizationId");
  if (hasForbiddenCharacters(input.body)) throw new CommandError("validation.forbiddenCharacters", "body");
  if (hasForbiddenCharacters(input.clientKey)) throw new CommandError("validation.required", "clientKey");
  return (await postCommentFast(actor, input)) ?? postCommentInTransaction(actor, input);
}

type Found = Awaited<ReturnType<typeof lockProposal>>;

/** Every check of a new comment against the proposal and hall as read; returns where it goes in the thread. */
async function checkNewComment(q: Queryable, actor: Actor, input: NewComment, { proposal, hall: found, ctx }: Found) {
  if (
    actor.userId !== null &&
    found.context.membership === "active" &&
    !["open", "on_agenda", "in_debate", "voting"].includes(proposal.state)
  ) {
    throw new CommandError("proposal.error.closed");
  }
  authorize(actor, "proposal:comment", ctx);
  if (input.organizationId !== undefined) authorize(actor, "organization:actFor", { organizationId: input.organizationId });
  const userId = actor.userId!;
  const hall = found.hall;
  if ([...input.body].length > hall.commentMaxLength) throw new CommandError(`validation.tooLong|{"max":${hall.commentMaxLength}}`, "body");
  let depth = 0;
  let parentAuthorId: number | null = null;
  if (input.parentId !== undefined) {
    const [parent] = await q
      .select({ proposalId: comments.proposalId, depth: comments.depth, authorId: comments.authorId })
      .from(comments)
      .where(eq(comments.id, input.parentId));
    if (!parent || parent.proposalId !== proposal.id) throw new NotFoundError("comment");
    depth = parent.depth + 1;
    if (depth > MAX_REPLY_DEPTH) throw new CommandError("comment.error.tooDeep");
    parentAuthorId = parent.authorId;
  }
  if (hall.commentsPerPerson !== null) {
    const [mine] = await q
      .select({ n: count() })
      .from(comments)
      .where(and(eq(comments.proposalId, proposal.id), eq(comments.authorId, userId)));
    if ((mine?.n ?? 0) >= hall.commentsPerPerson) throw perPersonError(hall.commentsPerPerson);
  }
  return { userId, depth, parentAuthorId };
}

interface MadeRow {
  id: number;
  created_at: Date | string;
  author_name: string;
  organization_name: string | null;
  badge: boolean;
  staff_account: string | null;
}

/** The new comment's row as the page shows it, and the event for everyone watching. */
function madePayload(proposalId: number, input: NewComment, userId: number, depth: number, made: MadeRow): CommentPayload {
  return {
    id: Number(made.id),
    proposalId,
    parentId: input.parentId ?? null,
    depth,
    stance: input.stance,
    body: input.body,
    authorId: userId,
    authorName: made.author_name,
    organizationName: made.organization_name,
    partyBadge: made.badge,
    staffAccount: made.staff_account ?? null,
    createdAt: new Date(made.created_at).toISOString(),
    editedAt: null,
    hidden: null,
  };
}

/** CTEs that insert the comment (once per row of the CTE `from`: none, nothing happens) and follow the proposal. */
const insertComment = (from: "allowed" | "once", proposalId: number, userId: number, input: NewComment, depth: number) => sql`
  c as (
    insert into ${comments} (proposal_id, author_id, organization_id, parent_id, depth, stance, body, client_key, search_vector)
    select ${proposalId}, ${userId}, ${input.organizationId ?? null}, ${input.parentId ?? null}, ${depth}, ${input.stance}, ${input.body}, ${input.clientKey}, ${searchVector(input.body)}
    from ${sql.raw(from)}
    on conflict do nothing
    returning id, created_at, author_id, organization_id
  ), followed as (
    insert into ${follows} (proposal_id, user_id) select ${proposalId}, author_id from c on conflict do nothing
  )`;

const madeColumns = sql`c.id, c.created_at, u.display_name as author_name, o.name as organization_name,
  exists (select 1 from ${partyReports} pr where pr.user_id = c.author_id and pr.status = 'confirmed' and pr.show_badge) as badge,
  ${staffAccountOf(sql`c.author_id`, sql`u.username`)} as staff_account`;

/**
 * The common case, a comment or a reply that notifies nobody, in two
 * statements shared with whoever posts at the same moment (group commit,
 * ADR 0015): one reads the proposal and hall, the other writes. Null when the
 * full transactional path must decide (a reply that notifies, the proposal
 * moved on meanwhile, a twin submit, or a second comment of the same author
 * in one batch).
 */
async function postCommentFast(actor: Actor, input: NewComment): Promise<CommentPayload | null> {
  if (actor.userId === null) return null; // refused on the full path
  const row = await readForComment({ proposalId: input.proposalId, userId: actor.userId, clientKey: input.clientKey });
  if (!row) throw new NotFoundError("proposal");
  const found = foundFrom(row);
  if (row.existingCommentId !== null) {
    // A retry of a comment stored before: if the node that stored it died before announcing it, the
    // room's log does not have it, and the retry announces it (ADR 0046). A page that already has the
    // comment applies it as the same comment, so the rare double announcement is harmless.
    const payload = await commentPayload(db(), Number(row.existingCommentId));
    const room = `proposal:${found.proposal.id}`;
    if (!(await logHolds(room, "comment:upserted", payload.id))) await publishNumbered({ room, event: "comment:upserted", args: [{ ...payload, isNew: true }] });
    return payload;
  }
  const { userId, depth, parentAuthorId } = await checkNewComment(db(), actor, input, found);
  if (parentAuthorId !== null && parentAuthorId !== userId) return null;
  const written = await storeComment({
    proposalId: found.proposal.id,
    state: found.proposal.state,
    userId,
    organizationId: input.organizationId ?? null,
    parentId: input.parentId ?? null,
    depth,
    stance: input.stance,
    body: input.body,
    clientKey: input.clientKey,
    indexText: indexText(input.body),
    speechLimit: found.hall.hall.commentsPerPerson,
  });
  if (!written || !written.guarded) return null; // the proposal moved on meanwhile: the full path explains
  if ((written.hits ?? 0) > COMMENT_LIMIT.max) throw new CommandError("comment.error.rateLimited");
  if (written.speechRefused) throw perPersonError(found.hall.hall.commentsPerPerson);
  if (!written.made) return null; // a twin submit won the race: the full path finds it
  const payload = madePayload(found.proposal.id, input, userId, depth, written.made);
  // Numbered before the answer: once its author hears "posted", a watcher who missed it live can ask for it.
  await publishNumbered({ room: `proposal:${found.proposal.id}`, event: "comment:upserted", args: [{ ...payload, isNew: true }] });
  return payload;
}

/** A proposal with its hall as permissions see it (lockProposal's answer, from a row of its columns). */
function foundFrom(row: ProposalRow) {
  const proposal = row.proposal;
  const hall = toHallContext(row);
  return { proposal, hall, row, ctx: { hall: hall.context, authorId: proposal.authorId, state: proposal.state } };
}
type ProposalRow = HallContextRow & { proposal: typeof proposals.$inferSelect; existingCommentId: number | null };

/** Several authors' reads for a new comment in one statement: proposal, hall, membership, an earlier comment with the key. */
const readForComment = batcher<{ proposalId: number; userId: number; clientKey: string }, ProposalRow | null>(async (items) => {
  const input = JSON.stringify(items.map((x, k) => ({ k, proposal_id: x.proposalId, user_id: x.userId, client_key: x.clientKey })));
  const rows = await db()
    .select({
      k: sql<number>`i.k`,
      proposal: proposals,
      ...hallContextColumns(sql`i.user_id`),
      existingCommentId: sql<number | null>`(select e.id from ${comments} e where e.author_id = i.user_id and e.client_key = i.client_key)`,
    })
    .from(sql`jsonb_to_recordset(${input}::jsonb) as i(k int, proposal_id int, user_id int, client_key text)`)
    .innerJoin(proposals, sql`${proposals.id} = i.proposal_id`)
    .innerJoin(halls, eq(halls.id, proposals.hallId))
    .innerJoin(units, eq(units.id, halls.unitId));
  const byIndex = new Map(rows.map((r) => [Number(r.k), r]));
  return items.map((_, k) => byIndex.get(k) ?? null);
});

interface CommentWrite {
  proposalId: number;
  /** The state the checks saw: the write gives way if it changed. */
  state: ProposalState;
  userId: number;
  organizationId: number | null;
  parentId: number | null;
  depth: number;
  stance: Stance;
  body: string;
  clientKey: string;
  indexText: string;
  /** The hall's limit on comments per person per proposal, or null. */
  speechLimit: number | null;
}

const perPersonError = (max: number | null) => new CommandError(`comment.error.perPerson|{"max":${max ?? 0}}`);

/**
 * A CTE \`spoke\` that gives each row of \`source\` (proposal_id, user_id,
 * speech_limit) with a limit its next turn to speak, or nothing when the
 * author has used them all (ADR 0019). The count lives in \`speech_counts\`: the
 * upsert locks the author's row, so two comments at once cannot both take the
 * last turn. A first row starts from the comments already made (except the
 * comment \`except\`, one just inserted in the same transaction).
 */
const spokeCte = (source: SQL, except: SQL) => sql`
  spoke as (
    insert into ${speechCounts} (proposal_id, user_id, count)
    select s.proposal_id, s.user_id, s.made + 1 from (
      select r.proposal_id, r.user_id, r.speech_limit,
        (select count(*)::int from ${comments} e where e.proposal_id = r.proposal_id and e.author_id = r.user_id and e.id is distinct from ${except}) as made
      from ${source} r where r.speech_limit is not null
    ) s where s.made < s.speech_limit
    on conflict (proposal_id, user_id) do update set count = greatest(${speechCounts}.count, excluded.count - 1) + 1
    where greatest(${speechCounts}.count, excluded.count - 1) <
      (select coalesce(h.comments_per_person, 2147483647) from ${proposals} p join ${halls} h on h.id = p.hall_id where p.id = ${speechCounts}.proposal_id)
    returning proposal_id, user_id
  )`;

/**
 * Several authors' comments in one statement. Per comment it share-locks the
 * proposal in the state its checks saw (a state change waits for it, or it
 * sees the change and gives way), counts the author's hourly limit, inserts
 * and follows. Null for an author's second comment in one batch (one count row
 * per author): the full path takes it.
 */
const storeComment = batcher<CommentWrite, { guarded: boolean; hits: number | null; speechRefused: boolean; made: MadeRow | null } | null>(
  async (items) => {
    const seen = new Set<number>();
    const isFirst = items.map((c) => !seen.has(c.userId) && !!seen.add(c.userId));
    const now = serverNow();
    const cutoff = new Date(now.getTime() - COMMENT_LIMIT.windowSeconds * 1000).toISOString();
    const input = JSON.stringify(
      items.flatMap((c, k) =>
        isFirst[k]
          ? [
              {
                k,
                proposal_id: c.proposalId,
                state: c.state,
                user_id: c.userId,
                organization_id: c.organizationId,
                parent_id: c.parentId,
                depth: c.depth,
                stance: c.stance,
                body: c.body,
                client_key: c.clientKey,
                index_text: c.indexText,
                speech_limit: c.speechLimit,
              },
            ]
          : [],
      ),
    );
    const rows = rowsOf<Partial<MadeRow> & { k: number; guarded: boolean; hits: number | null; speech_refused: boolean }>(
      await db().execute(sql`
      with i as (
        select * from jsonb_to_recordset(${input}::jsonb) as i(k int, proposal_id int, state text, user_id int, organization_id int,
          parent_id int, depth int, stance text, body text, client_key text, index_text text, speech_limit int)
      ), guard as (
        select i.k from i join ${proposals} p on p.id = i.proposal_id and p.state = i.state for share of p
      ), hits as (
        insert into ${rateLimits} (key, window_start, count)
        select 'comments:' || i.user_id, ${now.toISOString()}::timestamptz, 1 from guard join i using (k)
        on conflict (key) do update set
          count = case when ${rateLimits}.window_start <= ${cutoff}::timestamptz then 1 else ${rateLimits}.count + 1 end,
          window_start = case when ${rateLimits}.window_start <= ${cutoff}::timestamptz then ${now.toISOString()}::timestamptz else ${rateLimits}.window_start end
        returning key, count
      ), allowed as (
        select i.* from i join guard using (k) join hits h on h.key = 'comments:' || i.user_id where h.count <= ${COMMENT_LIMIT.max}
      ), ${spokeCte(sql`allowed`, sql`null::int`)}, c as (
        insert into ${comments} (proposal_id, author_id, organization_id, parent_id, depth, stance, body, client_key, search_vector)
        select proposal_id, user_id, organization_id, parent_id, depth, stance, body, client_key, to_tsvector('simple', index_text)
        from allowed a where a.speech_limit is null or exists (select 1 from spoke s where s.proposal_id = a.proposal_id and s.user_id = a.user_id)
        order by k
        on conflict do nothing
        returning id, created_at, author_id, organization_id, client_key
      ), followed as (
        insert into ${follows} (proposal_id, user_id) select distinct i.proposal_id, c.author_id from c join i on i.user_id = c.author_id
        on conflict do nothing
      )
      select i.k, g.k is not null as guarded, h.count as hits, ${madeColumns},
        i.speech_limit is not null and not exists (select 1 from spoke s where s.proposal_id = i.proposal_id and s.user_id = i.user_id) as speech_refused
      from i left join guard g on g.k = i.k left join hits h on h.key = 'comments:' || i.user_id
        left join c on c.author_id = i.user_id and c.client_key = i.client_key
        left join ${users} u on u.id = c.author_id left join ${organizations} o on o.id = c.organization_id`),
    );
    const byIndex = new Map(rows.map((r) => [Number(r.k), r]));
    return items.map((_, k) => {
      const r = byIndex.get(k);
      if (!r) return null;
      return {
        guarded: r.guarded,
        hits: r.hits,
        speechRefused: !!r.speech_refused,
        made: r.id === null || r.id === undefined ? null : (r as MadeRow),
      };
    });
  },
);

async function postCommentInTransaction(actor: Actor, input: NewComment): Promise<CommentPayload> {
  return runCommand(async (tx, outbox) => {
    // A shared lock: comments never block each other, only a state change does.
    const found = await lockProposal(tx, input.proposalId, actor, "share", input.clientKey);
    if (found.row.existingCommentId !== null) return commentPayload(tx, Number(found.row.existingCommentId));
    const { userId, depth, parentAuthorId } = await checkNewComment(tx, actor, input, found);
    if (!(await hitRateLimit(tx, `comments:${userId}`, COMMENT_LIMIT)).allowed) throw new CommandError("comment.error.rateLimited");
    const [made] = rowsOf<MadeRow>(
      await tx.execute(sql`
        with once as (select 1), ${insertComment("once", found.proposal.id, userId, input, depth)}
        select ${madeColumns} from c join ${users} u on u.id = c.author_id left join ${organizations} o on o.id = c.organization_id`),
    );
    if (!made) {
      // The same submit raced itself: return the one that won.
      const [winner] = await tx
        .select({ id: comments.id })
        .from(comments)
        .where(and(eq(comments.authorId, userId), eq(comments.clientKey, input.clientKey)));
      return commentPayload(tx, winner!.id);
    }
    const limit = found.hall.hall.commentsPerPerson;
    if (limit !== null) {
      // The race-proof count (ADR 0019), after the insert so that a twin submit that found its comment counts nothing.
      const source = sql`(select ${found.proposal.id}::int as proposal_id, ${userId}::int as user_id, ${limit}::int as speech_limit)`;
      const [took] = rowsOf<{ n: number }>(
        await tx.execute(sql`with ${spokeCte(source, sql`${Number(made.id)}::int`)} select count(*)::int as n from spoke`),
      );
      if (!took?.n) throw perPersonError(limit); // rolls the comment back
    }
    const payload = madePayload(found.proposal.id, input, userId, depth, made);
    outbox.emit(`proposal:${found.proposal.id}`, "comment:upserted", { ...payload, isNew: true });
    if (parentAuthorId !== null && parentAuthorId !== userId) {
      await notify(tx, outbox, {
        userId: parentAuthorId,
        kind: "notification.reply",
        params: { name: payload.authorName, title: found.proposal.title },
        link: `/proposals/${found.proposal.id}#comment-${payload.id}`,
      });
    }
    return payload;
  });
}

async function lockComment(tx: Tx, commentId: number, actor: Actor) {
  const [comment] = await tx.select().from(comments).where(eq(comments.id, commentId)).for("update");
  if (!comment) throw new NotFoundError("comment");
  const [proposal] = await tx.select().from(proposals).where(eq(proposals.id, comment.proposalId));
  const found = await hallContext(tx, proposal!.hallId, actor);
  return {
    comment,
    proposal: proposal!,
    hall: found!,
    ctx: { hall: found!.context, authorId: proposal!.authorId, state: proposal!.state, commentAuthorId: comment.authorId },
  };
}

/** The author edits within 15 minutes; the old text is kept and the comment is marked edited. */
export async function editComment(actor: Actor, input: { commentId: number; body: string; stance: Stance }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { comment, hall, ctx } = await lockComment(tx, input.commentId, actor);
    authorize(actor, "comment:edit", ctx);
    if (!canStillEdit(comment.createdAt, now)) throw new CommandError("comment.error.editWindow");
    if (comment.hiddenAt) throw new CommandError("comment.error.hidden");
    if ([...input.body].length > hall.hall.commentMaxLength)
      throw new CommandError(`validation.tooLong|{"max":${hall.hall.commentMaxLength}}`, "body");
    await tx.insert(commentRevisions).values({ commentId: comment.id, body: comment.body, stance: comment.stance });
    await tx
      .update(comments)
      .set({ body: input.body, stance: input.stance, editedAt: now, searchVector: searchVector(input.body) })
      .where(eq(comments.id, comment.id));
    const payload = await commentPayload(tx, comment.id);
    outbox.emit(`proposal:${comment.proposalId}`, "comment:upserted", payload);
    return payload;
  });
}

/** Members report a comment; three different members hide it until the convener reviews it. */
export async function reportComment(actor: Actor, input: { commentId: number; reason: ReportReason }) {
  return runCommand(async (tx, outbox) => {
    const { comment, proposal, hall, ctx } = await lockComment(tx, input.commentId, actor);
    authorize(actor, "comment:report", ctx);
    if (!reportReasons.includes(input.reason)) throw new CommandError("validation.required", "reason");
    const [report] = await tx
      .insert(commentReports)
      .values({ commentId: comment.id, reporterId: actor.userId!, reason: input.reason })
      .onConflictDoNothing()
      .returning();
    if (!report) throw new CommandError("comment.error.alreadyReported");
    const [open] = await tx
      .select({ n: count() })
      .from(commentReports)
      .where(and(eq(commentReports.commentId, comment.id), isNull(commentReports.reviewedAt)));
    if (!comment.hiddenAt && (open?.n ?? 0) >= REPORTS_TO_HIDE) {
      await tx.update(comments).set({ hiddenAt: serverNow(), hiddenBy: null, hiddenReason: "reports" }).where(eq(comments.id, comment.id));
      outbox.emit(`proposal:${comment.proposalId}`, "comment:upserted", await commentPayload(tx, comment.id));
      const conveners = await tx.select({ userId: hallConveners.userId }).from(hallConveners).where(eq(hallConveners.hallId, hall.hall.id));
      await notifyMany(
        tx,
        outbox,
        conveners.map((c) => c.userId),
        { kind: "notification.commentHidden", params: { title: proposal.title }, link: `/proposals/${proposal.id}#comment-${comment.id}` },
      );
    }
  });
}

/** The convener hides (or restores) a comment with a reason; a stub with the reason stays visible. */
export async function moderateComment(actor: Actor, input: { commentId: number; hide: boolean; reason: string }) {
  return runCommand(async (tx, outbox) => {
    const { comment, ctx } = await lockComment(tx, input.commentId, actor);
    authorize(actor, "proposal:moderate", ctx);
    if (!input.reason.trim()) throw new CommandError("validation.reasonRequired", "reason");
    const now = serverNow();
    await tx
      .update(comments)
      .set(
        input.hide
          ? { hiddenAt: now, hiddenBy: actor.userId, hiddenReason: input.reason.trim() }
          : { hiddenAt: null, hiddenBy: null, hiddenReason: null },
      )
      .where(eq(comments.id, comment.id));
    await tx
      .update(commentReports)
      .set({ reviewedAt: now })
      .where(and(eq(commentReports.commentId, comment.id), isNull(commentReports.reviewedAt)));
    await tx
      .insert(proposalEvents)
      .values({
        proposalId: comment.proposalId,
        actorId: actor.userId,
        kind: input.hide ? "comment_hidden" : "comment_restored",
        reason: input.reason.trim(),
        data: { commentId: comment.id },
      });
    const payload = await commentPayload(tx, comment.id);
    outbox.emit(`proposal:${comment.proposalId}`, "comment:upserted", payload);
    return payload;
  });
}

/** The convener writes the minutes (议事纪要); every version is kept. */
export async function writeMinutes(actor: Actor, input: { proposalId: number; agreed: string; open: string; nextStep: string }) {
  return runCommand(async (tx, outbox) => {
    const { proposal, ctx } = await lockProposal(tx, input.proposalId, actor);
    authorize(actor, "proposal:moderate", ctx);
    const [last] = await tx
      .select({ v: sql<number>`coalesce(max(${minutes.version}), 0)::int` })
      .from(minutes)
      .where(eq(minutes.proposalId, proposal.id));
    const version = (last?.v ?? 0) + 1;
    await tx
      .insert(minutes)
      .values({
        proposalId: proposal.id,
        version,
        agreed: input.agreed,
        open: input.open,
        nextStep: input.nextStep,
        authorId: actor.userId!,
      });
    await tx.insert(proposalEvents).values({ proposalId: proposal.id, actorId: actor.userId, kind: "minutes", data: { version } });
    await announce(tx, outbox, proposal, true);
    await notifyAudience(tx, outbox, followers(proposal.id, actor.userId), {
      kind: "notification.minutes",
      params: { title: proposal.title },
      link: `/proposals/${proposal.id}`,
    });
    return version;
  });
}

/** After a passed vote, the community handles it itself (自治) instead of escalating. */
export async function markSelfHandled(actor: Actor, proposalId: number) {
  return runCommand(async (tx, outbox) => {
    const { proposal, ctx } = await lockProposal(tx, proposalId, actor);
    authorize(actor, "proposal:moderate", ctx);
    return transition(tx, outbox, proposal, "self_handled", actor.userId);
  });
}
