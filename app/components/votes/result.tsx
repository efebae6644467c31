import { Link } from "@remix-run/react";
import type { Electorate } from "#db/schema/votes";
import { useI18n } from "~/i18n/react";
import { explainResult, explanationText } from "~/modules/votes/explain";
import { thresholdKey, type ReadResult } from "~/modules/votes/rules";

/**
 * A closed vote's result: the outcome, the adopted option(s) named, the
 * arithmetic in plain words (ADR 0019), and the counts. Needs the vote
 * page's scoped messages (~/i18n/scoped/vote-page).
 */
export function VoteResultCard({
  result,
  vote,
  label,
}: {
  result: ReadResult;
  vote: { id: number; method: string; options: string[]; electorate: Electorate; secret: boolean };
  label: (i: number) => string;
}) {
  const { t, number, punct } = useI18n();
  const explanation = explainResult(result, vote);
  const adopted = vote.method === "yes_no" ? [] : result.adopted;
  return (
    <section className="card result" aria-labelledby="result-title" data-testid="result">
      <h2 id="result-title">{t(`vote.outcome.${result.outcome}`)}</h2>
      {adopted.length > 0 ? (
        <p className="result__adopted" data-testid="adopted">
          {t("voteResult.adoptedTitle")}
          {punct.colon}
          <strong>{adopted.map(label).join(t("voteResult.listSeparator"))}</strong>
        </p>
      ) : null}
      <p data-testid="explanation">
        <span className="muted">
          {t("voteResult.explanationTitle")}
          {punct.colon}
        </span>
        {explanationText(t, explanation)}
      </p>
      <p className="muted">
        {t("vote.resultNumbers", {
          ballots: number(result.ballots),
          size: number(result.electorateSize),
          abstentions: number(result.abstentions),
        })}
        {t("vote.ruleUsed", { rule: t(thresholdKey(result.rule.method, result.rule.threshold)), p: result.rule.quorumPercent })}
      </p>
      <Bars counts={result.counts} label={label} adopted={adopted} tied={result.tied} />
      {vote.secret ? (
        <Link to={`/votes/${vote.id}/receipts`} className="button">
          {t("vote.checkReceipt")}
        </Link>
      ) : null}
    </section>
  );
}

export function Bars({
  counts,
  label,
  adopted = [],
  tied = [],
}: {
  counts: number[];
  label: (i: number) => string;
  adopted?: number[];
  tied?: number[];
}) {
  const { t, number } = useI18n();
  const max = Math.max(1, ...counts);
  return (
    <ul className="bars" data-testid="bars">
      {counts.map((n, i) => (
        <li key={i} className={adopted.includes(i) ? "bars--adopted" : undefined}>
          <span className="bars__label">
            {label(i)}
            {adopted.includes(i) ? <span className="pill pill--ok">{t("voteResult.adoptedBadge")}</span> : null}
            {tied.includes(i) ? <span className="pill pill--info">{t("voteResult.tiedBadge")}</span> : null}
          </span>
          <span className="bars__track">
            <span className="bars__fill" style={{ width: `${(n / max) * 100}%` }} />
          </span>
          <span className="bars__value">{number(n)}</span>
        </li>
      ))}
    </ul>
  );
}
