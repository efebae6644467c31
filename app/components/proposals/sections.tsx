import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import { historyLine } from "./history-text";
import type { ProposalPageData } from "./page-data";

/** The latest minutes (议事纪要) of the proposal. */
export function MinutesCard({ minutes }: { minutes: NonNullable<ProposalPageData["minutes"]> }) {
  const { t } = useI18n();
  return (
    <section className="card minutes" aria-labelledby="minutes-title">
      <h2 id="minutes-title">
        {t("minutes.title")} <span className="muted">{t("minutes.version", { version: minutes.version })}</span>
      </h2>
      <h3>{t("minutes.agreed")}</h3>
      <p className="pre-line">{minutes.agreed}</p>
      {minutes.open ? (
        <>
          <h3>{t("minutes.open")}</h3>
          <p className="pre-line">{minutes.open}</p>
        </>
      ) : null}
      {minutes.nextStep ? (
        <>
          <h3>{t("minutes.nextStep")}</h3>
          <p className="pre-line">{minutes.nextStep}</p>
        </>
      ) : null}
    </section>
  );
}

/** Why a convener declined the proposal, and where a duplicate went. */
export function DeclineNotice({ proposal }: { proposal: ProposalPageData["proposal"] }) {
  const { t, punct } = useI18n();
  return (
    <p className="notice notice--error">
      {t(`proposal.decline.${proposal.declineReason as "duplicate"}`)}
      {punct.colon}
      {proposal.declineText}
      {proposal.mergedIntoId ? (
        <>
          {" "}
          <Link to={`/proposals/${proposal.mergedIntoId}`}>{t("proposal.mergedInto")}</Link>
        </>
      ) : null}
    </p>
  );
}

/** The way to the proposal's vote, with its outcome once decided. */
export function VoteLink({ vote }: { vote: NonNullable<ProposalPageData["vote"]> }) {
  const { t } = useI18n();
  return (
    <p className={`notice notice--${vote.outcome === "passed" ? "success" : "info"}`}>
      <Link to={`/votes/${vote.id}`} className="button button--primary">
        {vote.state === "closed" ? t("vote.seeResult") : t("vote.goVote")}
      </Link>{" "}
      {vote.outcome ? t(`vote.outcome.${vote.outcome}`) : null}
    </p>
  );
}

/** The whistle raised from the proposal, with its public timeline. */
export function WhistleSummary({ whistle }: { whistle: NonNullable<ProposalPageData["whistle"]> }) {
  const { t, date, punct } = useI18n();
  return (
    <section className="card whistle-summary" aria-labelledby="whistle-title" data-testid="whistle-timeline">
      <h2 id="whistle-title">
        {t("whistle.onProposal")} <span className="pill pill--accent">{t(`whistle.state.${whistle.state}`)}</span>
      </h2>
      <ol className="timeline">
        {whistle.events.map((e) => (
          <li key={e.id}>
            <time dateTime={String(e.at)}>{date(e.at)}</time>
            <span>
              {t(`whistle.event.${e.kind}`)}
              {e.departmentName ? ` · ${e.departmentName}` : ""}
              {e.publicText ? `${punct.colon}${e.publicText}` : ""}
            </span>
          </li>
        ))}
      </ol>
      <Link to={`/whistles/${whistle.id}`} className="button">
        {t("whistle.open")}
      </Link>
    </section>
  );
}

/** The proposal's history: every change of state, minutes and moderation, with who did it. */
export function History({ events }: { events: ProposalPageData["events"] }) {
  const { t, date, punct } = useI18n();
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t("proposal.history")}</h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={String(e.at)}>{date(e.at)}</time>
            <span>{historyLine(t, punct, e)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
