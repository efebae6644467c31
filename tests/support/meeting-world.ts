import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { meetings, proposals } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { closeMeeting, markPresent, moveMotion, openMeeting, raiseHand, scheduleMeeting, callNext } from "~/modules/meetings/commands.server";
import type { ScheduleInput } from "~/modules/meetings/schemas";
import { buildHallWorld } from "./hall-world";

/** The clock of meeting tests, and the zone their local times are read in. */
export const NOW = new Date("2030-05-01T10:00:00Z");
export const ZONE = "UTC";

export const actorOf = (id: number) => loadActor(db(), id);

/**
 * The hall world (tests/support/hall-world.ts) with two proposals of the
 * hall to put on agendas. The convener, the author and m1–m4 are members.
 */
export async function buildMeetingWorld() {
  const w = await buildHallWorld();
  const proposal = async (title: string) => {
    const [p] = await db()
      .insert(proposals)
      .values({ hallId: w.hall.id, authorId: w.author.id, title, body: "议事会测试用的议题内容。", categoryCode: "parking", state: "open", secondsRequired: 3, clientKey: randomUUID() })
      .returning();
    return p!;
  };
  return { ...w, p1: await proposal("3号楼前加装充电桩"), p2: await proposal("楼道堆物清理") };
}
export type MeetingWorld = Awaited<ReturnType<typeof buildMeetingWorld>>;

export const scheduleInput = (w: MeetingWorld, extra: Partial<ScheduleInput> = {}): ScheduleInput => ({
  clientKey: randomUUID(),
  hallId: w.hall.id,
  title: "五月居民议事会",
  startsAt: "2030-05-01T10:30",
  minutes: 90,
  place: "社区活动室",
  remote: "",
  invitees: "members",
  named: [],
  quorum: 3,
  agenda: [
    { proposalId: w.p1.id, minutes: 30 },
    { proposalId: w.p2.id, minutes: 20 },
  ],
  ...extra,
});

/** A meeting scheduled by the convener for half an hour from NOW (sign-in is open). */
export async function scheduled(w: MeetingWorld) {
  return scheduleMeeting(await actorOf(w.convener.id), scheduleInput(w), NOW, ZONE);
}

/** A meeting in session on its first item, with these people marked present by the convener. */
export async function inSession(w: MeetingWorld, present: number[]) {
  const m = await scheduled(w);
  const chair = await actorOf(w.convener.id);
  for (const userId of present) await markPresent(chair, { meetingId: m.id, userId }, NOW);
  await openMeeting(chair, m.id, NOW);
  return m;
}

/** A meeting in session with a hand up (by `speaker`) and, if asked, on the floor. */
export async function withHand(w: MeetingWorld, speaker: number, present: number[], floor = false) {
  const m = await inSession(w, [...new Set([speaker, ...present])]);
  await raiseHand(await actorOf(speaker), m.id, "for", NOW);
  if (floor) await callNext(await actorOf(w.convener.id), m.id, NOW);
  return m;
}

/** A meeting in session with a motion moved by `mover` (present). */
export async function withMotion(w: MeetingWorld, mover: number, present: number[]) {
  const m = await inSession(w, [...new Set([mover, ...present])]);
  await moveMotion(await actorOf(mover), { meetingId: m.id, text: "同意加装两个充电桩" }, NOW);
  return m;
}

/** A closed meeting. */
export async function closed(w: MeetingWorld) {
  const m = await inSession(w, [w.members[0]!.id]);
  await closeMeeting(await actorOf(w.convener.id), m.id, NOW);
  return m;
}

export async function meetingRow(id: number) {
  const [m] = await db().select().from(meetings).where(eq(meetings.id, id));
  return m!;
}
