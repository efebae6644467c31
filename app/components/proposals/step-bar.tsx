import type { ProposalState } from "#db/schema/halls";
import type { WhistleState } from "#db/schema/whistles";
import { useI18n } from "~/i18n/react";
import { stepBar } from "~/modules/proposals/rules";

/**
 * Where the proposal is in its lifecycle, the next step and who owns it; once
 * escalated, how far the whistle it became has got (rules.ts, stepBar).
 */
export function StepBar({ state, whistle }: { state: ProposalState; whistle: WhistleState | null }) {
  const { t } = useI18n();
  const { steps, owner } = stepBar(state, whistle);
  return (
    <div className="stepbar-wrap">
      <ol className="stepbar" aria-label={t("proposal.progress")}>
        {steps.map(({ step, status }, i) => (
          <li key={step} className={status === "todo" ? "" : status} aria-current={status === "current" ? "step" : undefined}>
            <span className="stepbar__dot" aria-hidden="true">
              {status === "done" ? "✓" : i + 1}
            </span>
            <span className="stepbar__label">{t(`proposal.step.${step}`)}</span>
          </li>
        ))}
      </ol>
      {owner ? <p className="muted">{t(`proposal.next.${owner}`)}</p> : null}
    </div>
  );
}
