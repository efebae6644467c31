import { randomBytes } from "node:crypto";
import { and, count, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
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
} from "#db/schema";
import { audit } from "~/lib/audit.server";
import { serverNow } from "~/lib/clock.server";
import { CommandError, lockIdempotencyKey, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { localToInstant } from "~/lib/time";
import { config } from "~/config.server";
import { translator } from "~/i18n/i18n";
import { authorize } from "~/modules/access";
import { hallContext, hallContextColumns, toHallContext } from "~/modules/halls/queries.server";
import type { Actor } from "~/modules/identity/actor";
import { notifyMany } from "~/modules/notifications/commands.server";
import { venueCodeValid } from "~/modules/pledges/rules";
import { writeMinutes } from "~/modules/proposals/commands.server";
import { liveState } from "./live.server";
import { draftMinutes, outcomeOf } from "./minutes";
import { meetingRecord } from "./minutes.server";
import type { MeetingContext } from "./permissions";
import {
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
  const { context } = toHallContext(row);
  const ctx: MeetingContext = { hall: context, status: row.meeting.status, invited: row.invited, present: row.present };
  return { meeting: row.meeting, ctx };
}

/** Raise the meeting's rev and send its live state to the room once the transaction commits. */
async function changed(tx: Tx, outbox: Outbox, meeting: Meeting, now: Date) {
  const [m] = await tx
    .update(meetings)
    .set({ rev: sql`${meetings.rev} + 1` })
    .where(eq(meetings.id, meeting.id))
    .returning();
  outbox.emit(`meeting:${meeting.id}`, "meeting:changed", await liveState(tx, m!, now));
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

export async function procedureOf(q: Tx | Parameters<typeof liveState>[0], hallId: number) {
  const [row] = await q.select().from(meetingProcedures).where(eq(meetingProcedures.hallId, hallId));
  return row ? { speakingSeconds: row.speakingSeconds, timesPerItem: row.timesPerItem, alternate: row.alternate, proxies: row.proxies } : DEFAULT_PROCEDURE;
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
    await notifyMany(
      tx,
      outbox,
      invitees.filter((id) => id !== actor.userId),
      { kind: "notification.meetingScheduled", params: { title: meeting!.title, hall: hall.hall.name, at: startsAt.toISOString(), place: input.place }, link: `/meetings/${meeting!.id}` },
    );
    outbox.emit(`hall:${input.hallId}`, "hall:changed", { hallId: input.hallId });
    return meeting!;
  });
}

/** The chair calls a scheduled meeting off; the invited hear why. */
export async function cancelMeeting(actor: Actor, meetingId: number, reason: string, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    const m = await step(tx, meeting, "cancel", {});
    const invited = await tx.select({ userId: meetingInvites.userId }).from(meetingInvites).where(eq(meetingInvites.meetingId, meetingId));
    await notifyMany(
      tx,
      outbox,
      invited.map((r) => r.userId).filter((id) => id !== actor.userId),
      { kind: "notification.meetingCancelled", params: { title: meeting.title, reason }, link: `/meetings/${meetingId}` },
    );
    await audit(tx, { actorId: actor.userId, action: "meeting.cancel", subjectType: "meeting", subjectId: meetingId, data: { reason } });
    return changed(tx, outbox, m, now);
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
    return changed(tx, outbox, meeting, now);
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
    return changed(tx, outbox, meeting, now);
  });
}

// ——— Running the meeting ———

/** The chair opens the meeting on its first agenda item. */
export async function openMeeting(actor: Actor, meetingId: number, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    const m = await step(tx, meeting, "open", { openedAt: now, currentItem: 1 });
    await tx
      .update(meetingItems)
      .set({ startedAt: now })
      .where(and(eq(meetingItems.meetingId, meetingId), eq(meetingItems.position, 1)));
    return changed(tx, outbox, m, now);
  });
}

/** The chair moves to the next agenda item: the floor is ended and the hands still up are taken down. */
export async function nextItem(actor: Actor, meetingId: number, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
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
    return changed(tx, outbox, m!, now);
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
    return changed(tx, outbox, m, now);
  });
}

// ——— The floor ———

/** A member present raises a hand on the item under discussion, for or against. */
export async function raiseHand(actor: Actor, meetingId: number, stance: HandStance, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, meetingId, actor);
    authorize(actor, "meeting:participate", ctx);
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
    return changed(tx, outbox, meeting, now);
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
    return changed(tx, outbox, meeting, now);
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
    return changed(tx, outbox, meeting, now);
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
    return changed(tx, outbox, meeting, now);
  });
}

// ——— Motions ———

