import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PledgeCard } from "~/components/pledges/pledge-card";
import { WallFilters } from "~/components/pledges/wall-filters";
import { config } from "~/config.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { pageTitle } from "~/lib/meta";
import { getActor } from "~/modules/identity/actor.server";
import { pledgeWallPage } from "~/modules/pledges/queries.server";
import { wallFilterSchema } from "~/modules/pledges/schemas";

export const meta: MetaFunction = (args) => pageTitle(args, "pledge.wall.title");

/** The public pledge wall (公开承诺), filtered by place, category and status. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const filter = wallFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return pledgeWallPage(await getActor(context), filter, config().timeZone);
}

export default function PledgeWall() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  // The three lists (三张清单) of the community chosen in the filter, else every community's, through the unit tree.
  const community = data.places.find((p) => p.id === data.filter.unit && p.kind === "community");
  const pageLink = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...data.filter, page })) if (v !== undefined) q.set(k, String(v));
    return `/pledges?${q.toString()}`;
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("pledge.wall.title")}</h1>
        {data.canPledge ? (
          <Link to="/pledges/new" className="button button--primary">
            {t("pledge.new")}
          </Link>
        ) : null}
      </div>
      <p className="muted">{t("pledge.wall.intro")}</p>
      <p className="actions">
        <Link to="/activities" className="button">
          {t("pledge.activitiesLink")}
        </Link>
        <Link to="/wishes" className="button">
          {t("wish.wall.link")}
        </Link>
        <Link to="/projects" className="button">
          {t("project.list.link")}
        </Link>
        <Link to={community ? `/units/${community.id}/lists` : "/units"} className="button">
          {community ? t("lists.wallLink") : t("lists.fromPledges")}
        </Link>
        <Link to="/service-record" className="button button--quiet">
          {t("pledge.recordLink")}
        </Link>
      </p>
      <WallFilters places={data.places} filter={data.filter} />
      {data.pledges.length === 0 ? (
        <p className="empty">{t("pledge.empty")}</p>
      ) : (
        <ul className="list" data-testid="pledge-wall">
          {data.pledges.map((p) => (
            <PledgeCard key={p.id} pledge={p} />
          ))}
        </ul>
      )}
      <nav className="actions" aria-label={t("pledge.next")}>
        {data.filter.page > 1 ? (
          <Link to={pageLink(data.filter.page - 1)} className="button">
            {t("pledge.previous")}
          </Link>
        ) : null}
        {data.more ? (
          <Link to={pageLink(data.filter.page + 1)} className="button">
            {t("pledge.next")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
