import { randomBytes } from "node:crypto";
import { and, count, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { db, rowsOf, type Queryable, type Tx } from "#db/client.server";
import {
  hallMembers,
  halls,
  meetingAttendance,
  meetingBallots,
  meetingHands,
  meetingInvites,
  meetingItems,
  meetingMinutes,
  meetingMotions,
  meetingProcedures,
  meetings,
  proposals,
  units,
  users,
  type BallotChoice,
  type HandStance,
  type MotionChannels,
  type MotionStatus,
} from "#db/schema";
import { audit } from "~/lib/audit.server";
import { batcher } from "~/lib/batch.server";
import { serverNow } from "~/lib/clock.server";
import { CommandError, ForbiddenError, lockIdempotencyKey, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { localToInstant } from "~/lib/time";
import { config } from "~/config.server";
import { translator } from "~/i18n/i18n";
import { authorize } from "~/modules/access";
import { hallContext, hallContextColumns, toHallContext, type HallContextRow } from "~/modules/halls/queries.server";
import type { Actor } from "~/modules/identity/actor";
import { notifyAudience } from "~/modules/notifications/commands.server";
import type { Audience } from "~/modules/notifications/audiences";
import { venueCodeValid } from "~/modules/pledges/rules";
import { openDebate, writeMinutes } from "~/modules/proposals/commands.server";
import { announce } from "./live.server";
import { draftMinutes, outcomeOf } from "./minutes";
import { meetingRecord } from "./minutes.server";
import { contextOf } from "./permissions";
import {
  channelTotals,
  countsRefusal,
  DEFAULT_PROCEDURE,
  extensionSeconds,
  mayMotionStep,
  motionResult,
  motionStepRefusal,
  nextMeetingStatus,
  orderQueue,
  pendingAmendments,
  raiseHandRefusal,
  secondRefusal,
  SIGN_IN_CODE_STEP_MS,
  signInOpen,
  type MeetingStep,
} from "./rules";
import type { ProcedureInput, ScheduleInput } from "./schemas";

/**
 * Every write of hall meetings (议事会): one transaction each, the meeting's
 * row locked first (so the chair's "next speaker" and a hand raised at the
 * same instant are answered one after the other), its `rev` raised, and the
 * whole live state sent to the room `meeting:<id>` after the commit.
 */

type Meeting = typeof meetings.$inferSelect;

/** The meeting, locked (unless `lock` is false), as permissions see it for this actor. */
async function lockMeeting(tx: Tx, meetingId: number, actor: Actor, lock = true) {
  const query = tx
    .select({
      meeting: meetings,
      ...hallContextColumns(actor),
      invited: sql<boolean>`exists(select 1 from ${meetingInvites} i where i.meeting_id = ${meetings.id} and i.user_id = ${actor.userId ?? -1})`,
      present: sql<boolean>`exists(select 1 from ${meetingAttendance} a where a.meeting_id = ${meetings.id} and a.user_id = ${actor.userId ?? -1})`,
    })
    .from(meetings)
    .innerJoin(halls, eq(halls.id, meetings.hallId))
    .innerJoin(units, eq(units.id, halls.unitId))
    .where(eq(meetings.id, meetingId));
  const [row] = lock ? await query.for("update", { of: meetings }) : await query;
  if (!row) throw new NotFoundError("meeting");
  return meetingContextOf(row);
}

type MeetingRow = HallContextRow & { meeting: Meeting; invited: boolean; present: boolean };

/** A meeting's row with its hall's and the actor's columns, as permissions see it. */
function meetingContextOf(row: MeetingRow) {
  const { context } = toHallContext(row);
  return { meeting: row.meeting, ctx: contextOf(row.meeting, context, row) };
}

/**
 * Raise the meeting's rev and, once the transaction commits, have the room
 * sent its live state (read after the commit, coalesced: `announce`).
 */
async function changed(tx: Tx, outbox: Outbox, meeting: Meeting) {
  const [m] = await tx
    .update(meetings)
    .set({ rev: sql`${meetings.rev} + 1` })
    .where(eq(meetings.id, meeting.id))
    .returning();
  outbox.onCommit(() => announce(meeting.id));
  return m!;
}

function mustBeOpen(meeting: Meeting) {
  if (meeting.status !== "open") throw new CommandError("meeting.error.notOpen");
}

async function currentItem(tx: Tx, meeting: Meeting) {
  if (meeting.currentItem === null) throw new CommandError("meeting.error.noItem");
  const [item] = await tx
    .select()
    .from(meetingItems)
    .where(and(eq(meetingItems.meetingId, meeting.id), eq(meetingItems.position, meeting.currentItem)));
  return item!;
}

/** End the speech on the floor, if any. */
async function endFloor(tx: Tx, meetingId: number, now: Date) {
  await tx
    .update(meetingHands)
    .set({ status: "spoken", endedAt: now })
    .where(and(eq(meetingHands.meetingId, meetingId), eq(meetingHands.status, "speaking")));
}

// ——— The hall's rules of procedure ———

export async function procedureOf(q: Queryable, hallId: number) {
  const [row] = await q.select().from(meetingProcedures).where(eq(meetingProcedures.hallId, hallId));
  return row
    ? { speakingSeconds: row.speakingSeconds, timesPerItem: row.timesPerItem, alternate: row.alternate, proxies: row.proxies, neutralChair: row.neutralChair }
    : DEFAULT_PROCEDURE;
}

/** A convener sets the hall's rules of procedure; meetings already scheduled keep theirs. */
export async function setProcedure(actor: Actor, hallId: number, input: ProcedureInput, now = serverNow()) {
  return runCommand(async (tx) => {
    const hall = await hallContext(tx, hallId, actor);
    if (!hall) throw new NotFoundError("hall");
    authorize(actor, "meeting:procedure", hall.context);
    const values = { ...input, updatedBy: actor.userId, updatedAt: now };
    await tx
      .insert(meetingProcedures)
      .values({ hallId, ...values })
      .onConflictDoUpdate({ target: meetingProcedures.hallId, set: values });
    await audit(tx, { actorId: actor.userId, action: "meeting.procedure", subjectType: "hall", subjectId: hallId, data: input });
  });
}

// ——— Scheduling ———

/**
 * A convener schedules a meeting: its time and place, an agenda of the
 * hall's proposals with time boxes, who is invited (every member, or the
 * representatives named) and the quorum. The invited are notified.
 */
export async function scheduleMeeting(actor: Actor, input: ScheduleInput, now = serverNow(), timeZone = config().timeZone) {
  return runCommand(async (tx, outbox) => {
    const hall = await hallContext(tx, input.hallId, actor);
    if (!hall) throw new NotFoundError("hall");
    authorize(actor, "meeting:schedule", hall.context);
    await lockIdempotencyKey(tx, `meeting:${actor.userId}:${input.clientKey}`);
    const [existing] = await tx
      .select()
      .from(meetings)
      .where(and(eq(meetings.createdBy, actor.userId!), eq(meetings.clientKey, input.clientKey)));
    if (existing) return existing;
    const startsAt = localToInstant(input.startsAt, timeZone);
    if (!startsAt) throw new CommandError("meeting.error.time", "startsAt");
    if (startsAt.getTime() < now.getTime() - 5 * 60_000) throw new CommandError("meeting.error.past", "startsAt");

    const found = await tx
      .select({ id: proposals.id, state: proposals.state })
      .from(proposals)
      .where(and(eq(proposals.hallId, input.hallId), inArray(proposals.id, input.agenda.map((a) => a.proposalId))));
    for (const a of input.agenda) {
      const p = found.find((f) => f.id === a.proposalId);
      if (!p || ["draft", "withdrawn", "declined"].includes(p.state)) throw new CommandError("meeting.error.agendaProposal", "agenda", { id: a.proposalId });
    }

    let invitees: number[];
    if (input.invitees === "members") {
      const rows = await tx
        .select({ userId: hallMembers.userId })
        .from(hallMembers)
        .where(and(eq(hallMembers.hallId, input.hallId), eq(hallMembers.status, "active"), isNotNull(hallMembers.userId)));
      invitees = rows.map((r) => r.userId!);
    } else {
      const rows = await tx.select({ id: users.id, username: users.username }).from(users).where(inArray(users.username, input.named));
      const missing = input.named.find((n) => !rows.some((r) => r.username === n));
      if (missing) throw new CommandError("meeting.error.unknownName", "named", { name: missing });
      invitees = rows.map((r) => r.id);
    }
    if (invitees.length === 0) throw new CommandError("meeting.error.nobodyInvited", "invitees");
    if (input.quorum > invitees.length) throw new CommandError("meeting.error.quorumTooHigh", "quorum", { n: invitees.length });

    const procedure = await procedureOf(tx, input.hallId);
    const [meeting] = await tx
      .insert(meetings)
      .values({
        hallId: input.hallId,
        title: input.title,
        startsAt,
        minutes: input.minutes,
        place: input.place,
        remote: input.remote ?? "",
        invitees: input.invitees,
        quorum: input.quorum,
        ...procedure,
        codeSecret: randomBytes(20).toString("hex"),
        clientKey: input.clientKey,
        createdBy: actor.userId!,
        createdAt: now,
      })
      .returning();
    await tx.insert(meetingItems).values(input.agenda.map((a, i) => ({ meetingId: meeting!.id, position: i + 1, proposalId: a.proposalId, minutes: a.minutes })));
    await tx.insert(meetingInvites).values(invitees.map((userId) => ({ meetingId: meeting!.id, userId })));
    await audit(tx, { actorId: actor.userId, action: "meeting.schedule", subjectType: "meeting", subjectId: meeting!.id, data: { hallId: input.hallId, invited: invitees.length } });
    await notifyAudience(tx, outbox, invited(meeting!.id, actor), {
      kind: "notification.meetingScheduled",
      params: { title: meeting!.title, hall: hall.hall.name, at: startsAt.toISOString(), place: input.place },
      link: `/meetings/${meeting!.id}`,
    });
    outbox.emit(`hall:${input.hallId}`, "hall:changed", { hallId: input.hallId });
    return meeting!;
  });
}

/** A meeting's invitees but the one who acted, as a stored audience: one small row however many are invited (ADR 0041). */
function invited(meetingId: number, actor: Actor): Audience {
  return { of: [{ kind: "meetingInvitees", meetingId }], ...(actor.userId === null ? {} : { except: [actor.userId] }) };
}

/** The chair calls a scheduled meeting off; the invited hear why. */
export async function cancelMeeting(actor: Actor, meetingId: number, reason: string, _now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    const m = await step(tx, meeting, "cancel", {});
    await notifyAudience(tx, outbox, invited(meetingId, actor), { kind: "notification.meetingCancelled", params: { title: meeting.title, reason }, link: `/meetings/${meetingId}` });
    await audit(tx, { actorId: actor.userId, action: "meeting.cancel", subjectType: "meeting", subjectId: meetingId, data: { reason } });
    return changed(tx, outbox, m);
  });
}

