import type { PositionKind } from "#db/schema/people";
import { COMMUNITY_STAFF, holdsOver, isPlatformAdmin, SUBDISTRICT_STAFF, type Actor } from "~/modules/identity/actor";

/** Who may act on whistles and assignments. */
export type WhistleRules = {
  /**
   * Blow, re-dispatch, decide extensions: the whistling unit's staff. That is the
   * subdistrict's; for a community's whistle to stations (社区吹哨), also the
   * community's (pass its path only for such a whistle).
   */
  "whistle:blow": { subdistrictPath: string; communityPath?: string | null };
  "whistle:supervise": { subdistrictPath: string };
  /** The whistling unit accepts a resolved part (确认办结). */
  "assignment:confirm": { subdistrictPath: string; communityPath?: string | null };
  "assignment:work": { departmentId: number; parentDepartmentId: number | null };
  "whistle:rate": { raisers: number[] };
  /** Ask to close it as an unreasonable demand (不合理诉求): the subdistrict's staff, or a department working it. */
  "whistle:requestUnreasonable": { subdistrictPath: string; departments: { departmentId: number; parentDepartmentId: number | null }[] };
  /** Set the composite-score weights of a district from a month on. */
  "scoreWeights:set": { districtPath: string };
  /** Approve or refuse that: a subdistrict leader, never on their own request. */
  "whistle:decideUnreasonable": { subdistrictPath: string; requestedBy: number };
};

/** Officers of the department itself; heads of its parent department may act for a station too. */
const worksFor = (a: Actor, departmentId: number, parentId: number | null) =>
  a.positions.some(
    (p) =>
      p.departmentId !== null &&
      ((p.departmentId === departmentId && ["department_officer", "department_head", "station_officer"].includes(p.kind)) ||
        (p.departmentId === parentId && p.kind === "department_head")),
  );

const whistlingStaff = (a: Actor, r: { subdistrictPath: string; communityPath?: string | null }) =>
  holdsOver(a, [...SUBDISTRICT_STAFF, "district_admin"], r.subdistrictPath) ||
  (!!r.communityPath && holdsOver(a, COMMUNITY_STAFF, r.communityPath));

export const whistleRules: { [A in keyof WhistleRules]: (actor: Actor, resource: WhistleRules[A]) => boolean } = {
  "whistle:blow": (a, r) => whistlingStaff(a, r),
  "whistle:supervise": (a, r) => holdsOver(a, ["subdistrict_leader", "district_admin"], r.subdistrictPath),
  "assignment:confirm": (a, r) => whistlingStaff(a, r),
  "assignment:work": (a, r) => worksFor(a, r.departmentId, r.parentDepartmentId),
  "whistle:rate": (a, r) => a.userId !== null && r.raisers.includes(a.userId),
  "whistle:requestUnreasonable": (a, r) =>
    holdsOver(a, SUBDISTRICT_STAFF, r.subdistrictPath) || r.departments.some((d) => worksFor(a, d.departmentId, d.parentDepartmentId)),
  "scoreWeights:set": (a, r) => isPlatformAdmin(a) || holdsOver(a, ["district_admin"], r.districtPath),
  "whistle:decideUnreasonable": (a, r) => a.userId !== r.requestedBy && holdsOver(a, ["subdistrict_leader"], r.subdistrictPath),
};

/** The positions whose holders watch a unit's overdue and waiting whistles on /supervision. */
export const SUPERVISION_KINDS: readonly PositionKind[] = ["subdistrict_officer", "subdistrict_leader", "district_admin", "platform_admin"];

/**
 * The units whose whistles a person sees on /supervision: those where they hold
 * a supervising position (their subdistrict; their district; the platform's
 * whole tree for its administrators), never another district's.
 */
export function supervisionScopes(actor: Actor): string[] {
  return actor.positions.filter((p) => SUPERVISION_KINDS.includes(p.kind) && p.unitPath !== null).map((p) => p.unitPath!);
}
