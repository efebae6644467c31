import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { meetingBallots, meetingMinutes, meetingMotions, minutes, proposalEvents, proposals } from "#db/schema";
import { CommandError, ForbiddenError } from "~/lib/command.server";
import {
  callNext,
  castBallot,
  closeMeeting,
  endSpeech,
  extendSpeech,
  markPresent,
  moveMotion,
  nextItem,
  openMeeting,
  putMotion,
  raiseHand,
  recordCounts,
  saveMinutes,
  scheduleMeeting,
  secondMotion,
  setProcedure,
  signInWithCode,
} from "~/modules/meetings/commands.server";
import { meetingLive } from "~/modules/meetings/queries.server";
import { remainingSeconds, SIGN_IN_CODE_STEP_MS } from "~/modules/meetings/rules";
import { venueCode } from "~/modules/pledges/rules";
import { actorOf, buildMeetingWorld, inSession, NOW, scheduled, scheduleInput, withMotion, ZONE } from "../support/meeting-world";

const later = (s: number) => new Date(NOW.getTime() + s * 1000);

/** The refusal's message key and field, or the value when there was none. */
async function refusal(p: Promise<unknown>) {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof CommandError) return { message: e.messageKey, field: e.field };
    throw e;
  }
}

describe("hall meetings", () => {
  it("refuses a bad schedule beside the field: quorum over the invited, a proposal of another hall, an unknown name", async () => {
    const w = await buildMeetingWorld();
    const chair = await actorOf(w.convener.id);
    expect(await refusal(scheduleMeeting(chair, scheduleInput(w, { quorum: 7 }), NOW, ZONE))).toEqual({ message: "meeting.error.quorumTooHigh", field: "quorum" });
    expect(await refusal(scheduleMeeting(chair, scheduleInput(w, { agenda: [{ proposalId: 999_999, minutes: 10 }] }), NOW, ZONE))).toEqual({ message: "meeting.error.agendaProposal", field: "agenda" });
    expect(await refusal(scheduleMeeting(chair, scheduleInput(w, { invitees: "named", named: ["m1", "nobody_here"] }), NOW, ZONE))).toEqual({ message: "meeting.error.unknownName", field: "named" });
    expect(await refusal(scheduleMeeting(chair, scheduleInput(w, { startsAt: "2030-05-01T08:00" }), NOW, ZONE))).toEqual({ message: "meeting.error.past", field: "startsAt" });
    // Named representatives: exactly those invited.
    const m = await scheduleMeeting(chair, scheduleInput(w, { invitees: "named", named: ["m1", "m2"], quorum: 2 }), NOW, ZONE);
    const code = venueCode(m.codeSecret, NOW, SIGN_IN_CODE_STEP_MS);
    await expect(signInWithCode(await actorOf(w.members[2]!.id), m.id, code, NOW)).rejects.toBeInstanceOf(ForbiddenError);
    await signInWithCode(await actorOf(w.members[1]!.id), m.id, code, NOW);
  });

  it("freezes the hall's rules when scheduling, and signs in by the code of this window or the one before", async () => {
    const w = await buildMeetingWorld();
    await setProcedure(await actorOf(w.convener.id), w.hall.id, { speakingSeconds: 90, timesPerItem: 1, alternate: true, proxies: false, neutralChair: true }, NOW);
    const m = await scheduled(w);
    expect([m.speakingSeconds, m.timesPerItem]).toEqual([90, 1]);
    const member = await actorOf(w.members[0]!.id);
    expect(await refusal(signInWithCode(member, m.id, "000000" === venueCode(m.codeSecret, NOW, SIGN_IN_CODE_STEP_MS) ? "111111" : "000000", NOW))).toEqual({ message: "meeting.error.codeWrong", field: "code" });
    const before = venueCode(m.codeSecret, NOW, SIGN_IN_CODE_STEP_MS);
    await signInWithCode(member, m.id, before, new Date(NOW.getTime() + SIGN_IN_CODE_STEP_MS));
    expect((await meetingLive(m.id, NOW)).present).toBe(1);
    expect(await refusal(signInWithCode(await actorOf(w.members[1]!.id), m.id, before, new Date(NOW.getTime() + 2 * SIGN_IN_CODE_STEP_MS)))).toEqual({ message: "meeting.error.codeWrong", field: "code" });
  });

  it("calls speakers by the rules: people who have not spoken first, for and against in turn, at most the times per item", async () => {
    const w = await buildMeetingWorld();
    const [m1, m2, m3] = w.members.map((u) => u.id);
    const m = await inSession(w, [m1!, m2!, m3!]);
    const chair = await actorOf(w.convener.id);
    await raiseHand(await actorOf(m1!), m.id, "for", later(1));
    await raiseHand(await actorOf(m2!), m.id, "for", later(2));
    await raiseHand(await actorOf(m3!), m.id, "against", later(3));
    expect((await meetingLive(m.id, later(4))).queue.map((h) => [h.userId, h.stance])).toEqual([
      [m1, "for"],
      [m3, "against"],
      [m2, "for"],
    ]);
    await callNext(chair, m.id, later(10));
    // Not while speaking; once m1 has spoken, their new hand goes behind those who have not, though raised before them.
    expect(await refusal(raiseHand(await actorOf(m1!), m.id, "against", later(11)))).toEqual({ message: "meeting.error.speakingNow", field: "stance" });
    await callNext(chair, m.id, later(20));
    await raiseHand(await actorOf(m1!), m.id, "for", later(21));
    await raiseHand(await actorOf(w.members[3]!.id), m.id, "for", later(22)).catch(() => null); // m4 is not present: refused
    expect((await meetingLive(m.id, later(22))).queue.map((h) => h.userId)).toEqual([m2, m1]);
    await callNext(chair, m.id, later(30));
    await callNext(chair, m.id, later(40));
    expect((await meetingLive(m.id, later(41))).speaker!.userId).toBe(m1);
    // Nobody waits: "next" is refused and changes nothing; the chair ends the speech.
    expect(await refusal(callNext(chair, m.id, later(50)))).toEqual({ message: "meeting.error.queueEmpty", field: undefined });
    expect((await meetingLive(m.id, later(50))).speaker!.userId).toBe(m1);
    await endSpeech(chair, m.id, later(52));
    // Twice on the item is the limit.
    expect(await refusal(raiseHand(await actorOf(m1!), m.id, "for", later(55)))).toEqual({ message: "meeting.error.spokenEnough", field: "stance" });
  });

  it("keeps the countdown in the database: a fresh read after a restart gives the same second, and one extension", async () => {
    const w = await buildMeetingWorld();
    const m = await inSession(w, [w.members[0]!.id]);
    await raiseHand(await actorOf(w.members[0]!.id), m.id, "for", NOW);
    await callNext(await actorOf(w.convener.id), m.id, later(5));
    // Nothing of the floor lives in memory: what any process reads 35 s on is 120 − 30.
    const live = await meetingLive(m.id, later(35));
    const s = live.speaker!;
    expect(remainingSeconds({ startedAt: Date.parse(s.startedAt), allottedSeconds: s.allottedSeconds }, Date.parse(live.serverNow))).toBe(90);
    await extendSpeech(await actorOf(w.convener.id), m.id, later(40));
    expect((await meetingLive(m.id, later(40))).speaker!.allottedSeconds).toBe(180);
    expect(await refusal(extendSpeech(await actorOf(w.convener.id), m.id, later(41)))).toEqual({ message: "meeting.error.extendedOnce", field: undefined });
  });

  it("puts amendments first, refuses more hands than people present, and drafts and publishes minutes onto the proposal", async () => {
    const w = await buildMeetingWorld();
    const [m1, m2] = w.members.map((u) => u.id);
    const m = await inSession(w, [m1!, m2!]);
    const chair = await actorOf(w.convener.id);
    await markPresent(chair, { meetingId: m.id, userId: w.members[2]!.id }, NOW);
    const a1 = await actorOf(m1!);
    const a2 = await actorOf(m2!);
    await raiseHand(a1, m.id, "for", later(1));
    await callNext(chair, m.id, later(2));
    await moveMotion(a1, { meetingId: m.id, text: "同意加装两个充电桩" }, later(60));
    const [main] = await db().select().from(meetingMotions).where(eq(meetingMotions.meetingId, m.id));
    await moveMotion(a2, { meetingId: m.id, text: "改为加装四个充电桩", amendsId: main!.id }, later(61));
    expect(await refusal(secondMotion(a1, { meetingId: m.id, motionId: main!.id }, later(62)))).toEqual({ message: "meeting.error.ownMotion", field: undefined });
    await secondMotion(a2, { meetingId: m.id, motionId: main!.id }, later(62));
    const amendment = (await meetingLive(m.id, later(63))).motions.find((x) => x.kind === "amendment")!;
    await secondMotion(a1, { meetingId: m.id, motionId: amendment.id }, later(63));
    expect(await refusal(putMotion(chair, { meetingId: m.id, motionId: main!.id }, later(64)))).toEqual({ message: "meeting.error.amendmentsFirst", field: undefined });
    await putMotion(chair, { meetingId: m.id, motionId: amendment.id }, later(65));
    expect(await refusal(recordCounts(chair, { meetingId: m.id, motionId: amendment.id, handsFor: 2, paperAgainst: 2 }, later(66)))).toEqual({ message: "meeting.error.countsTooMany", field: "handsFor" });
    await recordCounts(chair, { meetingId: m.id, motionId: amendment.id, handsFor: 1, handsAgainst: 1, handsAbstain: 1 }, later(66));
    await putMotion(chair, { meetingId: m.id, motionId: main!.id }, later(67));
    // Two phones vote; one changes its mind (one ballot each, never two); the chair adds hands and paper, never beyond those present.
    await castBallot(a1, { meetingId: m.id, motionId: main!.id, choice: "against" }, later(67));
    await castBallot(a1, { meetingId: m.id, motionId: main!.id, choice: "for" }, later(67));
    await castBallot(a2, { meetingId: m.id, motionId: main!.id, choice: "for" }, later(67));
    expect((await meetingLive(m.id, later(67))).motions.find((x) => x.id === main!.id)!.phones).toEqual({ for: 2, against: 0, abstain: 0 });
    expect(await refusal(recordCounts(chair, { meetingId: m.id, motionId: main!.id, handsAgainst: 1, paperFor: 1 }, later(68)))).toEqual({ message: "meeting.error.countsTooMany", field: "handsFor" });
    await recordCounts(chair, { meetingId: m.id, motionId: main!.id, paperAgainst: 1 }, later(68));
    const decided = (await meetingLive(m.id, later(68))).motions.find((x) => x.id === main!.id)!;
    expect([decided.votesFor, decided.votesAgainst, decided.abstentions]).toEqual([2, 1, 0]);
    expect(decided.channels).toEqual({ phones: { for: 2, against: 0, abstain: 0 }, hands: { for: 0, against: 0, abstain: 0 }, paper: { for: 0, against: 1, abstain: 0 } });
    expect(await refusal(castBallot(a2, { meetingId: m.id, motionId: main!.id, choice: "against" }, later(69)))).toEqual({ message: "meeting.error.notVoting", field: "choice" });
    const statuses = (await meetingLive(m.id, later(69))).motions.map((x) => [x.kind, x.status]);
    expect(statuses).toEqual([
      ["main", "passed"],
      ["amendment", "failed"],
    ]);

    await closeMeeting(chair, m.id, later(600));
    const [draft] = await db().select().from(meetingMinutes).where(eq(meetingMinutes.meetingId, m.id));
    expect(draft!.published).toBe(false);
    expect(draft!.body).toContain("应到 6 人，实到 3 人，法定人数 3 人，达到法定人数。");
    expect(draft!.body).toContain("m1（赞成）发言 63 秒");
    expect(draft!.body).toContain("修正案：改为加装四个充电桩——未通过，赞成 1、反对 1、弃权 1");
    expect(draft!.body).toContain("动议：同意加装两个充电桩——通过，赞成 2、反对 1、弃权 0；其中手机赞成 2、反对 0、弃权 0，现场举手赞成 0、反对 0、弃权 0，纸质票赞成 0、反对 1、弃权 0");
    await saveMinutes(chair, { meetingId: m.id, body: draft!.body + "\n下一步：社区联系物业。", publish: true }, later(700));
    const onProposal = await db().select().from(minutes).where(eq(minutes.proposalId, w.p1.id));
    expect(onProposal.map((x) => x.agreed)).toEqual([expect.stringContaining("同意加装两个充电桩——通过")]);
  });

  it("takes a room's phones voting at once in shared statements: one ballot each, a double tap's later choice, refusals explained", async () => {
    const w = await buildMeetingWorld();
    const [m1, m2, m3, m4] = w.members.map((u) => u.id);
    const m = await withMotion(w, m1!, [m2!, m3!]);
    const chair = await actorOf(w.convener.id);
    const [motion] = await db().select().from(meetingMotions).where(eq(meetingMotions.meetingId, m.id));
    await secondMotion(await actorOf(m2!), { meetingId: m.id, motionId: motion!.id }, later(1));
    // Not yet put to the vote: refused beside the choice, nothing stored.
    expect(await refusal(castBallot(await actorOf(m1!), { meetingId: m.id, motionId: motion!.id, choice: "for" }, later(2)))).toEqual({ message: "meeting.error.notVoting", field: "choice" });
    await putMotion(chair, { meetingId: m.id, motionId: motion!.id }, later(3));
    const [a1, a2, a3, a4] = [await actorOf(m1!), await actorOf(m2!), await actorOf(m3!), await actorOf(m4!)];
    // All at once, each tapping twice (the second changes the first), and someone invited but not present.
    const results = await Promise.allSettled([
      castBallot(a1, { meetingId: m.id, motionId: motion!.id, choice: "against" }, later(4)),
      castBallot(a1, { meetingId: m.id, motionId: motion!.id, choice: "for" }, later(4)),
      castBallot(a2, { meetingId: m.id, motionId: motion!.id, choice: "against" }, later(4)),
      castBallot(a2, { meetingId: m.id, motionId: motion!.id, choice: "against" }, later(4)),
      castBallot(a3, { meetingId: m.id, motionId: motion!.id, choice: "abstain" }, later(4)),
      castBallot(a4, { meetingId: m.id, motionId: motion!.id, choice: "for" }, later(4)),
      castBallot(a3, { meetingId: m.id, motionId: 999_999, choice: "for" }, later(4)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled", "fulfilled", "rejected", "rejected"]);
    expect((results[5] as PromiseRejectedResult).reason).toBeInstanceOf(ForbiddenError);
    const ballots = await db().select().from(meetingBallots).where(eq(meetingBallots.motionId, motion!.id));
    expect(ballots.map((b) => [b.userId, b.choice]).sort()).toEqual(
      [
        [m1, "for"],
        [m2, "against"],
        [m3, "abstain"],
      ].sort(),
    );
    expect((await meetingLive(m.id, later(5))).motions[0]!.phones).toEqual({ for: 1, against: 1, abstain: 1 });
    // Once the chair records the result, a late tap is refused and changes nothing.
    await recordCounts(chair, { meetingId: m.id, motionId: motion!.id }, later(6));
    expect(await refusal(castBallot(a1, { meetingId: m.id, motionId: motion!.id, choice: "against" }, later(7)))).toEqual({ message: "meeting.error.notVoting", field: "choice" });
    expect((await db().select().from(meetingBallots).where(eq(meetingBallots.motionId, motion!.id))).length).toBe(3);
  });

  it("takes up an item on the agenda: the proposals module moves it into debate; one already in debate or elsewhere stays", async () => {
    const w = await buildMeetingWorld();
    // Test setup: the first proposal reached its seconds (on the agenda); the second is still collecting them.
    await db().update(proposals).set({ state: "on_agenda" }).where(eq(proposals.id, w.p1.id));
    const chair = await actorOf(w.convener.id);
    const m = await scheduleMeeting(chair, scheduleInput(w, { agenda: [{ proposalId: w.p1.id, minutes: 20 }, { proposalId: w.p2.id, minutes: 10 }] }), NOW, ZONE);
    await openMeeting(chair, m.id, NOW);
    const stateOf = async (id: number) => (await db().select({ state: proposals.state }).from(proposals).where(eq(proposals.id, id)))[0]!.state;
    expect(await stateOf(w.p1.id)).toBe("in_debate");
    const events = await db().select().from(proposalEvents).where(eq(proposalEvents.proposalId, w.p1.id));
    expect(events.map((e) => [e.fromState, e.toState, e.actorId])).toContainEqual(["on_agenda", "in_debate", w.convener.id]);
    await nextItem(chair, m.id, later(60));
    expect(await stateOf(w.p2.id)).toBe("open");
  });
});
