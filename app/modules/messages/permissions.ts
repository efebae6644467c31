import { holdsKind, isPlatformAdmin, type Actor } from "~/modules/identity/actor";

/**
 * Who may do what with messages that leave the site. A person's addresses
 * and choices are their own: nobody else reads or changes them, not even an
 * administrator. Administrators see the delivery queue (addresses masked) and
 * retry what failed.
 */
export type MessageRules = {
  "messages:manageOwn": { ownerId: number };
  "deliveries:view": Record<string, never>;
  "deliveries:retry": Record<string, never>;
};

const administers = (a: Actor) => isPlatformAdmin(a) || holdsKind(a, ["district_admin"]);

export const messageRules: { [A in keyof MessageRules]: (actor: Actor, resource: MessageRules[A]) => boolean } = {
  "messages:manageOwn": (a, r) => a.userId !== null && a.userId === r.ownerId,
  "deliveries:view": (a) => administers(a),
  "deliveries:retry": (a) => administers(a),
};
