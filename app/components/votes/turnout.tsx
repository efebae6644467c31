import { useI18n } from "~/i18n/react";
import type { LiveVote, VotePageData } from "./page-data";
import { Bars } from "./result";

/**
 * Turnout against the quorum mark, online and on paper. The bar counts what
 * the quorum counts: without abstentions when the rule leaves them out (ADR
 * 0019); while the tally is hidden, abstentions are too, and it says so.
 */
export function Turnout({ vote, live, label }: { vote: VotePageData["vote"]; live: LiveVote; label: (i: number) => string }) {
  const { t, percent, number, punct } = useI18n();
  const quorumShare = vote.quorumPercent / 100;
  const closedResult = live.state === "closed" ? vote.result : null;
  const excluded = vote.abstentionsCountForQuorum ? 0 : closedResult ? closedResult.abstentions : (live.abstentions ?? 0);
  const counted = closedResult ? closedResult.turnout : live.turnout - excluded;
  const abstentionsHidden = !vote.abstentionsCountForQuorum && !closedResult && live.abstentions === null;
  const turnoutShare = vote.electorateSize ? Math.min(1, counted / vote.electorateSize) : 0;
  const turnoutText =
    excluded > 0
      ? t("voteStanding.turnoutCountedText", { n: counted, size: vote.electorateSize })
      : t("vote.turnoutText", { n: counted, size: vote.electorateSize });
  return (
    <section className="card" aria-labelledby="turnout-title">
      <h2 id="turnout-title">{t("vote.turnout")}</h2>
      <div className="turnout" role="img" aria-label={turnoutText}>
        <span className="turnout__fill" style={{ width: `${turnoutShare * 100}%` }} />
        <span className="turnout__quorum" style={{ left: `${quorumShare * 100}%` }} title={t("vote.quorumMark")} />
      </div>
      <p data-testid="turnout">
        <strong>{turnoutText}</strong>{" "}
        <span className="muted">
          {punct.parens(`${percent(turnoutShare)}${punct.comma}${t("vote.quorumMarkText", { p: vote.quorumPercent })}`)}
        </span>
      </p>
      <p className="muted" data-testid="turnout-channels">
        {t("vote.turnoutChannels", {
          online: number(live.turnout - live.paper),
          paper: number(live.paper),
          size: number(vote.electorateSize),
        })}
      </p>
      {excluded > 0 ? (
        <p className="muted">{t("voteStanding.turnoutCounts", { ballots: counted + excluded, abstentions: excluded })}</p>
      ) : null}
      {abstentionsHidden ? <p className="muted">{t("voteStanding.abstentionsLater")}</p> : null}
      {live.counts && live.state === "open" ? <Bars counts={live.counts} label={label} /> : null}
    </section>
  );
}
