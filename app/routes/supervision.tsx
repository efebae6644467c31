import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/whistles";
import { getActor } from "~/modules/identity/actor.server";
import { supervisionScopes } from "~/modules/whistles/permissions";
import { getSupervision, publicOverdue } from "~/modules/whistles/queries.server";
import { pageTitle } from "~/lib/meta";
import { serverNow } from "~/lib/clock.server";

export const meta: MetaFunction = (args) => pageTitle(args, "supervision.title");

/** Staff see their subdistricts' overdue whistles and requests waiting for a whistle; everyone sees the public overdue report. */
export async function loader({ context }: LoaderFunctionArgs) {
  const actor = await getActor(context);
  const scopes = supervisionScopes(actor);
  const staff = scopes.length ? await getSupervision(db(), scopes) : null;
  return { staff, publicList: await publicOverdue(db()), now: serverNow().toISOString() };
}

export default function Supervision() {
  const { t, date } = useI18n();
  const { staff, publicList } = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <h1>{t("supervision.title")}</h1>
      {staff ? (
        <>
          <section aria-labelledby="requested-title">
            <h2 id="requested-title">{t("supervision.requested", { count: staff.requested.length })}</h2>
            <ul className="list">
              {staff.requested.map((r) => (
                <li key={r.id} className="list-item">
                  <Link to={`/whistles/${r.id}`} className="list-item__title">
                    {r.title}
                  </Link>
                  <p className="muted">
                    {r.subdistrictName} · {date(r.createdAt)}
                  </p>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="overdue-title">
            <h2 id="overdue-title">{t("supervision.overdue", { count: staff.overdue.length })}</h2>
            <ul className="list" data-testid="overdue-list">
              {staff.overdue.map((o) => (
                <li key={o.a.id} className="list-item assignment--overdue">
                  <Link to={`/whistles/${o.whistleId}`} className="list-item__title">
                    {o.title}
                  </Link>
                  <p>
                    ⚠ {o.departmentName} · {t(`assignment.state.${o.a.state}`)} · {t("supervision.since", { at: date(o.a.overdueSince!) })}
                    {o.a.autoSupervisedAt ? ` · ${t("supervision.autoSupervised")}` : ""}
                  </p>
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
      <section aria-labelledby="public-title">
        <h2 id="public-title">{t("supervision.public")}</h2>
        <p className="muted">{t("supervision.publicText")}</p>
        {publicList.length === 0 ? (
          <p className="empty">{t("supervision.publicEmpty")}</p>
        ) : (
          <ul className="list">
            {publicList.map((p) => (
              <li key={`${p.whistleId}-${p.departmentName}`} className="list-item">
                <Link to={`/whistles/${p.whistleId}`}>{p.title}</Link>
                <p className="overdue">
                  {p.departmentName} · {t("supervision.since", { at: date(p.overdueSince!) })}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
