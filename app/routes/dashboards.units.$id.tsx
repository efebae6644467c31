import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { db } from "#db/client.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/whistles";
import { idParam } from "~/lib/route.server";
import { getUnit } from "~/modules/units/queries.server";
import { pathIds } from "~/modules/identity/actor";
import { compositeScore, rankUnits, weightsForMonth } from "~/modules/whistles/rules";
import { RatesTable } from "~/components/whistles/rates-table";
import { Ranking } from "~/components/whistles/ranking";
import { monthlyRates, raisedRates, raisedTrend, rateTrend, weightPeriods, whistlesByState } from "~/modules/whistles/queries.server";
import { RateChart } from "~/components/rate-chart";
import { pageTitle } from "~/lib/meta";
import { serverNow, timeZone } from "~/lib/clock.server";
import { localMonth, monthOfKey } from "~/lib/time";

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, ["dashboard.title", { unit: args.data.unit.name }]) : pageTitle(args);

/**
 * A subdistrict's or district's monthly three rates per department, with raw
 * counts, ranks and charts; a community's: how the whistles it raised were
 * handled (no ranking: a few cases rank nobody). A courtyard shows its
 * community's. Public.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const unit = await getUnit(db(), idParam(params.id));
  if (unit?.kind === "courtyard" && unit.parentId) throw redirect(`/dashboards/units/${unit.parentId}${new URL(request.url).search}`);
  if (!unit) throw new Response("Not Found", { status: 404 });
  const raised = unit.kind === "community";
  // A month from 2000-01 to 2099-12; anything else shows the current month.
  const m = /^(20\d{2})-(0[1-9]|1[0-2])$/.exec(new URL(request.url).searchParams.get("month") ?? "");
  const month = monthOfKey(m ? m[0] : localMonth(serverNow(), timeZone()));
  const monthKey = `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
  const districtId = unit.kind === "city" ? undefined : pathIds(unit.path)[1];
  const [rows, states, periods, trend] = await Promise.all([
    raised ? raisedRates(db(), unit.path, month) : monthlyRates(db(), unit.path, month),
    whistlesByState(db(), unit.path, raised),
    districtId ? weightPeriods(db(), districtId) : [],
    raised ? raisedTrend(db(), unit.path, month, 6) : rateTrend(db(), unit.path, month, 6),
  ]);
  // The weights in force for the month shown (a city-wide view uses the defaults).
  const { weights, validFrom, minCases } = weightsForMonth(periods, monthKey);
  // Ranked only with enough cases and both a response and a resolution figure; the rest are listed with the reason.
  const { ranked, unranked } = rankUnits(
    rows.map((r) => ({ ...r, score: compositeScore(r, weights) })),
    minCases,
  );
  return {
    unit: { id: unit.id, name: unit.name },
    raised,
    month: monthKey,
    rows,
    ranked,
    unranked,
    minCases,
    states,
    weights,
    weightsFrom: validFrom,
    trend,
  };
}

export default function Dashboard() {
  const { t, percent, number, punct } = useI18n();
  const { unit, raised, month, rows, ranked, unranked, minCases, states, weights, weightsFrom, trend } = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const total = states.reduce((s, x) => s + x.n, 0);
  return (
    <div className="page">
      <p className="muted">
        <Link to={`/units/${unit.id}`}>← {unit.name}</Link>
      </p>
      <div className="page-head">
        <h1>{t("dashboard.title", { unit: unit.name })}</h1>
        <label className="filter">
          <span>{t("dashboard.month")}</span>
          <input type="month" value={month} onChange={(e) => setParams({ month: e.target.value })} className="field__input" />
        </label>
      </div>

      {raised ? (
        <p className="notice notice--info" data-testid="raised-scope">
          {t("dashboard.raisedScope", { unit: unit.name })}
        </p>
      ) : null}

      <section className="card" aria-labelledby="states-title">
        <h2 id="states-title">{t("dashboard.byState", { count: total })}</h2>
        <div className="stacked" role="img" aria-label={states.map((s) => `${t(`whistle.state.${s.state}`)} ${s.n}`).join(punct.comma)}>
          {states.map((s) => (
            <span key={s.state} className={`stacked__part stacked__part--${s.state}`} style={{ flexGrow: s.n }} />
          ))}
        </div>
        <p className="legend">
          {states.map((s) => (
            <span key={s.state} className={`legend__item legend__item--${s.state}`}>
              {t(`whistle.state.${s.state}`)} {number(s.n)}
            </span>
          ))}
        </p>
      </section>

      <section className="card" aria-labelledby="trend-title">
        <h2 id="trend-title">{t("dashboard.trend")}</h2>
        <RateChart points={trend} />
      </section>

      {raised ? null : (
        <section className="card" aria-labelledby="rank-title">
          <h2 id="rank-title">{t("dashboard.ranking")}</h2>
          <p className="muted" data-testid="weights">
            {t("dashboard.weights", { response: percent(weights.response), resolution: percent(weights.resolution), satisfaction: percent(weights.satisfaction) })}
            {weightsFrom ? t("dashboard.weightsFrom", { month: weightsFrom }) : t("dashboard.weightsDefault")}
          </p>
          {rows.length === 0 ? <p className="empty">{t("dashboard.none")}</p> : ranked.length === 0 ? <p className="empty">{t("dashboard.noneRanked")}</p> : null}
          <Ranking ranked={ranked} />
        </section>
      )}

      {!raised && unranked.length ? (
        <section className="card" aria-labelledby="unranked-title" data-testid="unranked">
          <h2 id="unranked-title">{t("dashboard.unranked")}</h2>
          <p className="muted">{t("dashboard.unrankedWhy", { min: minCases })}</p>
          <ul className="list">
            {unranked.map((r) => (
              <li key={r.departmentId}>
                {r.name}
                {punct.colon}
                {t(`dashboard.why.${r.why}`, { n: r.dispatched, min: minCases })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="table-title">
        <h2 id="table-title">{t("dashboard.rates")}</h2>
        <p className="muted">{t("dashboard.ratesHint")}</p>
        <RatesTable unitId={unit.id} month={month} rows={rows} />
        <p>
          <Link to={`/dashboards/units/${unit.id}/cases?rate=response&month=${month}`}>{t("dashboard.allCases")}</Link>
        </p>
      </section>
    </div>
  );
}