async function step(tx: Tx, meeting: Meeting, s: MeetingStep, set: Partial<typeof meetings.$inferInsert>) {
  const to = nextMeetingStatus(meeting.status, s);
  if (!to) throw new CommandError(`meeting.error.step.${s}`);
  const [m] = await tx
    .update(meetings)
    .set({ ...set, status: to })
    .where(eq(meetings.id, meeting.id))
    .returning();
  return m!;
}

// ——— Sign-in ———

/** An invited member signs in with the code on the wall. */
export async function signInWithCode(actor: Actor, meetingId: number, code: string, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:signIn", ctx);
    if (!signInOpen(meeting, now)) throw new CommandError("meeting.error.signInClosed", "code");
    if (ctx.present) return meeting;
    if (!venueCodeValid(meeting.codeSecret, code, now, SIGN_IN_CODE_STEP_MS)) throw new CommandError("meeting.error.codeWrong", "code");
    await tx.insert(meetingAttendance).values({ meetingId, userId: actor.userId!, way: "code", signedInAt: now }).onConflictDoNothing();
    return changed(tx, outbox, meeting);
  });
}

/**
 * Staff at the door mark an invited member present (an elderly neighbour
 * without a phone), or, where the hall's rules allow proxies (委托), present
 * through another member who is there and holds their place.
 */
