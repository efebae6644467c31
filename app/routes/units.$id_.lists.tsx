import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { NeedCard } from "~/components/service-lists/need-parts";
import { ResourceItem } from "~/components/service-lists/resource-item";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/service-lists";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { listsIntents } from "~/modules/service-lists/intents.server";
import { listsPage } from "~/modules/service-lists/queries.server";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.unit.name }, "lists.title") : pageTitle(args, "lists.title"));

/** A community's three lists (三张清单): needs with their claims and matches, resources, and its activities (项目清单). */
export async function loader({ context, params }: LoaderFunctionArgs) {
  return listsPage(await getActor(context), idParam(params.id)).catch(toHttpError);
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), listsIntents, { actor: await getActor(context) });
}

export default function CommunityLists() {
  const { t, date } = useI18n();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <nav aria-label={t("unit.breadcrumbs")} className="breadcrumbs">
        <ol>
          {data.parent ? (
            <li>
              <Link to={`/units/${data.parent.id}`}>{data.parent.name}</Link>
            </li>
          ) : null}
          <li>
            <Link to={`/units/${data.unit.id}`}>{data.unit.name}</Link>
          </li>
          <li aria-current="page">{t("lists.title")}</li>
        </ol>
      </nav>
      <h1>{t("lists.titleOf", { name: data.unit.name })}</h1>
      <p className="muted">{t("lists.intro")}</p>
      <nav className="actions" aria-label={t("lists.title")}>
        <a href="#needs" className="button button--small">
          {t("lists.needs")}
        </a>
        <a href="#resources" className="button button--small">
          {t("lists.resources")}
        </a>
        <a href="#projects" className="button button--small">
          {t("lists.projects")}
        </a>
      </nav>

      <section id="needs" className="section" aria-labelledby="needs-title">
        <div className="page-head">
          <h2 id="needs-title">{t("lists.needs")}</h2>
          {data.can.postNeed ? (
            <Link to={`/needs/new?unit=${data.unit.id}`} className="button button--primary button--small">
              {t("lists.postNeed")}
            </Link>
          ) : null}
        </div>
        {data.needs.length === 0 ? (
          <p className="empty">{t("lists.noNeeds")}</p>
        ) : (
          <ul className="list" data-testid="needs">
            {data.needs.map((n) => (
              <NeedCard key={n.id} need={n} />
            ))}
          </ul>
        )}
      </section>

      <section id="resources" className="section" aria-labelledby="resources-title">
        <div className="page-head">
          <h2 id="resources-title">{t("lists.resources")}</h2>
          {data.can.offer ? (
            <Link to="/resources/new" className="button button--small">
              {t("lists.offer")}
            </Link>
          ) : null}
        </div>
        {data.resources.length === 0 ? (
          <p className="empty">{t("lists.noResources")}</p>
        ) : (
          <ul className="list" data-testid="resources">
            {data.resources.map((r) => (
              <ResourceItem key={r.id} resource={r} />
            ))}
          </ul>
        )}
      </section>

      <section id="projects" className="section" aria-labelledby="projects-title">
        <h2 id="projects-title">{t("lists.projects")}</h2>
        <p className="muted">{t("lists.projectsIntro")}</p>
        {data.activities.length === 0 ? (
          <p className="empty">{t("lists.noProjects")}</p>
        ) : (
          <ul className="list" data-testid="projects">
            {data.activities.map((a) => (
              <li key={a.id} className="list-item list-item--row">
                <Link to={`/activities/${a.id}`} className="list-item__title">
                  {a.title}
                </Link>
                <span className="pill pill--info">{t(`pledge.category.${a.category}`)}</span>
                <span className="muted">
                  {date(a.startsAt, "date")} · {a.place}
                </span>
                {a.status === "cancelled" ? <span className="pill pill--bad">{t("activity.cancelled")}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
