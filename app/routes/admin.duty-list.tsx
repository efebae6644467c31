import { getCollectionProps, getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { and, asc, eq } from "drizzle-orm";
import type { CSSProperties } from "react";
import { db } from "#db/client.server";
import { departments, units } from "#db/schema";
import { departmentKinds } from "~/modules/units/duty-list";
import { FieldErrors, FormMessage, SubmitButton, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { performForm } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { dutyListSchema, requireAdminScopes } from "~/modules/units/admin-schemas";
import { setDutyList } from "~/modules/units/commands.server";
import { getDutyList, listCategories, withinAny } from "~/modules/units/queries.server";
import { readForm } from "~/lib/input.server";

/**
 * A district's duty list (职责清单): for every category of matter, which kinds
 * of department lead and which co-operate. `?district=<id>` picks one of the
 * administrator's districts; the first is the default.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const scopes = requireAdminScopes(await getActor(context));
  const q = db();
  const districts = await q
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(eq(units.kind, "district"), withinAny(units.path, scopes)))
    .orderBy(asc(units.id));
  const wanted = new URL(request.url).searchParams.get("district");
  const district = wanted === null ? districts[0] : districts.find((d) => String(d.id) === wanted);
  // A district outside the administrator's scope is refused, not quietly replaced.
  if (wanted !== null && !district) throw new Response("Forbidden", { status: 403 });
  if (!district) return { districts, district: null, categories: [], kinds: [] };
  const [categoryRows, duty, ownKinds] = await Promise.all([
    listCategories(q),
    getDutyList(q, district.id),
    q.selectDistinct({ kind: departments.kind }).from(departments).where(eq(departments.districtId, district.id)),
  ]);
  // The default kinds, and any kind only this district's own departments use.
  const kinds = [
    ...departmentKinds.map((k) => ({ code: k.code, zh: k.zh, en: k.en })),
    ...ownKinds.filter((o) => !departmentKinds.some((k) => k.code === o.kind)).map((o) => ({ code: o.kind, zh: o.kind, en: o.kind })),
  ];
  return {
    districts,
    district,
    kinds,
    categories: categoryRows.map((c) => ({
      code: c.code,
      zh: c.nameZh,
      en: c.nameEn,
      lead: duty.get(c.code)?.lead ?? [],
      cooperate: duty.get(c.code)?.cooperate ?? [],
    })),
  };
}

export async function action({
  context,
  request,
}: ActionFunctionArgs): Promise<{ form: string; ok: boolean; result: SubmissionResult<string[]> }> {
  requireUser(context, request);
  const actor = await getActor(context);
  requireAdminScopes(actor);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: dutyListSchema });
  const form = `duty-${String(formData.get("categoryCode"))}`;
  if (submission.status !== "success") return { form, ok: false, result: submission.reply() };
  // Success keeps the ticks as sent: they are now the saved list.
  const result = await performForm(
    submission,
    () => setDutyList(actor, submission.value),
    () => submission.reply(),
  );
  return { form, ok: result.status === "success", result };
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function AdminDutyListPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const district = data.district;
  return (
    <>
      <h2>{district ? t("admin.duty.title", { name: district.name }) : t("admin.duty.titlePlain")}</h2>
      <p className="muted">{t("admin.duty.lead")}</p>
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
      {district && data.categories.length === 0 ? <p className="empty">{t("admin.duty.noCategories")}</p> : null}
      {district ? (
        <ul className="list">
          {data.categories.map((c) => (
            <li key={`${district.id}-${c.code}`} className="list-item">
              <CategoryForm
                districtId={district.id}
                category={c}
                kinds={data.kinds}
                lastResult={answer?.form === `duty-${c.code}` ? answer.result : undefined}
              />
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

const summaryStyle: CSSProperties = { padding: "6px 0", cursor: "pointer" };
const rowStyle: CSSProperties = {
  display: "grid",
  gridTemplateColumns: "1fr 4.5rem 4.5rem",
  alignItems: "center",
  borderBottom: "1px solid var(--line)",
};
const cellStyle: CSSProperties = { display: "flex", justifyContent: "center", alignItems: "center", minHeight: 48, cursor: "pointer" };
const boxStyle: CSSProperties = { width: 24, height: 24, margin: 0, accentColor: "var(--red)" };

function CategoryForm({
  districtId,
  category,
  kinds,
  lastResult,
}: {
  districtId: number;
  category: LoaderData["categories"][number];
  kinds: LoaderData["kinds"];
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t, locale } = useI18n();
  const name = (k: { zh: string; en: string }) => (locale === "en" ? k.en : k.zh);
  const label = new Map(kinds.map((k) => [k.code, name(k)]));
  const [form, fields] = useSchemaForm(dutyListSchema, {
    id: `duty-${category.code}`,
    lastResult,
    defaultValue: { lead: category.lead, cooperate: category.cooperate },
  });
  const codes = kinds.map((k) => k.code);
  const leadBoxes = getCollectionProps(fields.lead, { type: "checkbox", options: codes });
  const cooperateBoxes = getCollectionProps(fields.cooperate, { type: "checkbox", options: codes });
  const names = (list: string[]) =>
    list.length ? list.map((c) => label.get(c) ?? c).join(t("admin.listSeparator")) : t("admin.duty.none");
  return (
    <details open={lastResult !== undefined}>
      <summary style={summaryStyle}>
        <strong>{name(category)}</strong>
        <br />
        <span className="muted">{t("admin.duty.summary", { lead: names(category.lead), cooperate: names(category.cooperate) })}</span>
      </summary>
      <Form method="post" {...getFormProps(form)} className="form" style={{ marginTop: 8 }}>
        {lastResult?.status === "success" ? <FormMessage tone="success" errors={["admin.duty.saved"]} /> : null}
        <FormMessage
          id={form.errorId}
          errors={[...(form.errors ?? []), ...(fields.districtId.errors ?? []), ...(fields.categoryCode.errors ?? [])]}
        />
        <input type="hidden" name="districtId" value={districtId} />
        <input type="hidden" name="categoryCode" value={category.code} />
        <div role="table" aria-label={t("admin.duty.tableLabel", { name: name(category) })}>
          <div role="row" style={{ ...rowStyle, fontWeight: 700 }}>
            <span role="columnheader">{t("admin.duty.kind")}</span>
            <span role="columnheader" style={{ textAlign: "center" }}>
              {t("admin.duty.leadShort")}
            </span>
            <span role="columnheader" style={{ textAlign: "center" }}>
              {t("admin.duty.cooperateShort")}
            </span>
          </div>
          {kinds.map((k, i) => {
            const lead = leadBoxes[i]!;
            const cooperate = cooperateBoxes[i]!;
            return (
              <div role="row" key={k.code} style={rowStyle}>
                <span role="rowheader">{name(k)}</span>
                <label role="cell" style={cellStyle}>
                  <input {...lead} key={lead.key} style={boxStyle} aria-label={t("admin.duty.leadFor", { kind: name(k) })} />
                </label>
                <label role="cell" style={cellStyle}>
                  <input {...cooperate} key={cooperate.key} style={boxStyle} aria-label={t("admin.duty.cooperateFor", { kind: name(k) })} />
                </label>
              </div>
            );
          })}
        </div>
        <FieldErrors id={fields.lead.errorId} errors={fields.lead.errors} />
        <FieldErrors id={fields.cooperate.errorId} errors={fields.cooperate.errors} />
        <SubmitButton intent={`duty-${category.code}`} className="button button--primary">
          {t("admin.duty.submit")}
        </SubmitButton>
      </Form>
    </details>
  );
}