export async function markPresent(actor: Actor, input: { meetingId: number; userId: number; holderId?: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    if (!signInOpen(meeting, now)) throw new CommandError("meeting.error.signInClosed", "userId");
    const [invite] = await tx
      .select()
      .from(meetingInvites)
      .where(and(eq(meetingInvites.meetingId, meeting.id), eq(meetingInvites.userId, input.userId)));
    if (!invite) throw new CommandError("meeting.error.notInvited", "userId");
    if (input.holderId !== undefined) {
      if (!meeting.proxies) throw new CommandError("meeting.error.noProxies", "holderId");
      const [holder] = await tx
        .select()
        .from(meetingAttendance)
        .where(and(eq(meetingAttendance.meetingId, meeting.id), eq(meetingAttendance.userId, input.holderId)));
      if (!holder || holder.way === "proxy" || input.holderId === input.userId) throw new CommandError("meeting.error.holderAbsent", "holderId");
      const [held] = await tx
        .select({ n: count() })
        .from(meetingAttendance)
        .where(and(eq(meetingAttendance.meetingId, meeting.id), eq(meetingAttendance.byUserId, input.holderId), eq(meetingAttendance.way, "proxy")));
      if ((held?.n ?? 0) >= 1) throw new CommandError("meeting.error.holderHoldsOne", "holderId");
    }
    const way = input.holderId !== undefined ? "proxy" : "staff";
    const inserted = await tx
      .insert(meetingAttendance)
      .values({ meetingId: meeting.id, userId: input.userId, way, byUserId: input.holderId ?? actor.userId, signedInAt: now })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return meeting;
    await audit(tx, { actorId: actor.userId, action: "meeting.markPresent", subjectType: "meeting", subjectId: meeting.id, data: { userId: input.userId, way } });
    return changed(tx, outbox, meeting);
  });
}

