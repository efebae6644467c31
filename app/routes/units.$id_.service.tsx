import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ServiceDashboard } from "~/components/pledges/service-dashboard";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { serverNow, timeZone } from "~/lib/clock.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { localDate } from "~/lib/time";
import { unitServicePage } from "~/modules/pledges/dashboard.server";
import { yearParam } from "~/modules/pledges/schemas";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.unit.name }, "service.dash.title") : pageTitle(args));

/** A unit's volunteer service (双报到) in figures: everything under it, this year or `?year=`. Public. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const year = yearParam(new URL(request.url).searchParams) ?? Number(localDate(serverNow(), timeZone()).slice(0, 4));
  return unitServicePage(idParam(params.id), year).catch(toHttpError);
}

export default function UnitService() {
  const { t } = useI18n();
  const { unit, year, figures } = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <p>
        <Link to={`/units/${unit.id}`}>← {unit.name}</Link>
      </p>
      <h1>{t("service.dash.heading", { name: unit.name, year: String(year) })}</h1>
      <p className="muted">{t("service.dash.unitExplain")}</p>
      <ServiceDashboard figures={figures} year={year} />
      <p className="actions">
        <Link to={`?year=${year - 1}`} className="button button--quiet">
          {t("record.year", { year: String(year - 1) })}
        </Link>
        <Link to={`/pledges?unit=${unit.id}`} className="button">
          {t("service.dash.wall")}
        </Link>
      </p>
    </div>
  );
}
