import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ServiceRecordTable, Stars } from "~/components/pledges/service-record";
import { config } from "~/config.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { requireUser } from "~/lib/auth.server";
import { pageTitle } from "~/lib/meta";
import { toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { serviceRecordPage } from "~/modules/pledges/queries.server";
import { hoursOf } from "~/modules/pledges/rules";
import { recordQuerySchema } from "~/modules/pledges/schemas";
import { serverNow } from "~/lib/clock.server";
import { localDate } from "~/lib/time";

export const meta: MetaFunction = (args) => pageTitle(args, "record.title");

/** A member's yearly service record (their own; community staff may open a member's with ?user=). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const url = new URL(request.url);
  const q = recordQuerySchema.parse(Object.fromEntries(url.searchParams));
  const tz = config().timeZone;
  const year = q.year ?? Number(localDate(serverNow(), tz).slice(0, 4));
  const record = await serviceRecordPage(await getActor(context), { userId: q.user ?? user.id, year }, tz).catch(toHttpError);
  // The PDF (service-record.pdf) sends people back here when the server cannot make one.
  return { ...record, userParam: q.user ?? null, pdfUnavailable: url.searchParams.get("pdf") === "unavailable" };
}

export default function ServiceRecord() {
  const { t } = useI18n();
  const r = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <div className="page-head">
        <h1>
          {t("record.title")} · {t("record.year", { year: String(r.year) })}
        </h1>
        <div className="actions">
          <button type="button" className="button" onClick={() => window.print()}>
            {t("record.print")}
          </button>
          <a href={`/service-record.pdf?${new URLSearchParams({ year: String(r.year), ...(r.userParam ? { user: String(r.userParam) } : {}) }).toString()}`} className="button button--primary" data-testid="record-pdf">
            {t("record.pdf.download")}
          </a>
        </div>
      </div>
      {r.pdfUnavailable ? (
        <p className="notice notice--warn" role="alert">
          {t("record.pdf.unavailable")}
        </p>
      ) : null}
      <div className="card">
        <dl className="facts">
          <dt>{t("record.person")}</dt>
          <dd>{r.person.name}</dd>
          {r.person.workUnit ? (
            <>
              <dt>{t("record.workUnit")}</dt>
              <dd>{r.person.workUnit}</dd>
            </>
          ) : null}
          {r.person.communityName ? (
            <>
              <dt>{t("record.community")}</dt>
              <dd>{r.person.communityName}</dd>
            </>
          ) : null}
        </dl>
        <p data-testid="record-total">
          <strong>{t("record.total", { hours: hoursOf(r.totalMinutes) })}</strong> · {t("record.cumulative", { hours: hoursOf(r.cumulativeMinutes) })}
        </p>
        <Stars stars={r.stars} />
        {r.hoursToNextStar !== null ? <p className="muted">{t("record.nextStar", { hours: r.hoursToNextStar })}</p> : null}
        <p className="muted" data-testid="record-star-levels">
          {t("record.starLevels", { levels: r.starHours.join(" / ") })}
        </p>
      </div>
      <ServiceRecordTable lines={r.lines} />
      <p className="muted">{t("record.certifyNote")}</p>
      <nav className="actions" aria-label={t("record.otherYear")}>
        <Link to={`?year=${r.year - 1}`} className="button button--quiet">
          {t("record.year", { year: String(r.year - 1) })}
        </Link>
      </nav>
    </div>
  );
}