// ——— Running the meeting ———

/** The chair opens the meeting on its first agenda item. */
export async function openMeeting(actor: Actor, meetingId: number, now = serverNow()) {
  const opened = await runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    const m = await step(tx, meeting, "open", { openedAt: now, currentItem: 1 });
    await tx
      .update(meetingItems)
      .set({ startedAt: now })
      .where(and(eq(meetingItems.meetingId, meetingId), eq(meetingItems.position, 1)));
    return changed(tx, outbox, m);
  });
  await takeUpItem(actor, opened);
  return opened;
}

/** The chair moves to the next agenda item: the floor is ended and the hands still up are taken down. */
export async function nextItem(actor: Actor, meetingId: number, now = serverNow()) {
  const moved = await runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    mustBeOpen(meeting);
    const item = await currentItem(tx, meeting);
    await closeItem(tx, meeting.id, item.id, now);
    const [next] = await tx
      .select()
      .from(meetingItems)
      .where(and(eq(meetingItems.meetingId, meetingId), eq(meetingItems.position, item.position + 1)));
    if (!next) throw new CommandError("meeting.error.lastItem");
    await tx.update(meetingItems).set({ startedAt: now }).where(eq(meetingItems.id, next.id));
    const [m] = await tx.update(meetings).set({ currentItem: next.position }).where(eq(meetings.id, meetingId)).returning();
    return changed(tx, outbox, m!);
  });
  await takeUpItem(actor, moved);
  return moved;
}

/**
 * The room takes up an agenda item: a proposal still "on the agenda" is now
 * being debated, so the proposals module's own command moves it to "in
 * debate" (its rule, event, live update and followers' notice), in its own
 * transaction after the meeting's. A proposal already in debate, being voted
 * or anywhere else stays where it is (docs/meetings.md "Agenda items and the
 * proposals' states").
 */
async function takeUpItem(actor: Actor, meeting: Meeting) {
  const [item] = await db()
    .select({ proposalId: meetingItems.proposalId, state: proposals.state })
    .from(meetingItems)
    .innerJoin(proposals, eq(proposals.id, meetingItems.proposalId))
    .where(and(eq(meetingItems.meetingId, meeting.id), eq(meetingItems.position, meeting.currentItem ?? -1)));
  if (item?.state !== "on_agenda") return;
  await openDebate(actor, item.proposalId).catch((error: unknown) => {
    // Moved meanwhile by someone else (or not the chair's to move): the proposal's own state stands; the meeting goes on.
    if (!(error instanceof CommandError) && !(error instanceof ForbiddenError)) throw error;
  });
}

async function closeItem(tx: Tx, meetingId: number, itemId: number, now: Date) {
  await endFloor(tx, meetingId, now);
  await tx
    .update(meetingHands)
    .set({ status: "withdrawn", endedAt: now })
    .where(and(eq(meetingHands.itemId, itemId), eq(meetingHands.status, "waiting")));
  await tx.update(meetingItems).set({ endedAt: now }).where(eq(meetingItems.id, itemId));
}

/** The chair closes the meeting; the first draft of the minutes is made from the record. */
export async function closeMeeting(actor: Actor, meetingId: number, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    if (meeting.currentItem !== null) await closeItem(tx, meeting.id, (await currentItem(tx, meeting)).id, now);
    const open = await tx
      .select({ id: meetingMotions.id })
      .from(meetingMotions)
      .where(and(eq(meetingMotions.meetingId, meetingId), eq(meetingMotions.status, "voting")));
    if (open.length) throw new CommandError("meeting.error.voteOpen");
    const m = await step(tx, meeting, "close", { closedAt: now, currentItem: null });
    const body = draftMinutes(await meetingRecord(tx, m, now), translator(config().defaultLocale));
    await tx.insert(meetingMinutes).values({ meetingId, version: 1, body, authorId: actor.userId!, createdAt: now }).onConflictDoNothing();
    return changed(tx, outbox, m);
  });
}

// ——— The floor ———

