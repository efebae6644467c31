import { and, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { meetingMotions } from "#db/schema";
import {
  callNext,
  castBallot,
  cancelMeeting,
  closeMeeting,
  endSpeech,
  extendSpeech,
  lowerHand,
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
  warnSpeaker,
} from "~/modules/meetings/commands.server";
import { meetingRules } from "~/modules/meetings/permissions";
import { SIGN_IN_CODE_STEP_MS } from "~/modules/meetings/rules";
import { venueCode } from "~/modules/pledges/rules";
import { permissionMatrix, type Row } from "../support/matrix";
import { actorOf, buildMeetingWorld, closed, inSession, NOW, scheduled, scheduleInput, withHand, withMotion, ZONE, type MeetingWorld } from "../support/meeting-world";

/**
 * The permission matrix of hall meetings (议事会): every role × every action
 * through the real commands (tests/support/matrix.ts). `member` is invited
 * and, in a meeting in session, present; `invitee` is invited but never signs in.
 */
const roles = ["visitor", "outsider", "eligible", "member", "invitee", "convener", "staff", "otherStaff"] as const;
type Role = (typeof roles)[number];
const { only, everyoneSignedIn, rows } = permissionMatrix<MeetingWorld, Role>({
  roles,
  world: buildMeetingWorld,
  people: (w) => ({
    outsider: w.outsider.id,
    eligible: w.eligible.id,
    member: w.members[0]!.id,
    invitee: w.members[1]!.id,
    convener: w.convener.id,
    staff: w.staff.id,
    otherStaff: w.people.otherCommunityWorker.id,
  }),
});

/** The hall's conveners and the staff over its community. */
const chairs = only({ convener: "allow", staff: "allow" });
/** Only the member present. */
const present = only({ member: "allow" });

const cases: Row<MeetingWorld, Role>[] = [
  {
    action: "schedule a meeting of the hall",
    rule: "meeting:schedule",
    expected: chairs,
    attempt: async (w, a) => () => scheduleMeeting(a, scheduleInput(w), NOW, ZONE),
  },
  {
    action: "set the hall's rules of procedure",
    rule: "meeting:procedure",
    expected: chairs,
    attempt: async (w, a) => () => setProcedure(a, w.hall.id, { speakingSeconds: 180, timesPerItem: 2, alternate: true, proxies: false, neutralChair: true }, NOW),
  },
  {
    action: "sign in with the code on the wall",
    rule: "meeting:signIn",
    expected: only({ member: "allow", invitee: "allow", convener: "allow" }),
    attempt: async (w, a) => {
      const m = await scheduled(w);
      return () => signInWithCode(a, m.id, venueCode(m.codeSecret, NOW, SIGN_IN_CODE_STEP_MS), NOW);
    },
  },
  {
    action: "mark an invited member present",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await scheduled(w);
      return () => markPresent(a, { meetingId: m.id, userId: w.members[2]!.id }, NOW);
    },
  },
  {
    action: "open the meeting",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await scheduled(w);
      return () => openMeeting(a, m.id, NOW);
    },
  },
  {
    action: "cancel a scheduled meeting",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await scheduled(w);
      return () => cancelMeeting(a, m.id, "场地临时有事", NOW);
    },
  },
  {
    action: "raise a hand with a stance",
    rule: "meeting:speak",
    expected: present,
    attempt: async (w, a) => {
      const m = await inSession(w, [w.members[0]!.id]);
      return () => raiseHand(a, m.id, "against", NOW);
    },
  },
  {
    action: "raise a hand while chairing, present, under the default rules (a neutral chair)",
    rule: "meeting:speak",
    // The convener who chairs signed in too: the rules keep them out of the debate.
    expected: present,
    attempt: async (w, a) => {
      const m = await inSession(w, [w.members[0]!.id, w.convener.id]);
      return () => raiseHand(a, m.id, "for", NOW);
    },
  },
  {
    action: "raise a hand while chairing, present, where the hall's rules let the chair take part",
    rule: "meeting:speak",
    expected: only({ member: "allow", convener: "allow" }),
    attempt: async (w, a) => {
      await setProcedure(await actorOf(w.convener.id), w.hall.id, { speakingSeconds: 120, timesPerItem: 2, alternate: true, proxies: false, neutralChair: false }, NOW);
      const m = await inSession(w, [w.members[0]!.id, w.convener.id]);
      return () => raiseHand(a, m.id, "for", NOW);
    },
  },
  {
    action: "lower one's own hand",
    rule: "hand:own",
    // Everyone may take down their own hand; only the member has one up.
    expected: everyoneSignedIn("refuse", { member: "allow" }),
    attempt: async (w, a) => {
      const m = await withHand(w, w.members[0]!.id, []);
      return () => lowerHand(a, m.id, NOW);
    },
  },
  {
    action: "call the next speaker",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await withHand(w, w.members[0]!.id, []);
      return () => callNext(a, m.id, NOW);
    },
  },
  {
    action: "warn the speaker",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await withHand(w, w.members[0]!.id, [], true);
      return () => warnSpeaker(a, m.id, NOW);
    },
  },
  {
    action: "extend a speech once",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await withHand(w, w.members[0]!.id, [], true);
      return () => extendSpeech(a, m.id, NOW);
    },
  },
  {
    action: "end a speech",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await withHand(w, w.members[0]!.id, [], true);
      return () => endSpeech(a, m.id, NOW);
    },
  },
  {
    action: "move to the next agenda item",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await inSession(w, []);
      return () => nextItem(a, m.id, NOW);
    },
  },
  {
    action: "move a motion",
    rule: "meeting:move",
    expected: present,
    attempt: async (w, a) => {
      const m = await inSession(w, [w.members[0]!.id]);
      return () => moveMotion(a, { meetingId: m.id, text: "同意加装两个充电桩" }, NOW);
    },
  },
  {
    action: "move a motion while chairing, present, under the default rules (a neutral chair)",
    rule: "meeting:move",
    expected: present,
    attempt: async (w, a) => {
      const m = await inSession(w, [w.members[0]!.id, w.convener.id]);
      return () => moveMotion(a, { meetingId: m.id, text: "同意加装两个充电桩" }, NOW);
    },
  },
  {
    action: "second a motion while chairing, present, under the default rules (a neutral chair)",
    rule: "meeting:move",
    expected: present,
    attempt: async (w, a) => {
      const m = await withMotion(w, w.author.id, [w.members[0]!.id, w.convener.id]);
      const [motion] = await db().select().from(meetingMotions).where(eq(meetingMotions.meetingId, m.id));
      return () => secondMotion(a, { meetingId: m.id, motionId: motion!.id }, NOW);
    },
  },
  {
    action: "move a motion while chairing, present, where the hall's rules let the chair take part",
    rule: "meeting:move",
    expected: only({ member: "allow", convener: "allow" }),
    attempt: async (w, a) => {
      await setProcedure(await actorOf(w.convener.id), w.hall.id, { speakingSeconds: 120, timesPerItem: 2, alternate: true, proxies: false, neutralChair: false }, NOW);
      const m = await inSession(w, [w.members[0]!.id, w.convener.id]);
      return () => moveMotion(a, { meetingId: m.id, text: "同意加装两个充电桩" }, NOW);
    },
  },
  {
    action: "second a motion moved by someone else",
    rule: "meeting:move",
    expected: present,
    attempt: async (w, a) => {
      const m = await withMotion(w, w.author.id, [w.members[0]!.id]);
      const [motion] = await db().select().from(meetingMotions).where(eq(meetingMotions.meetingId, m.id));
      return () => secondMotion(a, { meetingId: m.id, motionId: motion!.id }, NOW);
    },
  },
  {
    action: "put a seconded motion to the vote, and enter the hands counted",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await withMotion(w, w.author.id, [w.members[0]!.id]);
      const [motion] = await db().select().from(meetingMotions).where(eq(meetingMotions.meetingId, m.id));
      await secondMotion(await actorOf(w.members[0]!.id), { meetingId: m.id, motionId: motion!.id }, NOW);
      return async () => {
        await putMotion(a, { meetingId: m.id, motionId: motion!.id }, NOW);
        await recordCounts(a, { meetingId: m.id, motionId: motion!.id, handsFor: 2 }, NOW);
        const [done] = await db()
          .select()
          .from(meetingMotions)
          .where(and(eq(meetingMotions.id, motion!.id), eq(meetingMotions.status, "passed")));
        if (!done) throw new Error("the motion did not pass");
      };
    },
  },
  {
    action: "vote from the phone on a motion being voted",
    rule: "meeting:participate",
    expected: present,
    attempt: async (w, a) => {
      const m = await withMotion(w, w.author.id, [w.members[0]!.id]);
      const [motion] = await db().select().from(meetingMotions).where(eq(meetingMotions.meetingId, m.id));
      await secondMotion(await actorOf(w.members[0]!.id), { meetingId: m.id, motionId: motion!.id }, NOW);
      await putMotion(await actorOf(w.convener.id), { meetingId: m.id, motionId: motion!.id }, NOW);
      return () => castBallot(a, { meetingId: m.id, motionId: motion!.id, choice: "for" }, NOW);
    },
  },
  {
    action: "close the meeting",
    rule: "meeting:chair",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await inSession(w, []);
      return () => closeMeeting(a, m.id, NOW);
    },
  },
  {
    action: "edit and publish the minutes",
    rule: "meeting:minutes",
    expected: chairs,
    attempt: async (w, a) => {
      const m = await closed(w);
      return () => saveMinutes(a, { meetingId: m.id, body: "会议纪要：同意加装两个充电桩。", publish: true }, NOW);
    },
  },
];

rows("permission matrix: hall meetings", cases, { actions: Object.keys(meetingRules) });
