import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ServiceRecordTable, Stars } from "~/components/pledges/service-record";
import { config } from "~/config.server";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { pageTitle } from "~/lib/meta";
import { toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { serviceRecordPage } from "~/modules/pledges/queries.server";
import { hoursOf } from "~/modules/pledges/rules";
import { serverNow } from "~/lib/clock.server";
import { localDate } from "~/lib/time";

export const meta: MetaFunction = (args) => pageTitle(args, "record.title");

const query = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined), user: z.coerce.number().int().positive().optional().catch(undefined) });

/** A member's yearly service record (their own; community staff may open a member's with ?user=). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const q = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const tz = config().timeZone;
  const year = q.year ?? Number(localDate(serverNow(), tz).slice(0, 4));
  return serviceRecordPage(await getActor(context), { userId: q.user ?? user.id, year }, tz).catch(toHttpError);
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
        <button type="button" className="button" onClick={() => window.print()}>
          {t("record.print")}
        </button>
      </div>
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
