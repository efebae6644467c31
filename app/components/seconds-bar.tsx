import { useI18n } from "~/i18n/react";

/** Seconds toward the hall's rule, as a bar with the numbers in words too. */
export function SecondsBar({ seconds, required }: { seconds: number; required: number }) {
  const { t } = useI18n();
  const share = Math.min(1, seconds / Math.max(1, required));
  return (
    <div className="seconds" data-testid="seconds">
      <div className="meter" role="meter" aria-valuemin={0} aria-valuemax={required} aria-valuenow={seconds} aria-label={t("proposal.secondsLabel")}>
        <span className="meter__fill" style={{ width: `${share * 100}%` }} />
      </div>
      <span className="seconds__text">{t("proposal.secondsProgress", { seconds, required })}</span>
    </div>
  );
}
