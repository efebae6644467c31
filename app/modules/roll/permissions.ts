import { COMMUNITY_STAFF, holdsOver, type Actor } from "~/modules/identity/actor";

/**
 * Who may read and keep a community's roll of residents (居民名册): its own
 * staff and the staff of its subdistrict (COMMUNITY_STAFF over its path).
 * Nobody else, not district or platform administrators: the roll is personal
 * data (names, birth years, phone numbers, who lives with whom).
 */
export type RollRules = {
  "roll:read": { communityPath: string };
  "roll:edit": { communityPath: string };
  /** Linking an account to a roll entry: staff, never for their own account. */
  "roll:link": { communityPath: string; accountId: number };
};

export const rollRules: { [A in keyof RollRules]: (actor: Actor, resource: RollRules[A]) => boolean } = {
  "roll:read": (a, r) => holdsOver(a, COMMUNITY_STAFF, r.communityPath),
  "roll:edit": (a, r) => holdsOver(a, COMMUNITY_STAFF, r.communityPath),
  "roll:link": (a, r) => a.userId !== r.accountId && holdsOver(a, COMMUNITY_STAFF, r.communityPath),
};
