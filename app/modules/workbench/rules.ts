import type { PositionKind } from "#db/schema/people";
import type { Actor } from "~/modules/identity/actor";

/**
 * The staff workbench (工作台, issue 14 §3, ADR 0023): what waits for each
 * staff role, as plain data. A person holding several positions gets every
 * section any of them has, in this order.
 */
export const SECTIONS = ["dispatches", "verifications", "assignments", "overdue", "extensions", "closures"] as const;
export type SectionKey = (typeof SECTIONS)[number];

const BY_ROLE: Partial<Record<PositionKind, readonly SectionKey[]>> = {
  community_worker: ["dispatches", "verifications"],
  community_secretary: ["dispatches", "verifications"],
  subdistrict_officer: ["dispatches", "verifications", "overdue", "extensions"],
  subdistrict_leader: ["dispatches", "verifications", "overdue", "extensions", "closures"],
  department_officer: ["assignments", "overdue"],
  department_head: ["assignments", "overdue"],
  station_officer: ["assignments", "overdue"],
  district_admin: ["dispatches", "overdue", "extensions"],
};

export function sectionsFor(actor: Actor): SectionKey[] {
  const mine = new Set(actor.positions.flatMap((p) => BY_ROLE[p.kind] ?? []));
  return SECTIONS.filter((s) => mine.has(s));
}

/** Staff whose home is the workbench rather than the visitors' page. */
export function hasWorkbench(actor: Actor): boolean {
  return sectionsFor(actor).length > 0;
}

