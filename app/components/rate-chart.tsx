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

/** Each rate has its own colour and its own dash and marker, so the lines part without colour too. */
const series = [
  { key: "responseRate", label: "dashboard.response", color: "var(--info)", dash: undefined, marker: "circle" },
  { key: "resolutionRate", label: "dashboard.resolution", color: "var(--ok)", dash: "8 4", marker: "square" },
  { key: "satisfactionRate", label: "dashboard.satisfaction", color: "var(--red)", dash: "2 4", marker: "diamond" },
] as const;

const W = 320;
const H = 180;
const PAD = { left: 42, right: 16, top: 12, bottom: 26 };

/**
 * The three rates month over month as an inline SVG line chart (no chart
 * library). The picture is one image with a spoken summary; the table under it
 * holds every value with its raw counts. A month without data leaves a gap.
 */
export function RateChart({ points }: { points: TrendPoint[] }) {
  const { t, percent, punct: p } = useI18n();
  const x = (i: number) => PAD.left + (points.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (points.length - 1));
  const y = (v: number) => PAD.top + (1 - v) * (H - PAD.top - PAD.bottom);
  const pct = (v: number | null) => (v === null ? t("dashboard.noData") : percent(v));
  const summary = points.map((pt) => `${pt.month}${p.colon}${series.map((s) => `${t(s.label)} ${pct(pt[s.key])}`).join(p.comma)}`).join(p.semicolon);
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${t("dashboard.trend")}${p.stop}${summary}`} className="trend__chart">
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="var(--line)" strokeWidth={1} />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize={11} fill="var(--ink-soft)">
              {v * 100}%
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <text key={p.month} x={x(i)} y={H - 8} textAnchor="middle" fontSize={11} fill="var(--ink-soft)">
            {p.month.slice(5)}
          </text>
        ))}
        {series.map((s) => {
          // Break the line where a month has no value.
          const runs: string[] = [];
          let run = "";
          points.forEach((p, i) => {
            const v = p[s.key];
            if (v === null) {
              if (run) runs.push(run);
              run = "";
            } else run += `${run ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
          });
          if (run) runs.push(run);
          return (
            <g key={s.key} stroke={s.color} fill={s.color}>
              {runs.map((d) => (
                <path key={d} d={d} fill="none" strokeWidth={2.5} strokeDasharray={s.dash} />
              ))}
              {points.map((p, i) => {
                const v = p[s.key];
                if (v === null) return null;
                const cx = x(i);
                const cy = y(v);
                if (s.marker === "circle") return <circle key={p.month} cx={cx} cy={cy} r={3.5} />;
                if (s.marker === "square") return <rect key={p.month} x={cx - 3.5} y={cy - 3.5} width={7} height={7} />;
                return <path key={p.month} d={`M${cx},${cy - 4.5}L${cx + 4.5},${cy}L${cx},${cy + 4.5}L${cx - 4.5},${cy}Z`} />;
              })}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.key} className="trend__key">
            <svg width="28" height="10" aria-hidden="true">
              <line x1="0" x2="28" y1="5" y2="5" stroke={s.color} strokeWidth={2.5} strokeDasharray={s.dash} />
            </svg>
            {t(s.label)}
          </span>
        ))}
      </figcaption>
      <details>
        <summary className="button button--quiet">{t("dashboard.trendTable")}</summary>
        {/* A table that may scroll sideways on a phone: reachable by keyboard (scrollable-region-focusable). */}
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t("dashboard.trend")}>
          <table className="table">
            <caption className="sr-only">{t("dashboard.trend")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dashboard.month")}</th>
                <th scope="col">{t("dashboard.response")}</th>
                <th scope="col">{t("dashboard.resolution")}</th>
                <th scope="col">{t("dashboard.satisfaction")}</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.month}>
                  <th scope="row">{p.month}</th>
                  <td>
                    {pct(p.responseRate)} <span className="muted">({p.signedInTime}/{p.dispatched})</span>
                  </td>
                  <td>
                    {pct(p.resolutionRate)} <span className="muted">({p.resolved}/{p.due})</span>
                  </td>
                  <td>
                    {pct(p.satisfactionRate)} <span className="muted">({p.satisfied}/{p.rated})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
