import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { and, asc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { units } from "#db/schema";
import { FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performForm } from "~/lib/route.server";
import { can } from "~/modules/pledges/permissions";
import { getActor } from "~/modules/identity/actor.server";
import { setStarLevels } from "~/modules/pledges/commands.server";
import { districtStarLevels } from "~/modules/pledges/queries.server";
import { DEFAULT_STAR_HOURS } from "~/modules/pledges/rules";
import { starLevelsSchema } from "~/modules/pledges/schemas";
import { requireAdminScopes } from "~/modules/units/admin-schemas";
import { withinAny } from "~/modules/units/queries.server";

/**
 * A district's volunteer star levels: the cumulative hours each of the five
 * stars takes (service records and dashboards use them). `?district=<id>`
 * picks one of the administrator's districts; the first is the default.
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
  if (district && !can(actor, "starLevels:set", { districtPath: district.path })) throw new Response("Forbidden", { status: 403 });
  return {
    districts: districts.map((d) => ({ id: d.id, name: d.name })),
    district: district ? { id: district.id, name: district.name } : null,
    levels: district ? await districtStarLevels(district.id) : null,
    defaults: [...DEFAULT_STAR_HOURS],
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  requireAdminScopes(actor);
  const submission = parseWithZod(await readForm(request), { schema: starLevelsSchema });
  if (submission.status !== "success") return submission.reply();
  // The command authorises against the district itself (starLevels:set).
  return performForm(
    submission,
    () => setStarLevels(actor, submission.value),
    () => submission.reply(),
  );
}

export default function AdminStarsPage() {
  const { t, date } = useI18n();
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const current = data.levels?.hours ?? data.defaults;
  const [form, fields] = useSchemaForm(starLevelsSchema, {
    id: `stars-${data.district?.id ?? 0}`,
    lastResult,
    defaultValue: Object.fromEntries(current.map((h, i) => [`star${i + 1}`, String(h)])),
  });
  const district = data.district;
  const starFields = [fields.star1, fields.star2, fields.star3, fields.star4, fields.star5];
  return (
    <>
      <h2>{district ? t("stars.title", { name: district.name }) : t("stars.titlePlain")}</h2>
      <p className="muted">{t("stars.lead")}</p>
      {data.districts.length > 1 ? (
        <nav aria-label={t("admin.duty.districts")} className="actions" style={{ marginBottom: 16 }}>
          {data.districts.map((d) => (
            <Link
              key={d.id}
              to={`?district=${d.id}`}
              className={`button button--small${d.id === district?.id ? " button--primary" : ""}`}
              aria-current={d.id === district?.id ? "page" : undefined}
            >
              {d.name}
            </Link>
          ))}
        </nav>
      ) : null}
      {!district ? <p className="empty">{t("admin.duty.noDistrict")}</p> : null}
      {district ? (
        <>
          <div className="card">
            <h3>{data.levels ? t("stars.current") : t("stars.default")}</h3>
            <p data-testid="star-levels">{current.map((h, i) => `${t("stars.star", { n: i + 1 })} ${h}`).join(" · ")}</p>
            {data.levels ? <p className="muted">{t("stars.setAt", { time: date(data.levels.setAt) })}</p> : null}
          </div>
          <Form method="post" {...getFormProps(form)} className="card form">
            {lastResult?.status === "success" ? <FormMessage tone="success" errors={["stars.saved"]} /> : null}
            <FormMessage id={form.errorId} errors={[...(form.errors ?? []), ...(fields.districtId.errors ?? [])]} />
            <p className="field__hint">{t("stars.hint")}</p>
            <input type="hidden" name="districtId" value={district.id} />
            {starFields.map((field, i) => (
              <TextField key={field.name} field={field} type="number" inputMode="numeric" label={t("stars.hoursLabel", { n: i + 1 })} />
            ))}
            <SubmitButton className="button button--primary">{t("stars.save")}</SubmitButton>
          </Form>
        </>
      ) : null}
    </>
  );
}
