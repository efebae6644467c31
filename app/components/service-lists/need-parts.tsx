import { Link } from "@remix-run/react";
import type { NeedStatus, NeedUnit } from "#db/schema/service-lists";
import { useI18n } from "~/i18n/react";
import { needProgress } from "~/modules/service-lists/rules";
import type { ListsPageData } from "./page-data";

const tone: Record<NeedStatus, string> = { open: "accent", claimed: "info", done: "ok", closed: "bad" };

/** A need's state, with "partly"/"fully" while it is being claimed. */
export function NeedStatusPill({ status, degree }: { status: NeedStatus; degree: "partly" | "fully" | null }) {
  const { t } = useI18n();
  const label = status === "claimed" && degree ? t(`need.degree.${degree}`) : t(`need.status.${status}`);
  return <span className={`pill pill--${tone[status]}`}>{label}</span>;
}

/** "4 人" / "6 小时". */
export function useNeedAmount() {
  const { t } = useI18n();
  return (unit: NeedUnit, amount: number) => t(`need.amount.${unit}`, { amount });
}

/** Claimed ÷ asked, as a bar with its figures in words beside it. */
export function NeedProgress({ need }: { need: { unit: NeedUnit; amount: number; claimed: number } }) {
  const { t, percent } = useI18n();
  const amount = useNeedAmount();
  const progress = needProgress(need);
  const label = t("need.progress", { done: amount(need.unit, need.claimed), target: amount(need.unit, need.amount) });
  return (
    <div>
      <div className="meter" role="progressbar" aria-label={t("need.progressLabel")} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)} aria-valuetext={label}>
        <span className="meter__fill" style={{ width: `${Math.round(progress * 100)}%` }} />
      </div>
      <p className="muted">
        {percent(progress)} · {label}
      </p>
    </div>
  );
}

/** The resources and members that match a need (same community, same category). */
export function Matches({ resources, members }: { resources: ListsPageData["needs"][number]["resources"]; members: ListsPageData["needs"][number]["members"] }) {
  const { t, punct } = useI18n();
  if (resources.length === 0 && members.length === 0) return <p className="muted">{t("need.noMatches")}</p>;
  return (
    <div>
      {resources.length > 0 ? (
        <div>
          <h3>{t("need.matchingResources")}</h3>
          <ul className="plain-list">
            {resources.map((r) => (
              <li key={r.id}>
                <span className="pill pill--info">{t(`resource.kind.${r.kind}`)}</span> <strong>{r.offerer}</strong>
                {punct.colon}
                {r.description} <span className="muted">· {t("resource.available", { text: r.availability })}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {members.length > 0 ? (
        <div>
          <h3>{t("need.matchingMembers")}</h3>
          <p>{punct.join(members.map((m) => m.name))}</p>
        </div>
      ) : null}
    </div>
  );
}

/** One need on the community's list: what, when, progress, and how many resources and members match. */
export function NeedCard({ need }: { need: ListsPageData["needs"][number] }) {
  const { t } = useI18n();
  const amount = useNeedAmount();
  return (
    <li className="list-item" data-testid="need">
      <p className="list-item__title">
        <Link to={`/needs/${need.id}`}>{need.title}</Link>
      </p>
      <p className="list-item__text">
        <NeedStatusPill status={need.status} degree={need.degree} /> <span className="pill pill--info">{t(`pledge.category.${need.category}`)}</span>{" "}
        <span className="muted">
          {need.whenText} · {t("need.asked")} {amount(need.unit, need.amount)}
        </span>
      </p>
      <NeedProgress need={need} />
      {need.remaining > 0 ? <p className="muted">{t("need.matchCount", { resources: need.resources.length, members: need.members.length })}</p> : null}
      {need.closeReason ? <p className="muted">{t("need.closedBecause", { reason: need.closeReason })}</p> : null}
    </li>
  );
}
