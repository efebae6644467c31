import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { and, asc, eq, inArray } from "drizzle-orm";
import { db } from "#db/client.server";
import { departments, units } from "#db/schema";
import { FieldErrors, FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { DepartmentPicker } from "~/components/whistles/department-picker";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/whistles";
import { requireUser } from "~/lib/auth.server";
import { CommandError } from "~/lib/command.server";
import { performForm } from "~/lib/route.server";
import { COMMUNITY_STAFF, pathIds, SUBDISTRICT_STAFF, type Actor } from "~/modules/identity/actor";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/access";
import { listCategories } from "~/modules/units/queries.server";
import { blowWhistle } from "~/modules/whistles/commands.server";
import { newWhistleSchema, WHISTLING_UNIT } from "~/modules/whistles/schemas";
import { pageTitle } from "~/lib/meta";
import { readForm } from "~/lib/input.server";
import { localToInstant } from "~/lib/time";
import { timeZone } from "~/lib/clock.server";

export const meta: MetaFunction = (args) => pageTitle(args, "whistle.new");

/**
 * The units this person may whistle from: subdistricts they are staff of (any
 * department of the district), and communities they are staff of (only the
 * stations serving their subdistrict: 社区吹哨、科站队所报到).
 */
async function whistlingUnits(actor: Actor) {
  const ids = actor.positions.filter((p) => p.unitId !== null && [...SUBDISTRICT_STAFF, ...COMMUNITY_STAFF].includes(p.kind)).map((p) => p.unitId!);
  if (ids.length === 0) return [];
  const rows = await db().select({ id: units.id, kind: units.kind, name: units.name, path: units.path, parentId: units.parentId }).from(units).where(inArray(units.id, [...new Set(ids)])).orderBy(asc(units.id));
  return rows
    .filter((u) => u.kind === "subdistrict" || u.kind === "community")
    .filter((u) => (u.kind === "subdistrict" ? can(actor, "whistle:blow", { subdistrictPath: u.path }) : can(actor, "whistle:blow", { subdistrictPath: u.path.split("/").slice(0, -2).join("/") + "/", communityPath: u.path })))
    .map((u) => ({ key: `${u.kind}:${u.id}`, kind: u.kind as "subdistrict" | "community", id: u.id, name: u.name, path: u.path, subdistrictId: u.kind === "subdistrict" ? u.id : u.parentId! }));
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const choices = await whistlingUnits(actor);
  if (choices.length === 0) throw new Response("Forbidden", { status: 403 });
  const wanted = new URL(request.url).searchParams.get("unit");
  const unit = wanted === null ? choices[0]! : choices.find((c) => c.key === wanted);
  if (!unit) throw new Response("Forbidden", { status: 403 });
  const districtId = pathIds(unit.path)[1]!;
  const [categoryRows, departmentRows] = await Promise.all([
    listCategories(db()),
    db()
      .select({ id: departments.id, name: departments.name, level: departments.level, servesUnitId: departments.servesUnitId })
      .from(departments)
      .where(unit.kind === "community" ? and(eq(departments.districtId, districtId), eq(departments.level, "station"), eq(departments.servesUnitId, unit.subdistrictId)) : eq(departments.districtId, districtId))
      .orderBy(asc(departments.id)),
  ]);
  return {
    units: choices.map((c) => ({ key: c.key, kind: c.kind, name: c.name })),
    unit: { key: unit.key, kind: unit.kind, name: unit.name },
    categories: categoryRows.map((c) => ({ code: c.code, zh: c.nameZh, en: c.nameEn })),
    departments: departmentRows.map((d) => ({ id: d.id, name: d.name })),
    clientKey: crypto.randomUUID(),
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const submission = parseWithZod(await readForm(request), { schema: newWhistleSchema });
  if (submission.status !== "success") return submission.reply();
  const v = submission.value;
  const [, kind, id] = WHISTLING_UNIT.exec(v.unit)!;
  const due = v.keyTaskDueAt ? localToInstant(v.keyTaskDueAt, timeZone()) : null;
  // The command authorises (whistle:blow for the subdistrict, or for the community and its stations only).
  const result = await performForm(
    submission,
    () =>
      onField(blowWhistle(actor, {
        ...(kind === "community" ? { communityId: Number(id) } : { subdistrictId: Number(id) }),
        clientKey: v.clientKey,
        title: v.title,
        description: v.description,
        categoryCode: v.categoryCode,
        address: v.address,
        kind: v.kind,
        leadIds: v.lead,
        cooperateIds: v.cooperate,
        instructions: v.instructions,
        keyTaskDueAt: due ?? undefined,
      })),
    (w) => redirect(`/whistles/${w.id}`),
  );
  return result;
}

/** The command names its fields as it takes them (leadIds); the form calls that one "lead". */
async function onField<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof CommandError && error.field === "leadIds") throw new CommandError(error.messageKey, "lead", error.params);
    throw error;
  }
}

