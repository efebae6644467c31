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
  /** Take part: raise a hand, move or second a motion. Only people present. */
  "meeting:participate": MeetingContext;
  /** Draft, edit and publish the minutes; read an unpublished draft. */
  "meeting:minutes": MeetingContext;
  /** Take one's own hand down. */
  "hand:own": { userId: number };
};
export type MeetingAction = keyof MeetingRules;

const signedIn = (a: Actor) => a.userId !== null;

export const meetingRules: { [A in MeetingAction]: (actor: Actor, resource: MeetingRules[A]) => boolean } = {
  "meeting:schedule": (a, h) => moderates(a, h),
  "meeting:procedure": (a, h) => moderates(a, h),
  "meeting:chair": (a, m) => moderates(a, m.hall),
  "meeting:signIn": (a, m) => signedIn(a) && m.invited,
  "meeting:participate": (a, m) => signedIn(a) && m.invited && m.present,
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
    minutes: meetingRules["meeting:minutes"](actor, m),
  };
}
