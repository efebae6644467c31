import { useI18n } from "~/i18n/react";

/** Residents' ratings of the whistle's current round, in aggregate: how many said what, never who. */
export function RatingsSummary({
  count,
  tally,
}: {
  count: number;
  tally: { satisfied: number; basically: number; dissatisfied: number; solved: number; notSolved: number };
}) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="ratings-title" data-testid="ratings-summary">
      <h2 id="ratings-title">{t("whistle.ratingsPublic", { count })}</h2>
      {count === 0 ? (
        <p className="muted">{t("whistle.ratingsNone")}</p>
      ) : (
        <>
          <p>
            {t("whistle.ratingsSatisfaction", { satisfied: tally.satisfied, basically: tally.basically, dissatisfied: tally.dissatisfied })}
          </p>
          <p className="muted">{t("whistle.ratingsSolved", { yes: tally.solved, no: tally.notSolved })}</p>
        </>
      )}
    </section>
  );
}