/** A member present raises a hand on the item under discussion, for or against. */
export async function raiseHand(actor: Actor, meetingId: number, stance: HandStance, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:speak", ctx);
    mustBeOpen(meeting);
    const item = await currentItem(tx, meeting);
    const mine = await tx
      .select({ status: meetingHands.status })
      .from(meetingHands)
      .where(and(eq(meetingHands.itemId, item.id), eq(meetingHands.userId, actor.userId!)));
    const refusal = raiseHandRefusal({
      spoken: mine.filter((h) => h.status === "spoken" || h.status === "speaking").length,
      waiting: mine.some((h) => h.status === "waiting"),
      speaking: mine.some((h) => h.status === "speaking"),
      timesPerItem: meeting.timesPerItem,
    });
    if (refusal) throw new CommandError(refusal, "stance");
    await tx.insert(meetingHands).values({ meetingId, itemId: item.id, userId: actor.userId!, stance, raisedAt: now });
    return changed(tx, outbox, meeting);
  });
}

/** A member takes their own hand down. */
export async function lowerHand(actor: Actor, meetingId: number, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "hand:own", { userId: actor.userId ?? -1 });
    const done = await tx
      .update(meetingHands)
      .set({ status: "withdrawn", endedAt: now })
      .where(and(eq(meetingHands.meetingId, meetingId), eq(meetingHands.userId, actor.userId!), eq(meetingHands.status, "waiting")))
      .returning();
    if (done.length === 0) throw new CommandError("meeting.error.noHand");
    return changed(tx, outbox, meeting);
  });
}

/** The hand the rules call next on the current item (the live state's order, from the hands alone). */
async function nextInQueue(tx: Tx, meeting: Meeting) {
  const item = await currentItem(tx, meeting);
  const hands = await tx
    .select({ id: meetingHands.id, userId: meetingHands.userId, stance: meetingHands.stance, status: meetingHands.status, raisedAt: meetingHands.raisedAt, startedAt: meetingHands.startedAt })
    .from(meetingHands)
    .where(and(eq(meetingHands.itemId, item.id), inArray(meetingHands.status, ["waiting", "spoken"])));
  const spoken = new Map<number, number>();
  let last: { stance: HandStance; at: number } | null = null;
  for (const h of hands.filter((x) => x.status === "spoken")) {
    spoken.set(h.userId, (spoken.get(h.userId) ?? 0) + 1);
    if (!last || h.startedAt!.getTime() >= last.at) last = { stance: h.stance, at: h.startedAt!.getTime() };
  }
  const waiting = hands.filter((h) => h.status === "waiting").map((h) => ({ ...h, raisedAt: h.raisedAt.getTime() }));
  return orderQueue(waiting, spoken, last?.stance ?? null, meeting.alternate)[0];
}

/** The chair gives the floor to the next in the queue (by the rules), ending the speech before. */
export async function callNext(actor: Actor, meetingId: number, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    mustBeOpen(meeting);
    await endFloor(tx, meetingId, now);
    const next = await nextInQueue(tx, meeting);
    if (!next) throw new CommandError("meeting.error.queueEmpty");
    await tx
      .update(meetingHands)
      .set({ status: "speaking", startedAt: now, allottedSeconds: meeting.speakingSeconds })
      .where(eq(meetingHands.id, next.id));
    return changed(tx, outbox, meeting);
  });
}

/** The chair ends the speech on the floor (time is up, or the speaker has finished). */
export async function endSpeech(actor: Actor, meetingId: number, now = serverNow()) {
  return floorCommand(actor, meetingId, now, async (tx) => endFloor(tx, meetingId, now));
}

/** The chair warns the speaker (off the point, over time): every screen shows it. */
export async function warnSpeaker(actor: Actor, meetingId: number, now = serverNow()) {
  return floorCommand(actor, meetingId, now, async (tx, hand) => {
    await tx.update(meetingHands).set({ warnedAt: now }).where(eq(meetingHands.id, hand.id));
  });
}

/** The chair gives the speaker more time, once a speech. */
export async function extendSpeech(actor: Actor, meetingId: number, now = serverNow()) {
  return floorCommand(actor, meetingId, now, async (tx, hand, meeting) => {
    if (hand.extended) throw new CommandError("meeting.error.extendedOnce");
    await tx
      .update(meetingHands)
      .set({ extended: true, allottedSeconds: (hand.allottedSeconds ?? 0) + extensionSeconds(meeting) })
      .where(eq(meetingHands.id, hand.id));
  });
}