export default function NewWhistle() {
  const { t, locale, punct } = useI18n();
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(newWhistleSchema, {
    id: `whistle-${data.unit.key}`,
    lastResult,
    defaultValue: { unit: data.unit.key, clientKey: data.clientKey, kind: data.unit.kind === "community" ? "resident_request" : "emergency" },
  });
  const kinds = ["emergency", "enforcement", "key_task", "resident_request"] as const;
  return (
    <div className="page narrow">
      <h1>{t("whistle.new")}</h1>
      <p className="muted">{data.unit.kind === "community" ? t("whistle.newCommunityLead") : t("whistle.newSubdistrictLead")}</p>
      {data.units.length > 1 ? (
        <nav aria-label={t("whistle.fromUnit")} className="actions" style={{ marginBottom: 16 }}>
          {data.units.map((u) => (
            <Link key={u.key} to={`?unit=${u.key}`} className={`button button--small${u.key === data.unit.key ? " button--primary" : ""}`} aria-current={u.key === data.unit.key ? "page" : undefined}>
              {u.name}
            </Link>
          ))}
        </nav>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormMessage id={form.errorId} errors={[...(form.errors ?? []), ...(fields.unit.errors ?? []), ...(fields.clientKey.errors ?? [])]} />
        <input {...getInputProps(fields.unit, { type: "hidden" })} key={fields.unit.key} />
        <input {...getInputProps(fields.clientKey, { type: "hidden" })} key={fields.clientKey.key} />
        <p>
          <strong>{t("whistle.fromUnit")}</strong>{punct.colon}{data.unit.name}
        </p>
        <div className="field" data-invalid={fields.kind.errors ? "" : undefined}>
          <label htmlFor={fields.kind.id} className="field__label">
            {t("whistle.kindLabel")}
          </label>
          <select {...getSelectProps(fields.kind)} key={fields.kind.key} className="field__input">
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(`whistle.kind.${k}`)}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.kind.errorId} errors={fields.kind.errors} />
        </div>
        <TextField field={fields.title} label={t("whistle.titleLabel")} />
        <div className="field" data-invalid={fields.description.errors ? "" : undefined}>
          <label htmlFor={fields.description.id} className="field__label">
            {t("whistle.descriptionLabel")}
          </label>
          <textarea {...getTextareaProps(fields.description)} key={fields.description.key} className="field__input" rows={4} />
          <FieldErrors id={fields.description.errorId} errors={fields.description.errors} />
        </div>
        <div className="field" data-invalid={fields.categoryCode.errors ? "" : undefined}>
          <label htmlFor={fields.categoryCode.id} className="field__label">
            {t("whistle.category")}
          </label>
          <select {...getSelectProps(fields.categoryCode)} key={fields.categoryCode.key} className="field__input">
            <option value="">{t("whistle.chooseCategory")}</option>
            {data.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {locale === "en" ? c.en : c.zh}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.categoryCode.errorId} errors={fields.categoryCode.errors} />
        </div>
        <TextField field={fields.address} label={t("whistle.addressLabel")} />
        <fieldset className="field" data-invalid={fields.lead.errors ? "" : undefined}>
          <legend className="field__label">{data.unit.kind === "community" ? t("whistle.stations") : t("whistle.departments")}</legend>
          {data.departments.length === 0 ? <p className="empty">{t("whistle.noStations")}</p> : null}
          <DepartmentPicker departments={data.departments} leadName={fields.lead.name} cooperateName={fields.cooperate.name} />
          <FieldErrors id={fields.lead.errorId} errors={fields.lead.errors} />
        </fieldset>
        <div className="field" data-invalid={fields.keyTaskDueAt.errors ? "" : undefined}>
          <label htmlFor={fields.keyTaskDueAt.id} className="field__label">
            {t("whistle.keyTaskDue")}
          </label>
          <input {...getInputProps(fields.keyTaskDueAt, { type: "datetime-local" })} key={fields.keyTaskDueAt.key} className="field__input" />
          <FieldErrors id={fields.keyTaskDueAt.errorId} errors={fields.keyTaskDueAt.errors} />
        </div>
        <div className="field" data-invalid={fields.instructions.errors ? "" : undefined}>
          <label htmlFor={fields.instructions.id} className="field__label">
            {t("whistle.instructions")}
          </label>
          <textarea {...getTextareaProps(fields.instructions)} key={fields.instructions.key} className="field__input" />
          <FieldErrors id={fields.instructions.errorId} errors={fields.instructions.errors} />
        </div>
        <SubmitButton className="button button--primary">{t("whistle.blowButton")}</SubmitButton>
      </Form>
    </div>
  );
}
