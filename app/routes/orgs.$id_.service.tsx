import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ServiceDashboard } from "~/components/pledges/service-dashboard";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { serverNow, timeZone } from "~/lib/clock.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { localDate } from "~/lib/time";
import { getActor } from "~/modules/identity/actor.server";
import { orgServicePage } from "~/modules/pledges/dashboard.server";
import { yearParam } from "~/modules/pledges/schemas";
import { hoursOf } from "~/modules/pledges/rules";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.org.name }, "service.dash.title") : pageTitle(args));

/** A unit Party organisation's reported members' service this year; its admins and the staff over it also see each member. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const year = yearParam(new URL(request.url).searchParams) ?? Number(localDate(serverNow(), timeZone()).slice(0, 4));
  return orgServicePage(await getActor(context), idParam(params.id), year).catch(toHttpError);
}

export default function OrgService() {
  const { t, number } = useI18n();
  const { org, year, figures, members } = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <p>
        <Link to={`/orgs/${org.id}`}>← {org.name}</Link>
      </p>
      <h1>{t("service.dash.heading", { name: org.name, year: String(year) })}</h1>
      <p className="muted">{t("service.dash.orgExplain")}</p>
      <ServiceDashboard figures={figures} year={year} />
      {members ? (
        <section className="card" aria-labelledby="members-title" data-testid="org-members-service">
          <h2 id="members-title">{t("service.dash.members")}</h2>
          {members.length === 0 ? (
            <p className="muted">{t("service.dash.noMembers")}</p>
          ) : (
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="members-title">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t("service.dash.member")}</th>
                    <th scope="col">{t("service.dash.community")}</th>
                    <th scope="col">{t("service.dash.hoursHeader")}</th>
                    <th scope="col">{t("service.dash.pledgesHeader")}</th>
                    <th scope="col">{t("service.dash.starsHeader")}</th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((m) => (
                    <tr key={m.id}>
                      <th scope="row">{m.name}</th>
                      <td>{m.community}</td>
                      <td>{number(hoursOf(m.minutes))}</td>
                      <td>{t("service.dash.pledgeCounts", { active: m.active, fulfilled: m.fulfilled })}</td>
                      <td>{m.stars > 0 ? t("record.stars", { stars: m.stars }) : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
      <p className="actions">
        <Link to={`?year=${year - 1}`} className="button button--quiet">
          {t("record.year", { year: String(year - 1) })}
        </Link>
      </p>
    </div>
  );
}
