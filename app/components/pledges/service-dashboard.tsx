import { useI18n } from "~/i18n/react";
import type { MessageKey } from "~/i18n/i18n";
import type { ServiceFigures } from "~/modules/pledges/dashboard.server";
import { hoursOf as hours } from "~/modules/pledges/rules";


/** The figures of a service dashboard: four counts, then hours month by month as bars with the numbers beneath. */
export function ServiceDashboard({ figures, year }: { figures: ServiceFigures; year: number }) {
  const { t, number, percent, punct } = useI18n();
  const tiles: { key: MessageKey; value: string }[] = [
    { key: "service.dash.members", value: number(figures.membersReported) },
    { key: "service.dash.activePledges", value: number(figures.activePledges) },
    { key: "service.dash.hours", value: number(hours(figures.minutes)) },
    { key: "service.dash.fulfilment", value: figures.fulfilmentRate === null ? t("service.dash.noneEnded") : percent(figures.fulfilmentRate) },
  ];
  const most = Math.max(1, ...figures.months);
  const label = (i: number) => t("service.dash.month", { month: i + 1 });
  return (
    <>
      <ul className="home-now__tiles" data-testid="service-tiles">
        {tiles.map((tile) => (
          <li key={tile.key} className="home-now__tile">
            <strong>{tile.value}</strong>
            <span>{t(tile.key)}</span>
          </li>
        ))}
      </ul>
      <p className="muted">
        {t("service.dash.fulfilmentExplain", { fulfilled: figures.fulfilled, lapsed: figures.lapsed })} {t("service.dash.activities", { count: figures.activities })}
      </p>
      <section className="card" aria-labelledby="hours-title">
        <h2 id="hours-title">{t("service.dash.byMonth", { year: String(year) })}</h2>
        <div className="month-bars" role="img" aria-label={figures.months.map((m, i) => `${label(i)} ${number(hours(m))}`).join(punct.comma)}>
          {figures.months.map((m, i) => (
            <div key={i} className="month-bars__col">
              <span className="month-bars__value">{m ? number(hours(m)) : ""}</span>
              <span className="month-bars__bar" style={{ height: `${(m / most) * 100}%` }} />
              <span className="month-bars__label">{i + 1}</span>
            </div>
          ))}
        </div>
        <dl className="month-figures" data-testid="hours-by-month">
          {figures.months.map((m, i) => (
            <div key={i}>
              <dt>{label(i)}</dt>
              <dd>{t("service.dash.hoursValue", { hours: number(hours(m)) })}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
