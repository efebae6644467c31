import type { ProposalState } from "#db/schema/halls";
import { useI18n } from "~/i18n/react";
import { NEXT_OWNER, STEP_BAR } from "~/modules/proposals/rules";

/** Where the proposal is in its lifecycle, the next step and who owns it. */
export function StepBar({ state }: { state: ProposalState }) {
  const { t } = useI18n();
  const index = STEP_BAR.indexOf(
    state === "decided_failed" || state === "self_handled" || state === "escalated" ? "decided_passed" : state,
  );
  const owner = NEXT_OWNER[state];
  return (
    <div className="stepbar-wrap">
      <ol className="stepbar" aria-label={t("proposal.progress")}>
        {STEP_BAR.map((s, i) => (
          <li key={s} className={i < index ? "done" : i === index ? "current" : ""} aria-current={i === index ? "step" : undefined}>
            <span className="stepbar__dot" aria-hidden="true">
              {i < index ? "✓" : i + 1}
            </span>
            <span className="stepbar__label">{t(`proposal.step.${s}`)}</span>
          </li>
        ))}
      </ol>
      {owner ? <p className="muted">{t(`proposal.next.${owner}`)}</p> : null}
    </div>
  );
}
