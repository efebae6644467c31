import { useI18n } from "~/i18n/react";

export interface TrendPoint {
  month: string;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  dispatched: number;
  signedInTime: number;
  due: number;
  resolved: number;
  rated: number;
  satisfied: number;
}

/**
 * Each rate has its own colour and its own dash and marker, so the lines part
 * without colour too. None is the accent red: that is for primary actions.
 */
const series = [
  { key: "responseRate", label: "dashboard.response", color: "var(--info)", dash: undefined, marker: "circle" },
  { key: "resolutionRate", label: "dashboard.resolution", color: "var(--ok)", dash: "8 4", marker: "square" },
  { key: "satisfactionRate", label: "dashboard.satisfaction", color: "var(--chart-3)", dash: "2 4", marker: "diamond" },
] as const;

/** Where month `i` of `n` sits across the plot, in percent: the middle of its column, so a point stands over its label. */
export const columnCentre = (i: number, n: number) => ((i + 0.5) / n) * 100;

/**
 * The three rates month over month (no chart library). The plot takes the
 * card's width: the lines are an SVG stretched over it, while the markers, the
 * axis and the month labels are HTML placed in the same columns, so they stay
 * round, readable at any width and with the large-text setting, and each point
 * stands over its month. A month without data leaves a gap and says so under
 * its label. The picture is one image with a spoken summary; the table under
 * it holds every value with its raw counts.
 */
export function RateChart({ points }: { points: TrendPoint[] }) {
  const { t, locale, percent, punct: p } = useI18n();
  const n = Math.max(points.length, 1);
  const pct = (v: number | null) => (v === null ? t("dashboard.noData") : percent(v));
  const summary = points.map((pt) => `${pt.month}${p.colon}${series.map((s) => `${t(s.label)} ${pct(pt[s.key])}`).join(p.comma)}`).join(p.semicolon);
  const monthName = new Intl.DateTimeFormat(locale, { month: "short", timeZone: "UTC" });
  const label = (month: string) => monthName.format(new Date(`${month}-01T00:00:00Z`));
  const empty = (pt: TrendPoint) => series.every((s) => pt[s.key] === null);
  return (
    <figure className="trend">
      <div className="trend__plot" role="img" aria-label={`${t("dashboard.trend")}${p.stop}${summary}`}>
        <div className="trend__y" aria-hidden="true">
          {[1, 0.5, 0].map((v) => (
            <span key={v} style={{ top: `${(1 - v) * 100}%` }}>
              {percent(v)}
            </span>
          ))}
        </div>
        <div className="trend__area" aria-hidden="true">
          {[1, 0.5, 0].map((v) => (
            <span key={v} className="trend__grid" style={{ top: `${(1 - v) * 100}%` }} />
          ))}
          <svg className="trend__lines" viewBox={`0 0 ${n * 100} 100`} preserveAspectRatio="none" focusable="false">
            {series.map((s) => {
              // Break the line where a month has no value.
              const runs: string[] = [];
              let run = "";
              points.forEach((pt, i) => {
                const v = pt[s.key];
                if (v === null) {
                  if (run) runs.push(run);
                  run = "";
                } else run += `${run ? "L" : "M"}${(i + 0.5) * 100},${((1 - v) * 100).toFixed(1)}`;
              });
              if (run) runs.push(run);
              return (
                <g key={s.key} stroke={s.color} data-series={s.key}>
                  {runs.map((d) => (
                    <path key={d} d={d} fill="none" strokeWidth={2.5} strokeDasharray={s.dash} vectorEffect="non-scaling-stroke" />
                  ))}
                </g>
              );
            })}
          </svg>
          {series.map((s) =>
            points.map((pt, i) => {
              const v = pt[s.key];
              return v === null ? null : (
                <span
                  key={`${s.key}-${pt.month}`}
                  className={`trend__mark trend__mark--${s.marker}`}
                  data-month={pt.month}
                  style={{ left: `${columnCentre(i, n)}%`, top: `${(1 - v) * 100}%`, background: s.color }}
                />
              );
            }),
          )}
        </div>
        <ol className="trend__months" aria-hidden="true" style={{ gridTemplateColumns: `repeat(${n}, minmax(0, 1fr))` }}>
          {points.map((pt) => (
            <li key={pt.month} data-month={pt.month}>
              {label(pt.month)}
              {empty(pt) ? <small className="trend__nodata">{t("dashboard.noData")}</small> : null}
            </li>
          ))}
        </ol>
      </div>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.key} className="trend__key">
            <svg width="32" height="12" aria-hidden="true">
              <line x1="0" x2="32" y1="6" y2="6" stroke={s.color} strokeWidth={2.5} strokeDasharray={s.dash} />
            </svg>
            <span className={`trend__mark trend__mark--${s.marker} trend__mark--key`} style={{ background: s.color }} aria-hidden="true" />
            {t(s.label)}
          </span>
        ))}
      </figcaption>
      {/* The numbers under the picture, always shown. A table that may scroll sideways on a phone: reachable by keyboard. */}
      <div className="table-wrap trend__table" tabIndex={0} role="region" aria-labelledby="trend-numbers">
        <table className="table">
          <caption id="trend-numbers">{t("dashboard.trendTable")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboard.month")}</th>
              <th scope="col">{t("dashboard.response")}</th>
              <th scope="col">{t("dashboard.resolution")}</th>
              <th scope="col">{t("dashboard.satisfaction")}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((pt) => (
              <tr key={pt.month}>
                <th scope="row">{pt.month}</th>
                <td>
                  {pct(pt.responseRate)} <span className="muted">({pt.signedInTime}/{pt.dispatched})</span>
                </td>
                <td>
                  {pct(pt.resolutionRate)} <span className="muted">({pt.resolved}/{pt.due})</span>
                </td>
                <td>
                  {pct(pt.satisfactionRate)} <span className="muted">({pt.satisfied}/{pt.rated})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
