import type { ProposalEventKind, ProposalState } from "#db/schema/halls";
import { systemReasons, type SystemReason } from "#db/schema/values";
import type { Punctuation, Translate } from "~/i18n/i18n";

/** One line of a proposal's history, as the page receives it. */
export interface HistoryEvent {
  kind: ProposalEventKind;
  toState: ProposalState | null;
  reason: string | null;
  actorName: string | null;
}

/** Reasons stored in words before they were codes (issue 14 §7): read as their code. */
const olderReasons: Record<string, SystemReason> = { "seconding window passed": "expired" };

/** The code of a reason the system gave, or null when a person wrote it (shown as written). */
export function systemReason(reason: string | null): SystemReason | null {
  if (reason === null) return null;
  if ((systemReasons as readonly string[]).includes(reason)) return reason as SystemReason;
  return olderReasons[reason] ?? null;
}

/**
 * The history line in the reader's language: what happened, who did it, and
 * why. The system's reasons are codes and read as words (`event.reason.*`);
 * never a raw code such as "passed" (issue 14 §7).
 */
export function historyLine(t: Translate, punct: Punctuation, e: HistoryEvent): string {
  const what = e.kind === "state" && e.toState ? t("event.state", { state: t(`proposal.state.${e.toState}`) }) : t(`event.${e.kind}`);
  const who = e.actorName ?? t("event.system");
  const code = systemReason(e.reason);
  const why = code ? t(`event.reason.${code}`) : e.reason?.trim() || null;
  return `${what} · ${who}${why ? `${punct.colon}${why}` : ""}`;
}
