import { hallRules, type HallContext } from "~/modules/halls/permissions";
import { COMMUNITY_STAFF, holdsKind, type Actor } from "~/modules/identity/actor";

/**
 * What the vote page offers its viewer, from the rules the commands enforce:
 * a hall's moderators run its votes (cancel); paper ballots are chosen from
 * the roll, so only moderators who are community staff keeping one record
 * them (ADR 0020).
 */
export function voteAbilities(actor: Actor, hall: HallContext) {
  const moderate = hallRules["hall:moderate"](actor, hall);
  return { moderate, recordPaper: moderate && holdsKind(actor, COMMUNITY_STAFF) };
}
