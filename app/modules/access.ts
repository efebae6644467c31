import { ForbiddenError } from "~/lib/command.server";
import { hallRules, type HallRules } from "~/modules/halls/permissions";
import type { Actor } from "~/modules/identity/actor";
import { meetingRules, type MeetingRules } from "~/modules/meetings/permissions";
import { structureRules, type StructureRules } from "~/modules/identity/permissions";
import { messageRules, type MessageRules } from "~/modules/messages/permissions";
import { projectRules, type ProjectRules } from "~/modules/projects/permissions";
import { rollRules, type RollRules } from "~/modules/roll/permissions";
import { serviceListRules, type ServiceListRules } from "~/modules/service-lists/permissions";
import { whistleRules, type WhistleRules } from "~/modules/whistles/permissions";
import { wishRules, type WishRules } from "~/modules/wishes/permissions";

/**
 * The one `can()`: every domain's rules (each a pure function per action in
 * its own `permissions.ts`), composed here, above the domains, so that the
 * foundation (identity, units) never imports a feature. Loaders and commands
 * ask it on the server; pages use the same answers only to hide buttons.
 */
type Rules = StructureRules & HallRules & WhistleRules & RollRules & MessageRules & WishRules & ServiceListRules & ProjectRules & MeetingRules;
export type Action = keyof Rules;
export type ResourceOf<A extends Action> = Rules[A];

const rules = { ...structureRules, ...hallRules, ...whistleRules, ...rollRules, ...messageRules, ...wishRules, ...serviceListRules, ...projectRules, ...meetingRules } as { [A in Action]: (actor: Actor, resource: Rules[A]) => boolean };

export function can<A extends Action>(actor: Actor, action: A, resource: Rules[A]): boolean {
  return rules[action](actor, resource);
}

/** Check a permission inside a command; refusal is a ForbiddenError (403). */
export function authorize<A extends Action>(actor: Actor, action: A, resource: ResourceOf<A>): void {
  if (!can(actor, action, resource)) throw new ForbiddenError(action);
}