async function floorCommand(actor: Actor, meetingId: number, now: Date, fn: (tx: Tx, hand: typeof meetingHands.$inferSelect, meeting: Meeting) => Promise<void>) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    mustBeOpen(meeting);
    const [hand] = await tx
      .select()
      .from(meetingHands)
      .where(and(eq(meetingHands.meetingId, meetingId), eq(meetingHands.status, "speaking")));
    if (!hand) throw new CommandError("meeting.error.nobodySpeaking");
    await fn(tx, hand, meeting);
    return changed(tx, outbox, meeting);
  });
}

// ——— Motions ———

/** A member present moves a motion on the item, or an amendment to a motion not yet decided. */
export async function moveMotion(actor: Actor, input: { meetingId: number; text: string; amendsId?: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor);
    authorize(actor, "meeting:move", ctx);
    mustBeOpen(meeting);
    const item = await currentItem(tx, meeting);
    if (input.amendsId !== undefined) {
      const [main] = await tx.select().from(meetingMotions).where(eq(meetingMotions.id, input.amendsId));
      if (!main || main.itemId !== item.id || main.kind !== "main" || !["moved", "seconded"].includes(main.status)) throw new CommandError("meeting.error.amendWhat", "amendsId");
    }
    await tx.insert(meetingMotions).values({
      meetingId: meeting.id,
      itemId: item.id,
      kind: input.amendsId !== undefined ? "amendment" : "main",
      amendsId: input.amendsId ?? null,
      text: input.text,
      movedBy: actor.userId!,
      createdAt: now,
    });
    return changed(tx, outbox, meeting);
  });
}

async function lockMotion(tx: Tx, meetingId: number, motionId: number) {
  const [motion] = await tx.select().from(meetingMotions).where(eq(meetingMotions.id, motionId)).for("update");
  if (!motion || motion.meetingId !== meetingId) throw new NotFoundError("motion");
  return motion;
}

/** Another member present seconds it (附议). */
export async function secondMotion(actor: Actor, input: { meetingId: number; motionId: number }, _now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor);
    authorize(actor, "meeting:move", ctx);
    mustBeOpen(meeting);
    const motion = await lockMotion(tx, meeting.id, input.motionId);
    const refusal = secondRefusal(motion, actor.userId!) ?? (mayMotionStep(motion.status, "second") ? null : motionStepRefusal(motion.status, "second"));
    if (refusal) throw new CommandError(refusal);
    await tx.update(meetingMotions).set({ status: "seconded", secondedBy: actor.userId }).where(eq(meetingMotions.id, motion.id));
    return changed(tx, outbox, meeting);
  });
}

/** The chair puts a seconded motion to the vote; an amendment goes before the motion it amends. */
export async function putMotion(actor: Actor, input: { meetingId: number; motionId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    mustBeOpen(meeting);
    const motion = await lockMotion(tx, meeting.id, input.motionId);
    if (!mayMotionStep(motion.status, "put")) throw new CommandError(motionStepRefusal(motion.status, "put"));
    const onItem = await tx.select().from(meetingMotions).where(eq(meetingMotions.itemId, motion.itemId));
    if (onItem.some((m) => m.status === "voting")) throw new CommandError("meeting.error.voteOpen");
    if (motion.kind === "main" && pendingAmendments(onItem, motion.id) > 0) throw new CommandError("meeting.error.amendmentsFirst");
    await endFloor(tx, meeting.id, now);
    await tx.update(meetingMotions).set({ status: "voting" }).where(eq(meetingMotions.id, motion.id));
    return changed(tx, outbox, meeting);
  });
}

/**
 * A member present votes from their phone on the motion being voted; a
 * second tap changes the ballot, never adds one. The common case goes in two
 * statements shared with everyone voting at the same moment (group commit,
 * ADR 0015): one reads the meeting, the motion and each voter's place, the
 * other writes the ballots under a share lock of the motion while it is
 * being voted. Anything that statement did not store takes the full
 * transactional path, which decides afresh and explains a refusal. The room
 * hears only the motion's counts, read after the commit and coalesced.
 */
export async function castBallot(actor: Actor, input: { meetingId: number; motionId: number; choice: BallotChoice }, now = serverNow()) {
  if (actor.userId !== null) {
    const row = await readForBallot({ meetingId: input.meetingId, motionId: input.motionId, userId: actor.userId });
    if (!row) throw new NotFoundError("meeting");
    const { meeting, ctx } = meetingContextOf(row);
    authorize(actor, "meeting:participate", ctx);
    mustBeOpen(meeting);
    if (row.motionStatus === null) throw new NotFoundError("motion");
    if (row.motionStatus !== "voting") throw new CommandError("meeting.error.notVoting", "choice");
    if (await storeBallots({ meetingId: meeting.id, motionId: input.motionId, userId: actor.userId, choice: input.choice, castAt: now })) {
      announce(meeting.id, { motionId: input.motionId });
      return;
    }
  }
  return castBallotInTransaction(actor, input, now);
}

