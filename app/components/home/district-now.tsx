import { Link } from "@remix-run/react";
import { StatePill } from "~/components/proposal-state";
import { useI18n } from "~/i18n/react";
import type { MessageKey } from "~/i18n/i18n";
import { resultTone, type HomeResult } from "~/modules/home/rules";
import type { DistrictNow as Now } from "./page-data";

/** What is happening in the district now: counts, then open votes, proposals in the halls, whistles being handled and recent results. */
export function DistrictNow({ now }: { now: Now }) {
  const { t, number } = useI18n();
  const tiles: { key: MessageKey; n: number }[] = [
    { key: "home.now.collecting", n: now.counts.collecting },
    { key: "home.now.deliberating", n: now.counts.deliberating },
    { key: "home.now.whistles", n: now.counts.whistles },
    { key: "home.now.resolvedThisMonth", n: now.counts.resolvedThisMonth },
  ];
  return (
    <section aria-labelledby="now-title" className="home-now" data-testid="district-now">
      <div className="home-now__head">
        <h2 id="now-title">{t("home.now.title")}</h2>
        <span className="muted home-now__live">{t("home.now.live")}</span>
      </div>
      <ul className="home-now__tiles">
        {tiles.map((tile) => (
          <li key={tile.key} className="home-now__tile">
            <strong>{number(tile.n)}</strong>
            <span>{t(tile.key)}</span>
          </li>
        ))}
      </ul>
      <div className="home-grid">
        <OpenVotes votes={now.openVotes} />
        <ActiveProposals proposals={now.active} />
        <WorkingWhistles whistles={now.working} />
        <RecentResults results={now.results} />
      </div>
    </section>
  );
}

function HomeCard({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="card home-card" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

function OpenVotes({ votes }: { votes: Now["openVotes"] }) {
  const { t, date } = useI18n();
  return (
    <HomeCard id="home-votes" title={t("home.votes.title")}>
      {votes.length === 0 ? (
        <p className="muted">{t("home.votes.none")}</p>
      ) : (
        <ul className="list" data-testid="home-votes">
          {votes.map((v) => (
            <li key={v.id} className="list-item">
              <Link to={`/votes/${v.id}`} className="list-item__title">
                {v.question}
              </Link>{" "}
              {v.secret ? <span className="pill pill--info">{t("home.votes.secret")}</span> : null}
              <p className="muted">
                {v.hallName}
                {" · "}
                {t("home.votes.closes", { date: date(v.closesAt) })}
                {" · "}
                {v.electorateSize
                  ? t(v.electorate === "households" ? "home.votes.turnoutOfHouseholds" : "home.votes.turnoutOf", { count: v.turnout, size: v.electorateSize })
                  : t("home.votes.turnout", { count: v.turnout })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}

function ActiveProposals({ proposals }: { proposals: Now["active"] }) {
  const { t } = useI18n();
  return (
    <HomeCard id="home-active" title={t("home.active.title")}>
      {proposals.length === 0 ? (
        <p className="muted">{t("home.active.none")}</p>
      ) : (
        <ul className="list" data-testid="home-active">
          {proposals.map((p) => (
            <li key={p.id} className="list-item">
              <Link to={`/proposals/${p.id}`} className="list-item__title">
                {p.title}
              </Link>{" "}
              <StatePill state={p.state} />
              <p className="muted">
                {p.hallName}
                {" · "}
                {p.state === "open" ? t("home.active.seconds", { n: p.seconds, required: p.secondsRequired }) : t("home.active.comments", { count: p.comments })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}

function WorkingWhistles({ whistles }: { whistles: Now["working"] }) {
  const { t, date, locale } = useI18n();
  return (
    <HomeCard id="home-working" title={t("home.working.title")}>
      {whistles.length === 0 ? (
        <p className="muted">{t("home.working.none")}</p>
      ) : (
        <ul className="list" data-testid="home-working">
          {whistles.map((w) => (
            <li key={w.id} className="list-item">
              <Link to={`/whistles/${w.id}`} className="list-item__title">
                {w.title}
              </Link>{" "}
              <span className={`pill ${w.kind === "emergency" ? "pill--bad" : "pill--accent"}`}>{t(`whistle.state.${w.state}`)}</span>
              <p className="muted">
                {w.subdistrict}
                {" · "}
                {locale === "en" ? w.categoryEn : w.categoryZh}
                {" · "}
                {t("home.working.since", { date: date(w.since, "date") })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}

const WHISTLE_OUTCOME: Record<string, MessageKey> = {
  resolved: "home.result.whistleResolved",
  duplicate: "home.result.whistleDuplicate",
  no_action: "home.result.whistleNoAction",
  unreasonable: "home.result.whistleUnreasonable",
  closed: "home.result.whistleClosed",
};

function RecentResults({ results }: { results: Now["results"] }) {
  const { t, date } = useI18n();
  const outcome = (r: (typeof results)[number]) =>
    r.kind === "proposal"
      ? t(`proposal.state.${r.outcome as "closed"}`)
      : r.kind === "vote"
        ? t(`vote.outcome.${r.outcome as "passed"}`)
        : t(WHISTLE_OUTCOME[r.outcome] ?? "home.result.whistleClosed");
  const tone = { good: "ok", bad: "bad", neutral: "info" } as const;
  return (
    <HomeCard id="home-results" title={t("home.results.title")}>
      {results.length === 0 ? (
        <p className="muted">{t("home.results.none")}</p>
      ) : (
        <ul className="list" data-testid="home-results">
          {results.map((r) => (
            <li key={`${r.kind}:${r.id}`} className="list-item">
              <Link to={`/${r.kind}s/${r.id}`} className="list-item__title">
                {r.title}
              </Link>{" "}
              <span className={`pill pill--${tone[resultTone(r as Pick<HomeResult, "kind" | "outcome">)]}`}>{outcome(r)}</span>
              <p className="muted">
                {t(`home.result.${r.kind}`)}
                {" · "}
                {date(r.at, "date")}
              </p>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}
