import { ForbiddenError } from "~/lib/command.server";
import type { Actor } from "./actor";
import { can, type Action, type ResourceOf } from "./permissions";

/** Check a permission inside a command; refusal is a ForbiddenError (403). */
export function authorize<A extends Action>(actor: Actor, action: A, resource: ResourceOf<A>): void {
  if (!can(actor, action, resource)) throw new ForbiddenError(action);
}
