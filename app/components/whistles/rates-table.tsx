import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/react";

export interface RateRow {
  departmentId: number;
  name: string;
  dispatched: number;
  signedInTime: number;
  responseRate: number | null;
  due: number;
  resolved: number;
  resolutionRate: number | null;
  rated: number;
  satisfied: number;
  satisfactionRate: number | null;
  resolvedWithDeadline: number;
  resolvedOnTime: number;
  onTimeRate: number | null;
  returned: number;
  returnRate: number | null;
  notNeeded: number;
}

/**
 * Each department's rates with their raw counts; every figure links to the
 * cases behind it (/dashboards/units/<id>/cases), so anyone can check it.
 * A rate over 0 is "—", never 0 % or 100 %.
 */
export function RatesTable({ unitId, month, rows }: { unitId: number; month: string; rows: RateRow[] }) {
  const { t, percent } = useI18n();
  const pct = (v: number | null) => (v === null ? "—" : percent(v));
  const cell = (r: RateRow, rate: string, value: number | null, num: number, den: number) => (
    <td>
      {/* The name starts with the visible figure (voice control), then says whose cases it opens. */}
      <Link
        to={`/dashboards/units/${unitId}/cases?dept=${r.departmentId}&rate=${rate}&month=${month}`}
        data-testid={`rate-${r.departmentId}-${rate}`}
      >
        {pct(value)}{" "}
        <span className="muted">
          ({num}/{den})
        </span>
        <span className="sr-only"> {t("dashboard.casesOf", { department: r.name, rate: t(`dashboard.${rate as "response"}`) })}</span>
      </Link>
    </td>
  );
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="table-title">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("whistle.department")}</th>
            <th scope="col">{t("dashboard.response")}</th>
            <th scope="col">{t("dashboard.resolution")}</th>
            <th scope="col">{t("dashboard.satisfaction")}</th>
            <th scope="col">{t("dashboard.onTime")}</th>
            <th scope="col">{t("dashboard.returns")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.departmentId}>
              <th scope="row">{r.name}</th>
              {cell(r, "response", r.responseRate, r.signedInTime, r.dispatched)}
              {cell(r, "resolution", r.resolutionRate, r.resolved, r.due)}
              {cell(r, "satisfaction", r.satisfactionRate, r.satisfied, r.rated)}
              {cell(r, "onTime", r.onTimeRate, r.resolvedOnTime, r.resolvedWithDeadline)}
              {cell(r, "returns", r.returnRate, r.returned, r.dispatched)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
