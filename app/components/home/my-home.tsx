import { Link } from "@remix-run/react";
import { StatePill } from "~/components/proposal-state";
import { useI18n } from "~/i18n/react";
import type { ResidentHome } from "./page-data";

/** A signed-in resident's part of the home page: what waits for them, their halls, what they follow. */
export function MyHome({ mine }: { mine: ResidentHome }) {
  const { t, date } = useI18n();
  const waiting = mine.toCast.length + mine.toRate.length;
  return (
    <div className="home-mine">
      <section className="card home-card home-card--waiting" aria-labelledby="home-mine-title" data-testid="home-waiting">
        <h2 id="home-mine-title">
          {t("home.mine.title")} {waiting ? <span className="pill pill--accent">{waiting}</span> : null}
        </h2>
        {waiting === 0 ? (
          <p className="muted">{t("home.mine.none")}</p>
        ) : (
          <ul className="list">
            {mine.toCast.map((v) => (
              <li key={`v${v.id}`} className="list-item">
                <Link to={`/votes/${v.id}`} className="list-item__title">
                  {t("home.mine.cast", { question: v.question })}
                </Link>
                <p className="muted">{t("home.mine.castDue", { hall: v.hallName, date: date(v.closesAt) })}</p>
              </li>
            ))}
            {mine.toRate.map((w) => (
              <li key={`w${w.id}`} className="list-item">
                <Link to={`/whistles/${w.id}#rate`} className="list-item__title">
                  {t("home.mine.rate", { title: w.title })}
                </Link>
                {w.ratingClosesAt ? <p className="muted">{t("home.mine.rateDue", { date: date(w.ratingClosesAt, "date") })}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="home-grid">
        <section className="card home-card" aria-labelledby="home-halls-title">
          <h2 id="home-halls-title">{t("home.halls.title")}</h2>
          {mine.myHalls.length === 0 ? (
            <p>
              {t("home.halls.none")} <Link to="/halls">{t("home.halls.find")}</Link>
            </p>
          ) : (
            <ul className="list" data-testid="home-halls">
              {mine.myHalls.map((h) => (
                <li key={h.id} className="list-item">
                  <Link to={`/halls/${h.id}`} className="list-item__title">
                    {h.name}
                  </Link>
                  <p className="muted">{t("home.halls.active", { count: h.active })}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card home-card" aria-labelledby="home-follows-title">
          <h2 id="home-follows-title">{t("home.follows.title")}</h2>
          {mine.followed.length === 0 ? (
            <p className="muted">{t("home.follows.none")}</p>
          ) : (
            <ul className="list" data-testid="home-follows">
              {mine.followed.map((p) => (
                <li key={p.id} className="list-item">
                  <Link to={`/proposals/${p.id}`} className="list-item__title">
                    {p.title}
                  </Link>{" "}
                  <StatePill state={p.state} />
                  <p className="muted">{t("home.follows.changed", { date: date(p.changedAt, "date") })}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
