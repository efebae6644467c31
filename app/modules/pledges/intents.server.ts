import type { Actor } from "~/modules/identity/actor";
import { cancelSignup, checkInWithCode, recordAttendance, requestCorrection, signUp, verifyHours } from "./commands.server";
import type { ActivityIntent } from "./schemas";

/** Every intent of the activity page → its command (the route parses, this dispatches). */
export function performActivityIntent(actor: Actor, activityId: number, intent: ActivityIntent): Promise<unknown> {
  switch (intent.intent) {
    case "signUp":
      return signUp(actor, { activityId, roleId: intent.roleId });
    case "cancel":
      return cancelSignup(actor, { activityId });
    case "code":
      return checkInWithCode(actor, { activityId, code: intent.code });
    case "checkIn":
    case "checkOut":
    case "noShow":
      return recordAttendance(actor, { signupId: intent.signupId, intent: intent.intent });
    case "verify":
      return verifyHours(actor, { signupId: intent.signupId, hours: intent.hours, reason: intent.reason });
    case "askCorrection":
      return requestCorrection(actor, { activityId, text: intent.text });
  }
}