async function castBallotInTransaction(actor: Actor, input: { meetingId: number; motionId: number; choice: BallotChoice }, now: Date) {
  return runCommand(async (tx, outbox) => {
    // Ballots do not queue behind the meeting's row: they share the motion's, which the chair's result takes exclusively.
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor, false);
    authorize(actor, "meeting:participate", ctx);
    mustBeOpen(meeting);
    const [motion] = await tx.select().from(meetingMotions).where(eq(meetingMotions.id, input.motionId)).for("share");
    if (!motion || motion.meetingId !== meeting.id) throw new NotFoundError("motion");
    if (motion.status !== "voting") throw new CommandError("meeting.error.notVoting", "choice");
    await tx
      .insert(meetingBallots)
      .values({ motionId: motion.id, userId: actor.userId!, choice: input.choice, castAt: now })
      .onConflictDoUpdate({ target: [meetingBallots.motionId, meetingBallots.userId], set: { choice: input.choice, castAt: now } });
    // Only the count moves: a small message, not the whole state (the chair's result sends that).
    outbox.onCommit(() => announce(meeting.id, { motionId: motion.id }));
  });
}

/** Several voters' reads in one statement: the meeting with its hall, each voter's place in it, the motion's state. */
const readForBallot = batcher<{ meetingId: number; motionId: number; userId: number }, (MeetingRow & { motionStatus: MotionStatus | null }) | null>(async (items) => {
  const input = JSON.stringify(items.map((x, k) => ({ k, meeting_id: x.meetingId, motion_id: x.motionId, user_id: x.userId })));
  const rows = await db()
    .select({
      k: sql<number>`i.k`,
      meeting: meetings,
      ...hallContextColumns(sql`i.user_id`),
      invited: sql<boolean>`exists(select 1 from ${meetingInvites} v where v.meeting_id = i.meeting_id and v.user_id = i.user_id)`,
      present: sql<boolean>`exists(select 1 from ${meetingAttendance} a where a.meeting_id = i.meeting_id and a.user_id = i.user_id)`,
      motionStatus: sql<MotionStatus | null>`(select mo.status from ${meetingMotions} mo where mo.id = i.motion_id and mo.meeting_id = i.meeting_id)`,
    })
    .from(sql`jsonb_to_recordset(${input}::jsonb) as i(k int, meeting_id int, motion_id int, user_id int)`)
    .innerJoin(meetings, sql`${meetings.id} = i.meeting_id`)
    .innerJoin(halls, eq(halls.id, meetings.hallId))
    .innerJoin(units, eq(units.id, halls.unitId));
  const byIndex = new Map(rows.map((r) => [Number(r.k), r]));
  return items.map((_, k) => byIndex.get(k) ?? null);
});

/**
 * Several ballots in one statement, each stored only while its motion is
 * being voted in an open meeting (the motion's row share-locked, so the
 * chair's result waits for them or they see it). Two taps of one person on
 * one motion in the same batch: the later one is written, as if in order.
 * True for each item stored.
 */
const storeBallots = batcher<{ meetingId: number; motionId: number; userId: number; choice: BallotChoice; castAt: Date }, boolean>(async (items) => {
  const lastOf = new Map<string, number>();
  items.forEach((x, k) => lastOf.set(`${x.motionId}:${x.userId}`, k));
  const input = JSON.stringify(
    [...lastOf.values()].map((k) => {
      const x = items[k]!;
      return { k, meeting_id: x.meetingId, motion_id: x.motionId, user_id: x.userId, choice: x.choice, cast_at: x.castAt.toISOString() };
    }),
  );
  const stored = rowsOf<{ k: number }>(
    await db().execute(sql`
      with i as (
        select * from jsonb_to_recordset(${input}::jsonb) as i(k int, meeting_id int, motion_id int, user_id int, choice text, cast_at timestamptz)
      ), guard as (
        select i.k from i
          join ${meetingMotions} mo on mo.id = i.motion_id and mo.meeting_id = i.meeting_id and mo.status = 'voting'
          join ${meetings} m on m.id = i.meeting_id and m.status = 'open'
        for share of mo
      ), b as (
        insert into ${meetingBallots} (motion_id, user_id, choice, cast_at)
        select i.motion_id, i.user_id, i.choice, i.cast_at from i join guard using (k)
        on conflict (motion_id, user_id) do update set choice = excluded.choice, cast_at = excluded.cast_at
        returning motion_id, user_id
      )
      select i.k from i join b using (motion_id, user_id)`),
  );
  const ok = new Set(stored.map((r) => Number(r.k)));
  return items.map((x) => ok.has(lastOf.get(`${x.motionId}:${x.userId}`)!));
});

