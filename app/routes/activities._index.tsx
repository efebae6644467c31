import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActivityCard } from "~/components/pledges/activity-card";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { pageTitle } from "~/lib/meta";
import { getActor } from "~/modules/identity/actor.server";
import { activitiesPage } from "~/modules/pledges/queries.server";
import { serverNow } from "~/lib/clock.server";

export const meta: MetaFunction = (args) => pageTitle(args, "activity.list.title");

export async function loader({ context }: LoaderFunctionArgs) {
  return activitiesPage(await getActor(context), serverNow());
}

/** Volunteer activities: coming up (with free places) and the last few past ones. */
export default function Activities() {
  const { t } = useI18n();
  const { upcoming, past, canOrganize } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to="/pledges">{t("pledge.wall.title")}</Link>
      </p>
      <div className="page-head">
        <h1>{t("activity.list.title")}</h1>
        {canOrganize ? (
          <Link to="/activities/new" className="button button--primary">
            {t("activity.new")}
          </Link>
        ) : null}
      </div>
      <p className="muted">{t("activity.list.intro")}</p>
      <section className="section">
        <h2>{t("activity.upcoming")}</h2>
        {upcoming.length === 0 ? (
          <p className="empty">{t("activity.none")}</p>
        ) : (
          <ul className="list">
            {upcoming.map((a) => (
              <ActivityCard key={a.id} activity={a} />
            ))}
          </ul>
        )}
      </section>
      {past.length > 0 ? (
        <section className="section">
          <h2>{t("activity.past")}</h2>
          <ul className="list">
            {past.map((a) => (
              <ActivityCard key={a.id} activity={a} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
