import { Link } from "@remix-run/react";
import type { PledgeCategory, PledgeStatus, PledgeUnit } from "#db/schema/pledges";
import { useI18n } from "~/i18n/react";
import { hoursOf } from "~/modules/pledges/rules";

export interface PledgeView {
  id: number;
  category: PledgeCategory;
  text: string;
  unit: PledgeUnit;
  amount: number;
  achieved: number;
  status: PledgeStatus;
  startsOn: string;
  endsOn: string;
  organizationId: number | null;
  withdrawReason: string | null;
  pledger: string;
  place: string;
  progress: number;
}

const tone: Record<PledgeStatus, string> = { active: "info", fulfilled: "ok", lapsed: "warn", withdrawn: "bad" };

export function PledgeStatusPill({ status }: { status: PledgeStatus }) {
  const { t } = useI18n();
  return <span className={`pill pill--${tone[status]}`}>{t(`pledge.status.${status}`)}</span>;
}

/** "3.5 小时" / "2 次": what is done or pledged, in the pledge's unit. */
export function useAmount() {
  const { t } = useI18n();
  return (unit: PledgeUnit, value: number, minutes = false) =>
    t(`pledge.amount.${unit}`, { amount: unit === "hours" && minutes ? hoursOf(value) : value });
}

/** Progress = verified service ÷ pledged, as a bar with its figures in words beside it. */
export function PledgeProgress({ pledge }: { pledge: Pick<PledgeView, "unit" | "amount" | "achieved" | "progress"> }) {
  const { t, percent } = useI18n();
  const amount = useAmount();
  const label = t("pledge.progress", { done: amount(pledge.unit, pledge.achieved, true), target: amount(pledge.unit, pledge.amount) });
  return (
    <div>
      <div className="meter" role="progressbar" aria-label={t("pledge.progressLabel")} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pledge.progress * 100)} aria-valuetext={label}>
        <span className="meter__fill" style={{ width: `${Math.round(pledge.progress * 100)}%` }} />
      </div>
      <p className="muted">
        {percent(pledge.progress)} · {label}
      </p>
    </div>
  );
}

/** One pledge on the wall. */
export function PledgeCard({ pledge }: { pledge: PledgeView }) {
  const { t, date } = useI18n();
  return (
    <li className="list-item" data-testid="pledge">
      <p className="list-item__title">
        <Link to={`/pledges/${pledge.id}`}>{pledge.text}</Link>
      </p>
      <p className="list-item__text">
        <strong>{pledge.pledger}</strong>
        {pledge.organizationId ? <span className="pill pill--accent"> {t("pledge.byOrganization")}</span> : null} · {pledge.place} ·{" "}
        {t(`pledge.category.${pledge.category}`)} <PledgeStatusPill status={pledge.status} />
      </p>
      <p className="muted">{t("pledge.period", { from: date(pledge.startsOn, "date"), to: date(pledge.endsOn, "date") })}</p>
      <PledgeProgress pledge={pledge} />
      {pledge.withdrawReason ? <p className="muted">{t("pledge.withdrawnBecause", { reason: pledge.withdrawReason })}</p> : null}
    </li>
  );
}
