import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import type { listHallVotes } from "~/modules/votes/queries.server";

type HallVote = SerializeFrom<Awaited<ReturnType<typeof listHallVotes>>[number]>;

const statePill: Record<string, string> = { open: "pill--accent", scheduled: "pill--info", tallying: "pill--warn", closed: "" };

/** The hall's votes on its page: running ones first, then recent results, each saying what kind of vote it is. */
export function HallVotes({ votes }: { votes: HallVote[] }) {
  const { t, date } = useI18n();
  return (
    <section className="card" aria-labelledby="hall-votes-title" data-testid="hall-votes">
      <h2 id="hall-votes-title">{t("hall.votes")}</h2>
      <ul className="list">
        {votes.map((v) => (
          <li key={v.id} className="list-item">
            <Link to={`/votes/${v.id}`} className="list-item__title">
              {v.question}
            </Link>
            <div className="proposal-row__meta">
              <span className={`pill ${statePill[v.state] ?? ""}`}>{t(`vote.state.${v.state as "open"}`)}</span>
              <span className="pill pill--info">{t(v.secret ? "hall.voteKind.secret" : `hall.voteKind.${v.electorate as "members"}`)}</span>
              {v.outcome ? (
                <span className={`pill ${v.outcome === "passed" ? "pill--ok" : "pill--bad"}`}>{t(`vote.outcome.${v.outcome}`)}</span>
              ) : null}
              <span className="muted">
                {t(v.state === "closed" ? "hall.voteClosed" : "hall.voteCloses", { date: date(v.closesAt, "date") })}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
