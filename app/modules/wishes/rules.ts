import type { WishStatus } from "#db/schema/wishes";

/**
 * The pure rules of micro-wishes (微心愿): the states a wish goes through, and
 * what each step needs of it. Who may take a step is in permissions.ts.
 *
 *   posted ──claim──▶ claimed ──fulfil──▶ fulfilled ──confirm──▶ confirmed
 *     ▲                 │  ▲                  │
 *     └────release──────┘  └────send back─────┘
 *   posted | claimed ──withdraw (staff)──▶ withdrawn  (an active claim is cancelled)
 */

export type WishStep = "claim" | "release" | "fulfil" | "confirm" | "sendBack" | "withdraw";

/** The state each step leaves a wish in. */
const stepTo: Record<WishStep, WishStatus> = {
  claim: "claimed",
  release: "posted",
  fulfil: "fulfilled",
  confirm: "confirmed",
  sendBack: "claimed",
  withdraw: "withdrawn",
};

/** The states each step starts from. */
const stepFrom: Record<WishStep, readonly WishStatus[]> = {
  claim: ["posted"],
  release: ["claimed"],
  fulfil: ["claimed"],
  confirm: ["fulfilled"],
  sendBack: ["fulfilled"],
  withdraw: ["posted", "claimed"],
};

/** Whether a step may be taken from a state. */
export function mayStep(status: WishStatus, step: WishStep): boolean {
  return stepFrom[step].includes(status);
}

/** The state after a step, or null when the step is not open from this state. */
export function nextStatus(status: WishStatus, step: WishStep): WishStatus | null {
  return mayStep(status, step) ? stepTo[step] : null;
}

/** Whether the wish has ended (confirmed or withdrawn): nothing more happens to it. */
export function isClosed(status: WishStatus): boolean {
  return status === "confirmed" || status === "withdrawn";
}

/** The message a refused step shows, by the state it met. */
export function stepRefusal(status: WishStatus, step: WishStep): string {
  if (step === "claim" && status !== "posted") return "wish.error.taken";
  if (isClosed(status)) return "wish.error.closed";
  return "wish.error.state";
}

/** The three sections of a community's wall, and which states each shows. */
export const wallSections = {
  open: ["posted"],
  inProgress: ["claimed", "fulfilled"],
  done: ["confirmed"],
} as const satisfies Record<string, readonly WishStatus[]>;
export type WallSection = keyof typeof wallSections;

/**
 * The surname for the public name: as staff typed it, else the first
 * character of the full name. It must begin the full name and be at most two
 * characters (欧阳, 司马), so the public name can never carry the given name.
 */
export function publicSurname(fullName: string, surname: string | undefined): string | null {
  const name = fullName.trim();
  const chosen = (surname ?? "").trim() || Array.from(name)[0] || "";
  const length = Array.from(chosen).length;
  if (length < 1 || length > 2) return null;
  if (!name.startsWith(chosen) || chosen === name) return null;
  return chosen;
}

