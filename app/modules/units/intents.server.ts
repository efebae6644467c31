import { intentsFor } from "~/lib/intents.server";
import type { Actor } from "~/modules/identity/actor";
import { createAlleySchema, createDepartmentSchema, createUnitSchema } from "./admin-schemas";
import { createAlley, createDepartment, createUnit } from "./commands.server";

const intent = intentsFor<{ actor: Actor }>();

/**
 * The structure page's forms. Several of each kind share the page (one per
 * parent unit, district or subdistrict), so each answer names the parent it
 * was for: from what was sent when refused, from `data` when done.
 */
export const structureIntents = {
  unit: intent(createUnitSchema, ({ actor }, v) => createUnit(actor, v), (_, v) => ({ parentId: v.parentId })),
  department: intent(createDepartmentSchema, ({ actor }, v) => createDepartment(actor, v), (_, v) => ({ districtId: v.districtId })),
  alley: intent(createAlleySchema, ({ actor }, v) => createAlley(actor, v), (_, v) => ({ subdistrictId: v.subdistrictId })),
};

