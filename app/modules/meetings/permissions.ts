import type { MeetingStatus } from "#db/schema/meetings";
import { moderates, type HallContext } from "~/modules/halls/permissions";
import type { Actor } from "~/modules/identity/actor";

/** A meeting as the permissions see it: its hall, and the actor's place in it. */
export interface MeetingContext {
  hall: HallContext;
  status: MeetingStatus;
  /** The actor is on the meeting's list of invitees. */
  invited: boolean;
  /** The actor has signed in (or been marked present). */
  present: boolean;
  /** Who chairs it: the convener who scheduled it (the minutes name them). */
  chairId: number;
  /** The meeting's rules make the chair neutral (frozen from the hall's when it was scheduled). */
  neutralChair: boolean;
}

/** A meeting's row, its hall as permissions see it and the actor's place in it. */
export function contextOf(
  meeting: { status: MeetingStatus; createdBy: number; neutralChair: boolean },
  hall: HallContext,
  place: { invited: boolean; present: boolean },
): MeetingContext {
  return { hall, status: meeting.status, invited: place.invited, present: place.present, chairId: meeting.createdBy, neutralChair: meeting.neutralChair };
}

/**
 * Who may do what in a hall's meetings (议事会): one pure function per
 * action, composed into `can()` by app/modules/access.ts. The hall's
 * conveners (and the staff over its unit, as for its proposals) schedule and
 * chair; the invited sign in; those present speak, move and second.
 */
export type MeetingRules = {
  /** Schedule a meeting of the hall, with its agenda and invitees. */
  "meeting:schedule": HallContext;
  /** Set the hall's rules of procedure for its meetings. */
  "meeting:procedure": HallContext;
  /** Run the meeting: open and close it, the agenda, the floor, warnings, extensions, votes, marking people present. */
  "meeting:chair": MeetingContext;
  /** Sign oneself in with the code on the wall. */
  "meeting:signIn": MeetingContext;
  /** Take part: vote from one's phone on a motion being voted. Only people present. */
  "meeting:participate": MeetingContext;
  /** Raise a hand to speak. People present; not the chair while chairing when the rules make the chair neutral. */
  "meeting:speak": MeetingContext;
  /** Move or second a motion or an amendment. People present; not a neutral chair, as for speaking. */
  "meeting:move": MeetingContext;
  /** Draft, edit and publish the minutes; read an unpublished draft. */
  "meeting:minutes": MeetingContext;
  /** Take one's own hand down. */
  "hand:own": { userId: number };
};
export type MeetingAction = keyof MeetingRules;

const signedIn = (a: Actor) => a.userId !== null;
const present = (a: Actor, m: MeetingContext) => signedIn(a) && m.invited && m.present;
/** The chair keeps out of the debate when the rules say so (议事规则: 主持人中立). */
const neutralChairs = (a: Actor, m: MeetingContext) => m.neutralChair && a.userId === m.chairId;

export const meetingRules: { [A in MeetingAction]: (actor: Actor, resource: MeetingRules[A]) => boolean } = {
  "meeting:schedule": (a, h) => moderates(a, h),
  "meeting:procedure": (a, h) => moderates(a, h),
  "meeting:chair": (a, m) => moderates(a, m.hall),
  "meeting:signIn": (a, m) => signedIn(a) && m.invited,
  "meeting:participate": (a, m) => present(a, m),
  "meeting:speak": (a, m) => present(a, m) && !neutralChairs(a, m),
  "meeting:move": (a, m) => present(a, m) && !neutralChairs(a, m),
  "meeting:minutes": (a, m) => moderates(a, m.hall),
  "hand:own": (a, r) => signedIn(a) && a.userId === r.userId,
};

/** What the viewer of a meeting's page may do there, from the rules above and the meeting's state. */
export function meetingAbilities(actor: Actor, m: MeetingContext, signInIsOpen: boolean) {
  const live = m.status === "open";
  return {
    chair: meetingRules["meeting:chair"](actor, m),
    signIn: meetingRules["meeting:signIn"](actor, m) && !m.present && signInIsOpen,
    participate: meetingRules["meeting:participate"](actor, m) && live,
    speak: meetingRules["meeting:speak"](actor, m) && live,
    move: meetingRules["meeting:move"](actor, m) && live,
    minutes: meetingRules["meeting:minutes"](actor, m),
  };
}
