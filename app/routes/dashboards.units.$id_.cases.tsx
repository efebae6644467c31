import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { db } from "#db/client.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/whistles";
import { idParam } from "~/lib/route.server";
import { pageTitle } from "~/lib/meta";
import { getUnit } from "~/modules/units/queries.server";
import { casesBehind } from "~/modules/whistles/queries.server";
import { CASES_LIMIT, RATE_PARTS } from "~/modules/whistles/rules";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, ["dashboard.casesTitle", { unit: args.data.unit.name }]) : pageTitle(args));

const query = z.object({
  dept: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  rate: z.enum(Object.keys(RATE_PARTS) as [keyof typeof RATE_PARTS, ...(keyof typeof RATE_PARTS)[]]),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
});

/** The cases behind one figure of the dashboard: every assignment in its denominator, marked whether it is in the numerator. Public. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const unit = await getUnit(db(), idParam(params.id));
  if (!unit || !["district", "subdistrict", "city", "community"].includes(unit.kind)) throw new Response("Not Found", { status: 404 });
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("Bad Request", { status: 400 });
  const { dept, rate, month } = parsed.data;
  const [y, m] = month.split("-").map(Number) as [number, number];
  const rows = await casesBehind(db(), { unitPath: unit.path, departmentId: dept ?? null, rate, month: new Date(Date.UTC(y, m - 1, 1)), raisedWithin: unit.kind === "community" });
  return {
    unit: { id: unit.id, name: unit.name },
    rate,
    month,
    department: dept ? (rows[0]?.departmentName ?? null) : null,
    cases: rows.slice(0, CASES_LIMIT),
    more: rows.length > CASES_LIMIT,
    // The summary states the figure's own numerator and denominator, even when only the first cases are listed.
    counted: rows.filter((r) => r.counted).length,
    total: rows.length,
  };
}

export default function RateCases() {
  const { t, date } = useI18n();
  const data = useLoaderData<typeof loader>();
  const parts = RATE_PARTS[data.rate];
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/dashboards/units/${data.unit.id}?month=${data.month}`}>← {t("dashboard.title", { unit: data.unit.name })}</Link>
      </p>
      <h1>{t("dashboard.casesTitle", { unit: data.unit.name })}</h1>
      <p>
        {data.month} · {t(`dashboard.${data.rate}`)}
        {data.department ? ` · ${data.department}` : ""}
      </p>
      <p className="muted" data-testid="cases-summary">
        {t("dashboard.casesSummary", { numerator: data.counted, denominator: data.total, num: t(`dashboard.count.${parts.numerator}`), den: t(`dashboard.count.${parts.denominator}`) })}
      </p>
      {data.cases.length === 0 ? <p className="empty">{t("dashboard.casesNone")}</p> : null}
      <ul className="list" data-testid="cases">
        {data.cases.map((c) => (
          <li key={c.assignmentId} className="list-item">
            <Link to={`/whistles/${c.whistleId}`}>{c.title}</Link>
            <p className="muted">
              {c.departmentName} · {t(`whistle.role.${c.role}`)} · {t(`assignment.state.${c.state}`)} · {c.subdistrictName} · {date(c.dispatchedAt)}
            </p>
            <span className={`pill pill--${c.counted ? "ok" : "warn"}`}>{c.counted ? t("dashboard.inNumerator") : t("dashboard.notInNumerator")}</span>
          </li>
        ))}
      </ul>
      {data.more ? <p className="muted">{t("dashboard.casesMore", { max: CASES_LIMIT })}</p> : null}
    </div>
  );
}
