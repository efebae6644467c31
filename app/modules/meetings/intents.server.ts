import { redirect } from "@remix-run/node";
import { intentsFor } from "~/lib/intents.server";
import type { Actor } from "~/modules/identity/actor";
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
} from "./commands.server";
import { ballotSchema, codeSchema, countsSchema, handSchema, markSchema, minutesSchema, motionSchema, moveSchema, noFields, procedureSchema, reasonSchema, scheduleSchema } from "./schemas";

const onMeeting = intentsFor<{ actor: Actor; meetingId: number }>();

/** Every form of a meeting's page (the phone and the chair's console): its intent → its fields → its command. */
export const meetingIntents = {
  // Members
  signIn: onMeeting(codeSchema, ({ actor, meetingId }, v) => signInWithCode(actor, meetingId, v.code)),
  raise: onMeeting(handSchema, ({ actor, meetingId }, v) => raiseHand(actor, meetingId, v.stance)),
  lower: onMeeting(noFields, ({ actor, meetingId }) => lowerHand(actor, meetingId)),
  move: onMeeting(moveSchema, ({ actor, meetingId }, v) => moveMotion(actor, { meetingId, ...v })),
  second: onMeeting(motionSchema, ({ actor, meetingId }, v) => secondMotion(actor, { meetingId, ...v })),
  ballot: onMeeting(ballotSchema, ({ actor, meetingId }, v) => castBallot(actor, { meetingId, ...v })),
  // The chair
  open: onMeeting(noFields, ({ actor, meetingId }) => openMeeting(actor, meetingId)),
  callNext: onMeeting(noFields, ({ actor, meetingId }) => callNext(actor, meetingId)),
  endSpeech: onMeeting(noFields, ({ actor, meetingId }) => endSpeech(actor, meetingId)),
  warn: onMeeting(noFields, ({ actor, meetingId }) => warnSpeaker(actor, meetingId)),
  extend: onMeeting(noFields, ({ actor, meetingId }) => extendSpeech(actor, meetingId)),
  nextItem: onMeeting(noFields, ({ actor, meetingId }) => nextItem(actor, meetingId)),
  mark: onMeeting(markSchema, ({ actor, meetingId }, v) => markPresent(actor, { meetingId, ...v })),
  put: onMeeting(motionSchema, ({ actor, meetingId }, v) => putMotion(actor, { meetingId, ...v })),
  counts: onMeeting(countsSchema, ({ actor, meetingId }, v) => recordCounts(actor, { meetingId, ...v })),
  close: onMeeting(noFields, async ({ actor, meetingId }) => {
    await closeMeeting(actor, meetingId);
    throw redirect(`/meetings/${meetingId}/minutes`);
  }),
  cancel: onMeeting(reasonSchema, ({ actor, meetingId }, v) => cancelMeeting(actor, meetingId, v.reason)),
};

/** The minutes page: save a draft or publish. */
export const minutesIntents = {
  save: onMeeting(minutesSchema, ({ actor, meetingId }, v) => saveMinutes(actor, { meetingId, body: v.body, publish: false })),
  publish: onMeeting(minutesSchema, ({ actor, meetingId }, v) => saveMinutes(actor, { meetingId, body: v.body, publish: true })),
};

const onHall = intentsFor<{ actor: Actor; hallId: number }>();

/** A hall's meetings page: its rules of procedure. */
export const hallMeetingIntents = {
  procedure: onHall(procedureSchema, ({ actor, hallId }, v) => setProcedure(actor, hallId, v)),
};

const onNew = intentsFor<{ actor: Actor }>();

/** The scheduling form; it goes on to the new meeting's page. */
export const newMeetingIntents = {
  schedule: onNew(scheduleSchema, async ({ actor }, v) => {
    const meeting = await scheduleMeeting(actor, v);
    throw redirect(`/meetings/${meeting.id}`);
  }),
};
