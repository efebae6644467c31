import { useI18n } from "~/i18n/react";
import { rankBand, rankBandSize } from "~/modules/whistles/rules";

/**
 * The composite-score ranking as bars, best first. All rows share one grid
 * (styles: .ranked), so every bar starts at the same place whatever the
 * department's name. The top and the bottom of the list (rankBand) differ by
 * colour, by a pattern and by a word beside the name; the rest are neutral.
 */
export function Ranking({ ranked }: { ranked: { departmentId: number; name: string; score: number | null }[] }) {
  const { t, percent, number } = useI18n();
  const size = rankBandSize(ranked.length);
  const word = { top: `✓ ${t("dashboard.top", { n: size })}`, bottom: `! ${t("dashboard.bottom", { n: size })}` };
  return (
    <>
      {size > 0 ? (
        <p className="legend" data-testid="ranking-legend">
          <span className="legend__item legend__item--top">{word.top}</span>
          <span className="legend__item legend__item--bottom">{word.bottom}</span>
        </p>
      ) : null}
      <ol className="bars ranked" data-testid="ranking">
        {ranked.map((r, i) => {
          const where = rankBand(i, ranked.length);
          return (
            <li key={r.departmentId} className={where} data-band={where}>
              <span className="bars__rank">{number(i + 1)}</span>
              <span className="bars__label">
                {r.name}
                {where === "middle" ? null : <span className={`pill ${where === "top" ? "pill--ok" : "pill--bad"}`}>{word[where]}</span>}
              </span>
              <span className="bars__track">
                <span className="bars__fill" style={{ width: `${(r.score ?? 0) * 100}%` }} />
              </span>
              <span className="bars__value">{r.score === null ? "—" : percent(r.score)}</span>
            </li>
          );
        })}
      </ol>
    </>
  );
}
