import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { and, asc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { units } from "#db/schema";
import { FieldErrors, FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/whistles";
import { requireUser } from "~/lib/auth.server";
import { performForm } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/access";
import { requireAdminScopes } from "~/modules/units/admin-schemas";
import { withinAny } from "~/modules/units/queries.server";
import { setScoreWeights } from "~/modules/whistles/commands.server";
import { weightPeriods } from "~/modules/whistles/queries.server";
import { DEFAULT_MIN_CASES, DEFAULT_WEIGHTS } from "~/modules/whistles/rules";
import { weightsSchema } from "~/modules/whistles/schemas";
import { readForm } from "~/lib/input.server";
import { serverNow, timeZone } from "~/lib/clock.server";
import { localMonth } from "~/lib/time";

/**
 * A district's composite-score weights by period: each row applies from its
 * month until a later one. `?district=<id>` picks one of the administrator's
 * districts; the first is the default.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const scopes = requireAdminScopes(actor);
  const districts = await db()
    .select({ id: units.id, name: units.name, path: units.path })
    .from(units)
    .where(and(eq(units.kind, "district"), withinAny(units.path, scopes)))
    .orderBy(asc(units.id));
  const wanted = new URL(request.url).searchParams.get("district");
  const district = wanted === null ? districts[0] : districts.find((d) => String(d.id) === wanted);
  if (wanted !== null && !district) throw new Response("Forbidden", { status: 403 });
  if (district && !can(actor, "scoreWeights:set", { districtPath: district.path })) throw new Response("Forbidden", { status: 403 });
  return {
    districts: districts.map((d) => ({ id: d.id, name: d.name })),
    district: district ? { id: district.id, name: district.name } : null,
    periods: district ? await weightPeriods(db(), district.id) : [],
    defaults: { response: DEFAULT_WEIGHTS.response * 100, resolution: DEFAULT_WEIGHTS.resolution * 100, satisfaction: DEFAULT_WEIGHTS.satisfaction * 100, minCases: DEFAULT_MIN_CASES },
    thisMonth: localMonth(serverNow(), timeZone()),
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  requireAdminScopes(actor);
  const submission = parseWithZod(await readForm(request), { schema: weightsSchema });
  if (submission.status !== "success") return submission.reply();
  // The command authorises against the district itself (scoreWeights:set).
  return performForm(
    submission,
    () => setScoreWeights(actor, submission.value),
    () => submission.reply(),
  );
}

export default function AdminWeightsPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const latest = data.periods[0] ?? data.defaults;
  const [form, fields] = useSchemaForm(weightsSchema, {
    id: `weights-${data.district?.id ?? 0}`,
    lastResult,
    defaultValue: { validFrom: data.thisMonth, response: String(latest.response), resolution: String(latest.resolution), satisfaction: String(latest.satisfaction), minCases: String(latest.minCases) },
  });
  const district = data.district;
  return (
    <>
      <h2>{district ? t("weights.title", { name: district.name }) : t("weights.titlePlain")}</h2>
      <p className="muted">{t("weights.lead")}</p>
      {data.districts.length > 1 ? (
        <nav aria-label={t("admin.duty.districts")} className="actions" style={{ marginBottom: 16 }}>
          {data.districts.map((d) => (
            <Link key={d.id} to={`?district=${d.id}`} className={`button button--small${d.id === district?.id ? " button--primary" : ""}`} aria-current={d.id === district?.id ? "page" : undefined}>
              {d.name}
            </Link>
          ))}
        </nav>
      ) : null}
      {!district ? <p className="empty">{t("admin.duty.noDistrict")}</p> : null}
      {district ? (
        <>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t("weights.periods")}>
            <table className="table">
              <caption className="sr-only">{t("weights.periods")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("weights.validFrom")}</th>
                  <th scope="col">{t("dashboard.response")}</th>
                  <th scope="col">{t("dashboard.resolution")}</th>
                  <th scope="col">{t("dashboard.satisfaction")}</th>
                  <th scope="col">{t("weights.minCases")}</th>
                </tr>
              </thead>
              <tbody>
                {data.periods.map((p) => (
                  <tr key={p.validFrom}>
                    <th scope="row">{p.validFrom}</th>
                    <td>{p.response}%</td>
                    <td>{p.resolution}%</td>
                    <td>{p.satisfaction}%</td>
                    <td>{p.minCases}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t("weights.default")}</th>
                  <td>{data.defaults.response}%</td>
                  <td>{data.defaults.resolution}%</td>
                  <td>{data.defaults.satisfaction}%</td>
                  <td>{data.defaults.minCases}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <Form method="post" {...getFormProps(form)} className="card form">
            <h3>{t("weights.set")}</h3>
            {lastResult?.status === "success" ? <FormMessage tone="success" errors={["weights.saved"]} /> : null}
            <FormMessage id={form.errorId} errors={[...(form.errors ?? []), ...(fields.districtId.errors ?? [])]} />
            <input type="hidden" name="districtId" value={district.id} />
            <div className="field" data-invalid={fields.validFrom.errors ? "" : undefined}>
              <label htmlFor={fields.validFrom.id} className="field__label">
                {t("weights.validFrom")}
              </label>
              <p id={`${fields.validFrom.id}-hint`} className="field__hint">
                {t("weights.validFromHint")}
              </p>
              <input {...getInputProps(fields.validFrom, { type: "month", ariaDescribedBy: `${fields.validFrom.id}-hint` })} key={fields.validFrom.key} className="field__input" />
              <FieldErrors id={fields.validFrom.errorId} errors={fields.validFrom.errors} />
            </div>
            <TextField field={fields.response} type="number" inputMode="numeric" label={t("weights.response")} />
            <TextField field={fields.resolution} type="number" inputMode="numeric" label={t("weights.resolution")} />
            <TextField field={fields.satisfaction} type="number" inputMode="numeric" label={t("weights.satisfaction")} hint={t("weights.sumHint")} />
            <TextField field={fields.minCases} type="number" inputMode="numeric" label={t("weights.minCases")} hint={t("weights.minCasesHint")} />
            <SubmitButton className="button button--primary">{t("weights.save")}</SubmitButton>
          </Form>
        </>
      ) : null}
    </>
  );
}
