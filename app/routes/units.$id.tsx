import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { HallIcon } from "~/components/icons";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/structure";
import { idParam } from "~/lib/route.server";
import { getUnitPage } from "~/modules/units/queries.server";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.unit.name }) : pageTitle(args));

/** The public page of any unit: where it sits, what is under it, its alleys, roster and organisations. */
export async function loader({ params }: LoaderFunctionArgs) {
  const page = await getUnitPage(db(), idParam(params.id));
  if (!page) throw new Response("Not Found", { status: 404 });
  return page;
}

const roleOrder = ["lead", "stationed", "on_call"] as const;

export default function UnitPage() {
  const { t, number, punct } = useI18n();
  const { unit, ancestors, children, residents, alleys, roster, organizations } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <nav aria-label={t("unit.breadcrumbs")} className="breadcrumbs">
        <ol>
          {ancestors.map((a) => (
            <li key={a.id}>
              <Link to={`/units/${a.id}`}>{a.name}</Link>
            </li>
          ))}
          <li aria-current="page">{unit.name}</li>
        </ol>
      </nav>
      <header className="unit-head card">
        <span className="pill pill--info">{t(`unit.kind.${unit.kind}`)}</span>
        <h1>{unit.name}</h1>
        {unit.address ? <p className="muted">{unit.address}</p> : null}
        <p className="stat">
          <strong>{number(residents)}</strong> {t("unit.verifiedResidents")}
        </p>
        <div className="actions">
          {unit.kind === "community" ? (
            <Link to={`/units/${unit.id}/lists`} className="button">
              {t("lists.link")}
            </Link>
          ) : null}
          {unit.kind === "district" || unit.kind === "subdistrict" || unit.kind === "community" ? (
            <Link to={`/dashboards/units/${unit.id}`} className="button">
              {t("unit.dashboard")}
            </Link>
          ) : null}
          {unit.kind !== "courtyard" ? (
            <Link to={`/units/${unit.id}/service`} className="button">
              {t("service.dash.link")}
            </Link>
          ) : null}
        </div>
      </header>

      {children.length > 0 ? (
        <section aria-labelledby="children-title" className="section">
          <h2 id="children-title">{t(`unit.children.${unit.kind}`)}</h2>
          <ul className="tiles">
            {children.map((c) => (
              <li key={c.id}>
                <Link to={`/units/${c.id}`} className="tile">
                  <HallIcon size={22} />
                  <span className="tile__name">{c.name}</span>
                  <span className="muted">{t("unit.residentsCount", { count: c.residents })}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {unit.kind === "subdistrict" ? (
        <>
          <section aria-labelledby="alleys-title" className="section">
            <div className="page-head">
              <h2 id="alleys-title">{t("alley.title")}</h2>
              <Link to={`/units/${unit.id}/alleys`} className="button button--small">
                {t("alley.all")}
              </Link>
            </div>
            <ul className="list">
              {alleys.slice(0, 5).map((a) => (
                <li key={a.id} className="list-item list-item--row">
                  <span className="list-item__title">{a.name}</span>
                  <span>
                    {t("alley.chief")}{punct.colon}{a.chiefName ?? t("alley.noChief")}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="roster-title" className="section">
            <h2 id="roster-title">{t("roster.title")}</h2>
            <p className="muted">{t("roster.explain")}</p>
            {roleOrder.map((role) => {
              const entries = roster.filter((r) => r.role === role);
              if (entries.length === 0) return null;
              return (
                <div key={role} className="card roster-group">
                  <h3>
                    {t(`roster.role.${role}`)} <span className="muted">({entries.length})</span>
                  </h3>
                  <ul className="plain-list">
                    {entries.map((e) => (
                      <li key={e.departmentId}>
                        <strong>{e.departmentName}</strong>
                        {e.people.length > 0 ? <span className="muted"> · {punct.join(e.people.map((p) => p.name))}</span> : null}
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })}
          </section>
        </>
      ) : null}

      <section aria-labelledby="orgs-title" className="section">
        <h2 id="orgs-title">{t("organization.confirmedHere")}</h2>
        {organizations.length === 0 ? (
          <p className="empty">{t("organization.noneHere")}</p>
        ) : (
          <ul className="list">
            {organizations.map((o) => (
              <li key={o.id} className="list-item list-item--row">
                <Link to={`/orgs/${o.id}`} className="list-item__title">
                  {o.name}
                </Link>
                <span className="pill pill--ok">✓ {t(`organization.kind.${o.kind}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
