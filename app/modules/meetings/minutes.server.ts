import { and, asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "#db/client.server";
import { halls, meetingAttendance, meetingHands, meetingInvites, meetingItems, meetingMotions, type meetings, proposals, users } from "#db/schema";
import { config } from "~/config.server";
import "~/i18n/catalogs.server";
import { secondsUsed } from "./rules";
import type { MeetingRecord } from "./minutes";

/** The record of a meeting as its minutes need it, read from its rows. */
export async function meetingRecord(q: Queryable, meeting: typeof meetings.$inferSelect, now: Date, timeZone = config().timeZone): Promise<MeetingRecord> {
  const holder = alias(users, "holder");
  const [[hall], [chair], invited, attendance, items, hands, motions] = await Promise.all([
    q.select({ name: halls.name }).from(halls).where(eq(halls.id, meeting.hallId)),
    q.select({ name: users.displayName }).from(users).where(eq(users.id, meeting.createdBy)),
    q.select({ userId: meetingInvites.userId }).from(meetingInvites).where(eq(meetingInvites.meetingId, meeting.id)),
    q
      .select({ name: users.displayName, way: meetingAttendance.way, holder: holder.displayName })
      .from(meetingAttendance)
      .innerJoin(users, eq(users.id, meetingAttendance.userId))
      .leftJoin(holder, and(eq(holder.id, meetingAttendance.byUserId), eq(meetingAttendance.way, "proxy")))
      .where(eq(meetingAttendance.meetingId, meeting.id))
      .orderBy(asc(meetingAttendance.signedInAt)),
    q
      .select({ item: meetingItems, title: proposals.title })
      .from(meetingItems)
      .innerJoin(proposals, eq(proposals.id, meetingItems.proposalId))
      .where(eq(meetingItems.meetingId, meeting.id))
      .orderBy(asc(meetingItems.position)),
    q
      .select({ hand: meetingHands, name: users.displayName })
      .from(meetingHands)
      .innerJoin(users, eq(users.id, meetingHands.userId))
      .where(and(eq(meetingHands.meetingId, meeting.id), inArray(meetingHands.status, ["speaking", "spoken"])))
      .orderBy(asc(meetingHands.startedAt)),
    q.select().from(meetingMotions).where(eq(meetingMotions.meetingId, meeting.id)).orderBy(asc(meetingMotions.id)),
  ]);
  const ids = [...new Set(motions.flatMap((m) => [m.movedBy, m.secondedBy ?? m.movedBy]))];
  const names = new Map((ids.length ? await q.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)) : []).map((u) => [u.id, u.name]));
  const when = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(meeting.startsAt);
  return {
    title: meeting.title,
    hallName: hall?.name ?? "",
    when,
    place: meeting.place,
    chair: chair?.name ?? "",
    invited: invited.length,
    quorum: meeting.quorum,
    attendance: attendance.map((a) => ({ name: a.name, way: a.way, holder: a.holder ?? null })),
    items: items.map(({ item, title }) => ({
      position: item.position,
      proposalId: item.proposalId,
      title,
      minutes: item.minutes,
      usedSeconds: secondsUsed({ startedAt: item.startedAt, endedAt: item.endedAt }, now),
      speakers: hands
        .filter((h) => h.hand.itemId === item.id)
        .map((h) => ({ name: h.name, stance: h.hand.stance, seconds: secondsUsed(h.hand, now), warned: h.hand.warnedAt !== null })),
      motions: motions
        .filter((m) => m.itemId === item.id)
        .map((m) => ({
          kind: m.kind,
          text: m.text,
          status: m.status,
          movedBy: names.get(m.movedBy) ?? "",
          secondedBy: m.secondedBy ? (names.get(m.secondedBy) ?? "") : null,
          votesFor: m.votesFor,
          votesAgainst: m.votesAgainst,
          abstentions: m.abstentions,
          channels: m.channels ?? null,
        })),
    })),
  };
}
