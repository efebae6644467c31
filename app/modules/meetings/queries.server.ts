import { and, asc, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { halls, meetingAttendance, meetingBallots, meetingMotions, meetingInvites, meetingItems, meetingMinutes, meetings, proposals, units, users } from "#db/schema";
import { randomUUID } from "node:crypto";
import { ForbiddenError, NotFoundError } from "~/lib/command.server";
import { can } from "~/modules/access";
import { hallContext, hallContextColumns, toHallContext } from "~/modules/halls/queries.server";
import type { Actor } from "~/modules/identity/actor";
import { venueCode, venueCodeChangesAt } from "~/modules/pledges/rules";
import { procedureOf } from "./commands.server";
import { liveState } from "./live.server";
import { contextOf, meetingAbilities } from "./permissions";
import { SIGN_IN_CODE_STEP_MS, signInOpen } from "./rules";

/** The meeting as permissions see it for this actor, or a 404. */
async function meetingFor(actor: Actor, meetingId: number) {
  const [row] = await db()
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
  if (!row) throw new NotFoundError("meeting");
  const { hall, unitName, context } = toHallContext(row);
  const ctx = contextOf(row.meeting, context, row);
  return { meeting: row.meeting, hall, unitName, ctx };
}

const publicMeeting = (m: typeof meetings.$inferSelect) => ({
  id: m.id,
  hallId: m.hallId,
  title: m.title,
  startsAt: m.startsAt.toISOString(),
  minutes: m.minutes,
  place: m.place,
  remote: m.remote,
  quorum: m.quorum,
  status: m.status,
  procedure: { speakingSeconds: m.speakingSeconds, timesPerItem: m.timesPerItem, alternate: m.alternate, proxies: m.proxies, neutralChair: m.neutralChair },
});

async function agendaOf(meetingId: number) {
  return db()
    .select({ position: meetingItems.position, proposalId: meetingItems.proposalId, minutes: meetingItems.minutes, title: proposals.title })
    .from(meetingItems)
    .innerJoin(proposals, eq(proposals.id, meetingItems.proposalId))
    .where(eq(meetingItems.meetingId, meetingId))
    .orderBy(asc(meetingItems.position));
}

/** The code on the wall, for those who run the meeting while sign-in is open. */
function codeFor(chair: boolean, meeting: typeof meetings.$inferSelect, now: Date) {
  if (!chair || !signInOpen(meeting, now)) return null;
  return { code: venueCode(meeting.codeSecret, now, SIGN_IN_CODE_STEP_MS), changesAt: venueCodeChangesAt(now, SIGN_IN_CODE_STEP_MS).toISOString() };
}

/**
 * A meeting's page: its facts, agenda and rules (everyone), the live state,
 * the viewer's place (invited, present) and what they may do; for the chair,
 * the code on the wall and who is still to sign in.
 */
export async function meetingPage(actor: Actor, meetingId: number, now: Date) {
  const { meeting, hall, ctx } = await meetingFor(actor, meetingId);
  const can = meetingAbilities(actor, ctx, signInOpen(meeting, now));
  const [agenda, live, [invited], minutes] = await Promise.all([
    agendaOf(meeting.id),
    liveState(db(), meeting, now),
    db().select({ n: sql<number>`count(*)::int` }).from(meetingInvites).where(eq(meetingInvites.meetingId, meeting.id)),
    db()
      .select({ version: meetingMinutes.version })
      .from(meetingMinutes)
      .where(and(eq(meetingMinutes.meetingId, meeting.id), eq(meetingMinutes.published, true)))
      .limit(1),
  ]);
  const chair = can.chair ? await chairData(meeting.id) : null;
  // The viewer's own ballots from the phone (private: the room's state carries only the counts).
  const mine = ctx.present
    ? await db()
        .select({ motionId: meetingBallots.motionId, choice: meetingBallots.choice })
        .from(meetingBallots)
        .innerJoin(meetingMotions, eq(meetingMotions.id, meetingBallots.motionId))
        .where(and(eq(meetingMotions.meetingId, meeting.id), eq(meetingBallots.userId, actor.userId!)))
    : [];
  return {
    meeting: publicMeeting(meeting),
    hall: { id: hall.id, name: hall.name },
    agenda,
    invited: invited?.n ?? 0,
    live,
    me: { userId: actor.userId, invited: ctx.invited, present: ctx.present, ballots: Object.fromEntries(mine.map((b) => [b.motionId, b.choice])) as Record<number, "for" | "against" | "abstain"> },
    can,
    code: codeFor(can.chair, meeting, now),
    chair,
    hasMinutes: minutes.length > 0,
    signInOpen: signInOpen(meeting, now),
  };
}

/** Who has signed in and who is still to come, for the chair and the staff at the door. */
async function chairData(meetingId: number) {
  const present = await db()
    .select({ userId: meetingAttendance.userId, name: users.displayName, way: meetingAttendance.way })
    .from(meetingAttendance)
    .innerJoin(users, eq(users.id, meetingAttendance.userId))
    .where(eq(meetingAttendance.meetingId, meetingId))
    .orderBy(asc(meetingAttendance.signedInAt));
  const absent = await db()
    .select({ userId: meetingInvites.userId, name: users.displayName })
    .from(meetingInvites)
    .innerJoin(users, eq(users.id, meetingInvites.userId))
    .where(and(eq(meetingInvites.meetingId, meetingId), present.length ? notInArray(meetingInvites.userId, present.map((p) => p.userId)) : sql`true`))
    .orderBy(asc(users.displayName));
  return { present, absent };
}

/** The projector view: the live state, the meeting's name and, for the chair's screen, the sign-in code. */
export async function screenPage(actor: Actor, meetingId: number, now: Date) {
  const { meeting, hall, ctx } = await meetingFor(actor, meetingId);
  const chair = can(actor, "meeting:chair", ctx);
  return { meeting: publicMeeting(meeting), hall: { id: hall.id, name: hall.name }, live: await liveState(db(), meeting, now), code: codeFor(chair, meeting, now) };
}

/** The live state alone (a phone catching up after a reconnect, and measuring the server's clock). */
export async function meetingLive(meetingId: number, now: Date) {
  const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
  if (!meeting) throw new NotFoundError("meeting");
  return liveState(db(), meeting, now);
}

/** The minutes: the latest published version for everyone; for the convener, the latest draft to edit too. */
export async function minutesPage(actor: Actor, meetingId: number) {
  const { meeting, hall, ctx } = await meetingFor(actor, meetingId);
  const mayEdit = can(actor, "meeting:minutes", ctx);
  const versions = await db()
    .select()
    .from(meetingMinutes)
    .where(eq(meetingMinutes.meetingId, meeting.id))
    .orderBy(desc(meetingMinutes.version))
    .limit(20);
  const published = versions.find((v) => v.published) ?? null;
  const latest = versions[0] ?? null;
  const shape = (v: typeof latest) => (v ? { version: v.version, body: v.body, published: v.published, createdAt: v.createdAt.toISOString() } : null);
  return {
    meeting: publicMeeting(meeting),
    hall: { id: hall.id, name: hall.name },
    published: shape(published),
    draft: mayEdit ? shape(latest) : null,
    can: { edit: mayEdit && meeting.status === "closed" },
  };
}

/** A hall's meetings, its rules of procedure (shown to everyone) and what the viewer may do there. */
export async function hallMeetingsPage(actor: Actor, hallId: number) {
  const found = await hallContext(db(), hallId, actor);
  if (!found) throw new NotFoundError("hall");
  const rows = await db().select().from(meetings).where(eq(meetings.hallId, hallId)).orderBy(desc(meetings.startsAt)).limit(100);
  return {
    hall: { id: found.hall.id, name: found.hall.name, unitName: found.unitName },
    procedure: await procedureOf(db(), hallId),
    meetings: rows.map(publicMeeting),
    can: { schedule: can(actor, "meeting:schedule", found.context), procedure: can(actor, "meeting:procedure", found.context) },
  };
}

/** The scheduling form: the hall, its rules, and the proposals that can go on an agenda. */
export async function scheduleFormPage(actor: Actor, hallId: number) {
  const found = await hallContext(db(), hallId, actor);
  if (!found) throw new NotFoundError("hall");
  if (!can(actor, "meeting:schedule", found.context)) throw new ForbiddenError("meeting:schedule");
  const candidates = await db()
    .select({ id: proposals.id, title: proposals.title, state: proposals.state })
    .from(proposals)
    .where(and(eq(proposals.hallId, hallId), inArray(proposals.state, ["open", "on_agenda", "in_debate", "voting"])))
    .orderBy(desc(proposals.id))
    .limit(50);
  return {
    hall: { id: found.hall.id, name: found.hall.name },
    procedure: await procedureOf(db(), hallId),
    candidates,
    clientKey: randomUUID(),
  };
}

/** One meeting as a calendar event. */
export async function meetingCalendar(meetingId: number) {
  const [row] = await db()
    .select({ meeting: meetings, hallName: halls.name })
    .from(meetings)
    .innerJoin(halls, eq(halls.id, meetings.hallId))
    .where(eq(meetings.id, meetingId));
  if (!row) throw new NotFoundError("meeting");
  return { ...row.meeting, hallName: row.hallName };
}

/** The hall meetings of a unit and everything under it, from 30 days back, for the unit's calendar feed. */
export async function unitMeetingsCalendar(unitId: number, now: Date) {
  const [unit] = await db().select({ path: units.path }).from(units).where(eq(units.id, unitId));
  if (!unit) return [];
  const rows = await db()
    .select({ meeting: meetings, hallName: halls.name })
    .from(meetings)
    .innerJoin(halls, eq(halls.id, meetings.hallId))
    .innerJoin(units, eq(units.id, halls.unitId))
    .where(and(sql`${units.path} like ${unit.path + "%"}`, sql`${meetings.startsAt} >= ${new Date(now.getTime() - 30 * 86_400_000).toISOString()}::timestamptz`))
    .orderBy(asc(meetings.startsAt))
    .limit(200);
  return rows.map((r) => ({ ...r.meeting, hallName: r.hallName }));
}
