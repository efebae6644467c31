import { z } from "zod";
import type { DepartmentLevel, RosterPerson } from "#db/schema/units";
import type { PositionKind } from "#db/schema/people";
import { messageWithParams } from "~/i18n/i18n";
import { accountField } from "~/modules/identity/schemas";
import type { Actor } from "~/modules/identity/actor";

/**
 * The district administration's forms, shared by the browser (Conform) and the
 * server. Error messages are translation keys. This module must stay free of
 * server code: the pages import it.
 */

/**
 * The unit paths an actor administers: "/" (everything) for a platform
 * administrator, the paths of their districts for a district administrator,
 * null for anybody else. Loaders and actions use it to scope every query.
 */
export function adminScopes(actor: Actor): string[] | null {
  if (actor.positions.some((p) => p.kind === "platform_admin")) return ["/"];
  const paths = actor.positions.filter((p) => p.kind === "district_admin" && p.unitPath).map((p) => p.unitPath!);
  return paths.length ? paths : null;
}

/** The administration pages' guard: the actor's scopes, or a 403. */
export function requireAdminScopes(actor: Actor): string[] {
  const scopes = adminScopes(actor);
  if (!scopes) throw new Response("Forbidden", { status: 403 });
  return scopes;
}

// Every kind, in the order forms list them; a Record so the compiler notices a kind added to the schema.
const positionKindOrder: Record<PositionKind, number> = {
  community_worker: 1,
  community_secretary: 2,
  subdistrict_officer: 3,
  subdistrict_leader: 4,
  alley_chief: 5,
  department_officer: 6,
  department_head: 7,
  station_officer: 8,
  district_admin: 9,
  platform_admin: 10,
};
export const positionKindList = (Object.keys(positionKindOrder) as PositionKind[]).sort(
  (a, b) => positionKindOrder[a] - positionKindOrder[b],
);

const levelOrder: Record<DepartmentLevel, number> = { district: 1, subdistrict: 2, station: 3 };
export const departmentLevelList = (Object.keys(levelOrder) as DepartmentLevel[]).sort((a, b) => levelOrder[a] - levelOrder[b]);

export const rosterRoles = ["lead", "stationed", "on_call"] as const;
export type RosterRole = (typeof rosterRoles)[number];

const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const id = z.number(required).int().positive().max(2_147_483_647);
const text = (max: number) =>
  z.string(required).trim().min(1, "validation.required").max(max, messageWithParams("validation.tooLong", { max }));
const optionalText = (max: number) => z.string().trim().max(max, messageWithParams("validation.tooLong", { max })).optional();
/** A duty-list or department code such as `enforcement`. */
const code = z.string(required).regex(/^[a-z][a-z0-9_]{0,39}$/, "admin.validation.code");
const phone = z
  .string()
  .trim()
  .regex(/^[\d\s()+-]{3,24}$/, "admin.validation.phone");

export const createUnitSchema = z.object({
  parentId: id,
  name: text(60),
  address: optionalText(120),
});

export const createDepartmentSchema = z
  .object({
    districtId: id,
    name: text(60),
    kind: code,
    level: z.enum(departmentLevelList as [DepartmentLevel, ...DepartmentLevel[]], required),
    servesUnitId: id.optional(),
    phone: phone.optional(),
  })
  .refine((v) => v.level === "district" || v.servesUnitId !== undefined, {
    path: ["servesUnitId"],
    message: "admin.departments.servesRequired",
  });

export const createAlleySchema = z.object({
  subdistrictId: id,
  name: text(60),
  chiefContact: optionalText(40),
  description: optionalText(200),
});

/** A scope as the position form sends it: `unit:12`, `department:5` or `alley:3`. */
export const SCOPE_PATTERN = /^(unit|department|alley):([1-9]\d{0,9})$/;

export const assignPositionSchema = z.object({
  account: accountField,
  kind: z.enum(positionKindList as [PositionKind, ...PositionKind[]], required),
  scope: z.string(required).regex(SCOPE_PATTERN, "admin.positions.scopeInvalid"),
});

/** The ids `assignPosition` takes, from the form's scope value. */
export function parseScope(scope: string): { unitId?: number; departmentId?: number; alleyId?: number } {
  const match = SCOPE_PATTERN.exec(scope);
  if (!match) return {};
  const value = Number(match[2]);
  if (match[1] === "unit") return { unitId: value };
  if (match[1] === "department") return { departmentId: value };
  return { alleyId: value };
}

export const revokePositionSchema = z.object({ positionId: id });

export const dutyListSchema = z.object({
  districtId: id,
  categoryCode: code,
  lead: z.array(code).max(40).default([]),
  cooperate: z.array(code).max(40).default([]),
});

const MAX_ROSTER_PEOPLE = 20;

/**
 * People on a roster entry, one a line: "姓名 电话" (the phone may be left
 * out). Blank lines are skipped.
 */
export function parseRosterPeople(value: string | undefined, ctx: z.RefinementCtx): RosterPerson[] {
  const people: RosterPerson[] = [];
  const lines = (value ?? "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const match = /^(\S{1,20})(?:\s+(.+))?$/.exec(line);
    const phoneValue = match?.[2]?.trim();
    if (!match || (phoneValue !== undefined && !/^[\d\s()+-]{3,24}$/.test(phoneValue))) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: messageWithParams("admin.roster.peopleLine", { line: index + 1 }) });
      return;
    }
    people.push(phoneValue ? { name: match[1]!, phone: phoneValue } : { name: match[1]! });
  });
  if (people.length > MAX_ROSTER_PEOPLE) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: messageWithParams("admin.roster.peopleTooMany", { max: MAX_ROSTER_PEOPLE }) });
  }
  return people;
}

export const rosterEntrySchema = z.object({
  departmentId: id,
  role: z.enum(rosterRoles, required),
  people: z
    .string()
    .max(2000, messageWithParams("validation.tooLong", { max: 2000 }))
    .optional()
    .transform(parseRosterPeople),
});

/** How the roster form shows an entry's people: one "姓名 电话" a line. */
export function formatRosterPeople(people: RosterPerson[]): string {
  return people.map((p) => (p.phone ? `${p.name} ${p.phone}` : p.name)).join("\n");
}
