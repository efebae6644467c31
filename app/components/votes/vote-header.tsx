import { useI18n } from "~/i18n/react";
import { thresholdKey } from "~/modules/votes/rules";
import type { VotePageData } from "./page-data";

/** The question, its state and countdown, and the vote's rules in plain words. */
export function VoteHeader({
  vote,
  state,
  countdown,
}: {
  vote: VotePageData["vote"];
  state: string;
  countdown: { done: boolean; text: string };
}) {
  const { t, date, punct } = useI18n();
  const live = { state };
  return (
    <header className="card">
      <span className={`pill pill--${live.state === "open" ? "accent" : live.state === "closed" ? "ok" : "info"}`} data-testid="vote-state">
        {t(`vote.state.${live.state as "open"}`)}
      </span>
      <h1>{vote.question}</h1>
      {live.state === "open" || live.state === "scheduled" ? (
        <p className="countdown" data-testid="countdown">
          <time dateTime={String(vote.closesAt)} title={date(vote.closesAt)}>
            {countdown.done ? t("vote.closing") : t("vote.timeLeft", { time: countdown.text })}
          </time>{" "}
          <span className="muted">{punct.parens(t("vote.closesAtShort", { time: date(vote.closesAt) }))}</span>
        </p>
      ) : null}
      <ul className="rules-list">
        <li>
          {t(`vote.electorate.${vote.electorate}`, { unit: vote.unitName })} · {t("vote.electorateSize", { count: vote.electorateSize })}
        </li>
        <li>{t(thresholdKey(vote.method, vote.threshold))}</li>
        <li>
          {t("vote.quorumRule", { p: vote.quorumPercent })}
          {vote.abstentionsCountForQuorum ? t("vote.abstentionsIn") : t("vote.abstentionsOut")}
        </li>
        <li>{vote.secret ? t("vote.secretRule") : t("vote.openRule")}</li>
      </ul>
    </header>
  );
}