/** What the chair enters when closing a vote: the hands counted in the room and the paper ballots counted (each absent is 0). */
export interface CountsInput {
  meetingId: number;
  motionId: number;
  handsFor?: number;
  handsAgainst?: number;
  handsAbstain?: number;
  paperFor?: number;
  paperAgainst?: number;
  paperAbstain?: number;
}

/**
 * The chair closes the vote: the hands counted in the room and the paper
 * ballots, beside the phones' ballots (read here, frozen with the result).
 * All channels together cannot exceed the people signed in; more for than
 * against passes. The result keeps each channel.
 */
export async function recordCounts(actor: Actor, input: CountsInput, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    mustBeOpen(meeting);
    const motion = await lockMotion(tx, meeting.id, input.motionId);
    if (!mayMotionStep(motion.status, "decide")) throw new CommandError(motionStepRefusal(motion.status, "decide"));
    const [present] = await tx.select({ n: count() }).from(meetingAttendance).where(eq(meetingAttendance.meetingId, meeting.id));
    // The motion's row is locked: no ballot is being written now, and none can be after.
    const cast = await tx
      .select({ choice: meetingBallots.choice, n: count() })
      .from(meetingBallots)
      .where(eq(meetingBallots.motionId, motion.id))
      .groupBy(meetingBallots.choice);
    const phone = (c: BallotChoice) => cast.find((x) => x.choice === c)?.n ?? 0;
    const channels: MotionChannels = {
      phones: { for: phone("for"), against: phone("against"), abstain: phone("abstain") },
      hands: { for: input.handsFor ?? 0, against: input.handsAgainst ?? 0, abstain: input.handsAbstain ?? 0 },
      paper: { for: input.paperFor ?? 0, against: input.paperAgainst ?? 0, abstain: input.paperAbstain ?? 0 },
    };
    const total = channelTotals(channels);
    const refusal = countsRefusal(total, present?.n ?? 0);
    if (refusal) throw new CommandError(refusal, "handsFor", { n: present?.n ?? 0 });
    const status = motionResult(total.for, total.against);
    await tx
      .update(meetingMotions)
      .set({ status, votesFor: total.for, votesAgainst: total.against, abstentions: total.abstain, channels, decidedAt: now })
      .where(eq(meetingMotions.id, motion.id));
    await audit(tx, { actorId: actor.userId, action: "meeting.decide", subjectType: "meeting", subjectId: meeting.id, data: { motionId: motion.id, channels, status } });
    return changed(tx, outbox, meeting);
  });
}

// ——— Minutes ———

/**
 * The convener saves a new version of the minutes; publishing one sends it to
 * the invited and puts each item's outcome on its proposal's minutes.
 */
export async function saveMinutes(actor: Actor, input: { meetingId: number; body: string; publish: boolean }, now = serverNow()) {
  const result = await runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor);
    authorize(actor, "meeting:minutes", ctx);
    if (meeting.status !== "closed") throw new CommandError("meeting.error.notClosed", "body");
    const [last] = await tx
      .select({ v: sql<number>`coalesce(max(${meetingMinutes.version}), 0)::int` })
      .from(meetingMinutes)
      .where(eq(meetingMinutes.meetingId, meeting.id));
    const version = (last?.v ?? 0) + 1;
    await tx.insert(meetingMinutes).values({ meetingId: meeting.id, version, body: input.body, published: input.publish, authorId: actor.userId!, createdAt: now });
    if (input.publish) {
      await audit(tx, { actorId: actor.userId, action: "meeting.publishMinutes", subjectType: "meeting", subjectId: meeting.id, data: { version } });
      await notifyAudience(tx, outbox, invited(meeting.id, actor), { kind: "notification.meetingMinutes", params: { title: meeting.title }, link: `/meetings/${meeting.id}/minutes` });
    }
    const record = input.publish ? await meetingRecord(tx, meeting, now) : null;
    return { version, record };
  });
  // Each proposal on the agenda gets its outcome in its own minutes (the proposals module's command, its own transaction).
  for (const item of result.record?.items ?? []) {
    const t = translator(config().defaultLocale);
    await writeMinutes(actor, { proposalId: item.proposalId, agreed: outcomeOf(item, t), open: "", nextStep: t("meeting.minutes.onProposal", { title: result.record!.title, id: input.meetingId }) });
  }
  return result.version;
}
