import { Link } from "@remix-run/react";
import type { PledgeCategory } from "#db/schema/pledges";
import { useI18n } from "~/i18n/react";

export interface ActivityListItem {
  id: number;
  title: string;
  category: PledgeCategory;
  place: string;
  startsAt: string;
  endsAt: string;
  eligibility: "members" | "residents";
  status: string;
  unitName: string;
  slots: number;
  taken: number;
}

/** One activity in the list: when, where, who, and how many places are free. */
export function ActivityCard({ activity }: { activity: ActivityListItem }) {
  const { t, date } = useI18n();
  const free = Math.max(0, activity.slots - activity.taken);
  return (
    <li className="list-item" data-testid="activity">
      <p className="list-item__title">
        <Link to={`/activities/${activity.id}`}>{activity.title}</Link>
      </p>
      <p className="list-item__text">
        {date(activity.startsAt)} – {date(activity.endsAt, "time")} · {activity.unitName} · {activity.place}
      </p>
      <p className="list-item__text">
        <span className="pill pill--info">{t(`pledge.category.${activity.category}`)}</span> <span className="muted">{t(`activity.eligibility.${activity.eligibility}`)}</span>{" "}
        {activity.status === "cancelled" ? (
          <span className="pill pill--bad">{t("activity.cancelled")}</span>
        ) : free > 0 ? (
          <span className="pill pill--ok">{t("activity.slotsFree", { free, slots: activity.slots })}</span>
        ) : (
          <span className="pill pill--warn">{t("activity.full")}</span>
        )}
      </p>
    </li>
  );
}
