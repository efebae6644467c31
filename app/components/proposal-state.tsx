import type { ProposalState } from "#db/schema/halls";
import { useI18n } from "~/i18n/react";

const tone: Record<ProposalState, "ok" | "warn" | "bad" | "info" | "accent"> = {
  draft: "info",
  open: "warn",
  on_agenda: "accent",
  in_debate: "accent",
  voting: "accent",
  decided_passed: "ok",
  decided_failed: "bad",
  self_handled: "ok",
  escalated: "info",
  closed: "info",
  withdrawn: "info",
  declined: "bad",
  expired: "info",
};

/** A proposal's state as a pill: colour, and always the words too (never colour alone). */
export function StatePill({ state }: { state: ProposalState }) {
  const { t } = useI18n();
  return (
    <span className={`pill pill--${tone[state]}`} data-state={state}>
      {t(`proposal.state.${state}`)}
    </span>
  );
}
