import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ProjectStatusPill, useYuan } from "~/components/projects/project-parts";
import { useI18n } from "~/i18n/react";
import { pageTitle } from "~/lib/meta";
import { getActor } from "~/modules/identity/actor.server";
import { projectsPage } from "~/modules/projects/queries.server";
import { listFilterSchema } from "~/modules/projects/schemas";
import "~/i18n/scoped/projects";

export const meta: MetaFunction = (args) => pageTitle(args, "project.list.title");

/** /projects: service projects (购买服务) by place and status, for everyone. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const filter = listFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return projectsPage(await getActor(context), filter);
}

const statuses = ["open", "evaluating", "awarded", "active", "completed", "ended"] as const;

export default function Projects() {
  const { t, date } = useI18n();
  const yuan = useYuan();
  const data = useLoaderData<typeof loader>();
  const more = () => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...data.filter, page: data.filter.page + 1 })) if (v !== undefined) q.set(k, String(v));
    return `/projects?${q.toString()}`;
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("project.list.title")}</h1>
        {data.canCreate ? (
          <Link to="/projects/new" className="button button--primary">
            {t("project.list.new")}
          </Link>
        ) : null}
      </div>
      <p className="muted">{t("project.list.intro")}</p>
      <Form method="get" className="filters">
        <label className="filter">
          {t("project.list.place")}
          <select name="unit" defaultValue={data.filter.unit ?? ""} className="field__input">
            <option value="">{t("project.list.everywhere")}</option>
            {data.places.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          {t("project.list.status")}
          <select name="status" defaultValue={data.filter.status ?? ""} className="field__input">
            <option value="">{t("project.list.anyStatus")}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s === "ended" ? t("project.list.ended") : t(`project.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          {t("project.list.filter")}
        </button>
      </Form>
      {data.projects.length === 0 ? (
        <p className="empty">{t("project.list.empty")}</p>
      ) : (
        <ul className="list" data-testid="projects">
          {data.projects.map((p) => (
            <li key={p.id} className="list-item">
              <Link to={`/projects/${p.id}`} className="proposal-row__title">
                {p.title}
              </Link>
              <div className="proposal-row__meta">
                <ProjectStatusPill status={p.status} />
                <span>{p.unitName}</span>
                <span>{t(`pledge.category.${p.category}`)}</span>
                <span>{t("project.list.cap", { amount: yuan(p.budgetCap) })}</span>
              </div>
              {p.status === "open" ? <p className="muted">{t("project.list.deadline", { at: date(p.bidDeadline), bids: p.bidCount })}</p> : null}
            </li>
          ))}
        </ul>
      )}
      {data.more ? (
        <p className="load-more">
          <Link to={more()} className="button">
            {t("project.list.more")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