/** A member present moves a motion on the item, or an amendment to a motion not yet decided. */
export async function moveMotion(actor: Actor, input: { meetingId: number; text: string; amendsId?: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor);
    authorize(actor, "meeting:participate", ctx);
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
    return changed(tx, outbox, meeting, now);
  });
}

async function lockMotion(tx: Tx, meetingId: number, motionId: number) {
  const [motion] = await tx.select().from(meetingMotions).where(eq(meetingMotions.id, motionId)).for("update");
  if (!motion || motion.meetingId !== meetingId) throw new NotFoundError("motion");
  return motion;
}

/** Another member present seconds it (附议). */
export async function secondMotion(actor: Actor, input: { meetingId: number; motionId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor);
    authorize(actor, "meeting:participate", ctx);
    mustBeOpen(meeting);
    const motion = await lockMotion(tx, meeting.id, input.motionId);
    const refusal = secondRefusal(motion, actor.userId!) ?? (mayMotionStep(motion.status, "second") ? null : motionStepRefusal(motion.status, "second"));
    if (refusal) throw new CommandError(refusal);
    await tx.update(meetingMotions).set({ status: "seconded", secondedBy: actor.userId }).where(eq(meetingMotions.id, motion.id));
    return changed(tx, outbox, meeting, now);
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
    return changed(tx, outbox, meeting, now);
  });
}

/** A member present votes from their phone on the motion being voted; a second tap changes the ballot, never adds one. */
export async function castBallot(actor: Actor, input: { meetingId: number; motionId: number; choice: BallotChoice }, now = serverNow()) {
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
    const cast = await tx
      .select({ choice: meetingBallots.choice, n: count() })
      .from(meetingBallots)
      .where(eq(meetingBallots.motionId, motion.id))
      .groupBy(meetingBallots.choice);
    const of = (c: BallotChoice) => cast.find((x) => x.choice === c)?.n ?? 0;
    // Only the count moves: a small message, not the whole state (the chair's result sends that).
    outbox.emit(`meeting:${meeting.id}`, "meeting:tally", { meetingId: meeting.id, motionId: motion.id, phones: { for: of("for"), against: of("against"), abstain: of("abstain") }, total: cast.reduce((n, x) => n + x.n, 0), asOf: Date.now() });
  });
}

/** The chair enters the hands counted in the room; more for than against passes. */
export async function recordCounts(actor: Actor, input: { meetingId: number; motionId: number; votesFor: number; votesAgainst: number; abstentions: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { meeting, ctx } = await lockMeeting(tx, input.meetingId, actor);
    authorize(actor, "meeting:chair", ctx);
    mustBeOpen(meeting);
    const motion = await lockMotion(tx, meeting.id, input.motionId);
    if (!mayMotionStep(motion.status, "decide")) throw new CommandError(motionStepRefusal(motion.status, "decide"));
    const [present] = await tx.select({ n: count() }).from(meetingAttendance).where(eq(meetingAttendance.meetingId, meeting.id));
    const refusal = countsRefusal(input, present?.n ?? 0);
    if (refusal) throw new CommandError(refusal, "votesFor", { n: present?.n ?? 0 });
    // The phones' ballots are part of the count: the room's figures cannot be below them.
    const cast = await tx
      .select({ choice: meetingBallots.choice, n: count() })
      .from(meetingBallots)
      .where(eq(meetingBallots.motionId, motion.id))
      .groupBy(meetingBallots.choice);
    const phones = (c: BallotChoice) => cast.find((x) => x.choice === c)?.n ?? 0;
    for (const [field, c, n] of [["votesFor", "for", input.votesFor], ["votesAgainst", "against", input.votesAgainst], ["abstentions", "abstain", input.abstentions]] as const) {
      if (n < phones(c)) throw new CommandError("meeting.error.belowPhones", field, { n: phones(c) });
    }
    const status = motionResult(input.votesFor, input.votesAgainst);
    await tx
      .update(meetingMotions)
      .set({ status, votesFor: input.votesFor, votesAgainst: input.votesAgainst, abstentions: input.abstentions, decidedAt: now })
      .where(eq(meetingMotions.id, motion.id));
    await audit(tx, { actorId: actor.userId, action: "meeting.decide", subjectType: "meeting", subjectId: meeting.id, data: { ...input, status } });
    return changed(tx, outbox, meeting, now);
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
      const invited = await tx.select({ userId: meetingInvites.userId }).from(meetingInvites).where(eq(meetingInvites.meetingId, meeting.id));
      await notifyMany(
        tx,
        outbox,
        invited.map((r) => r.userId).filter((id) => id !== actor.userId),
        { kind: "notification.meetingMinutes", params: { title: meeting.title }, link: `/meetings/${meeting.id}/minutes` },
      );
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
