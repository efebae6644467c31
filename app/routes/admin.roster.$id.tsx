import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { and, asc, eq, or } from "drizzle-orm";
import { db } from "#db/client.server";
import { departments, rosterEntries } from "#db/schema";
import { FieldErrors, FormMessage, SelectField, SubmitButton, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { idParam, performForm } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/access";
import { formatRosterPeople, rosterEntrySchema, rosterRoles } from "~/modules/units/admin-schemas";
import { setRosterEntry } from "~/modules/units/commands.server";
import { getUnit } from "~/modules/units/queries.server";
import { pageTitle } from "~/lib/meta";
import { queryId, readForm } from "~/lib/input.server";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, ["admin.roster.title", { name: args.data.subdistrict.name }]) : pageTitle(args));

/** The subdistrict, or 404; and the roster permission on it, or 403. */
async function requireRosterManager({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = idParam(params.id);
  const [actor, subdistrict] = await Promise.all([getActor(context), getUnit(db(), id)]);
  if (!subdistrict || subdistrict.kind !== "subdistrict") throw new Response("Not Found", { status: 404 });
  if (!can(actor, "roster:manage", { subdistrictPath: subdistrict.path })) throw new Response("Forbidden", { status: 403 });
  return { actor, subdistrict };
}

/**
 * A subdistrict's 1+5+N roster: the entries with their people, and the
 * departments that may serve on it — the district's own departments and the
 * teams and stations serving this subdistrict.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { subdistrict } = await requireRosterManager(args);
  const q = db();
  const districtId = subdistrict.parentId!;
  const [entries, choices] = await Promise.all([
    q
      .select({
        departmentId: departments.id,
        name: departments.name,
        phone: departments.phone,
        role: rosterEntries.role,
        people: rosterEntries.people,
      })
      .from(rosterEntries)
      .innerJoin(departments, eq(departments.id, rosterEntries.departmentId))
      .where(eq(rosterEntries.subdistrictId, subdistrict.id))
      .orderBy(asc(departments.id)),
    q
      .select({ id: departments.id, name: departments.name, level: departments.level })
      .from(departments)
      .where(
        and(eq(departments.districtId, districtId), or(eq(departments.level, "district"), eq(departments.servesUnitId, subdistrict.id))),
      )
      .orderBy(asc(departments.level), asc(departments.id)),
  ]);
  const editId = queryId(new URL(args.request.url), "edit");
  const editing = entries.find((e) => e.departmentId === editId) ?? null;
  return {
    subdistrict: { id: subdistrict.id, name: subdistrict.name },
    entries,
    choices,
    editing: editing ? { departmentId: editing.departmentId, role: editing.role, people: formatRosterPeople(editing.people) } : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { actor, subdistrict } = await requireRosterManager(args);
  const submission = parseWithZod(await readForm(args.request), { schema: rosterEntrySchema });
  if (submission.status !== "success") return submission.reply();
  return performForm(
    submission,
    () => setRosterEntry(actor, { subdistrictId: subdistrict.id, ...submission.value }),
    // Keep what was sent on screen: it is what is now on the roster.
    () => submission.reply(),
  );
}

export default function AdminRosterPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/admin">← {t("admin.nav.structure")}</Link>
      </p>
      <h2>{t("admin.roster.title", { name: data.subdistrict.name })}</h2>
      <p className="muted">{t("admin.roster.lead")}</p>
      {rosterRoles.map((role) => {
        const rows = data.entries.filter((e) => e.role === role);
        return (
          <section key={role} className="card" aria-labelledby={`role-${role}`}>
            <div className="page-head">
              <h3 id={`role-${role}`} style={{ margin: 0 }}>
                {t(`admin.roster.role.${role}`)}
              </h3>
              <span className="pill pill--info">{t("admin.roster.count", { count: rows.length })}</span>
            </div>
            {rows.length === 0 ? <p className="muted">{t("admin.roster.none")}</p> : null}
            <ul className="list">
              {rows.map((e) => (
                <li key={e.departmentId} className="list-item">
                  <div className="page-head" style={{ marginBottom: 0 }}>
                    <strong>{e.name}</strong>
                    <Link
                      to={`?edit=${e.departmentId}#roster-form`}
                      className="button button--small"
                      aria-label={t("admin.roster.editLabel", { name: e.name })}
                    >
                      {t("admin.roster.edit")}
                    </Link>
                  </div>
                  {e.phone ? (
                    <p className="muted" style={{ margin: 0 }}>
                      {e.phone}
                    </p>
                  ) : null}
                  {e.people.length ? (
                    <ul className="plain-list">
                      {e.people.map((p, i) => (
                        <li key={i}>
                          {p.name}
                          {p.phone ? <span className="muted"> · {p.phone}</span> : null}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="muted" style={{ margin: 0 }}>
                      {t("admin.roster.noPeople")}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <section className="card" id="roster-form" aria-labelledby="roster-form-title">
        <h3 id="roster-form-title">{t("admin.roster.formTitle")}</h3>
        <RosterForm key={data.editing?.departmentId ?? "new"} />
      </section>
    </>
  );
}

function RosterForm() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(rosterEntrySchema, {
    id: "roster",
    lastResult,
    defaultValue: data.editing ?? undefined,
  });
  const peopleHint = `${fields.people.id}-hint`;
  const people = getTextareaProps(fields.people, { ariaDescribedBy: peopleHint });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      {lastResult?.status === "success" ? <FormMessage tone="success" errors={["admin.roster.saved"]} /> : null}
      <FormMessage id={form.errorId} errors={form.errors} />
      <SelectField field={fields.departmentId} label={t("admin.roster.department")} placeholder={t("admin.choose")}>
        {data.choices.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name + t("admin.parenthesis", { text: t(`admin.level.${d.level}`) })}
          </option>
        ))}
      </SelectField>
      <SelectField field={fields.role} label={t("admin.roster.roleLabel")} placeholder={t("admin.choose")}>
        {rosterRoles.map((role) => (
          <option key={role} value={role}>
            {t(`admin.roster.role.${role}`)}
          </option>
        ))}
      </SelectField>
      <div className="field" data-invalid={fields.people.errors ? "" : undefined}>
        <label htmlFor={fields.people.id} className="field__label">
          {t("admin.roster.people")}
        </label>
        <p id={peopleHint} className="field__hint">
          {t("admin.roster.peopleHint")}
        </p>
        <textarea {...people} key={people.key} className="field__input" rows={4} />
        <FieldErrors id={fields.people.errorId} errors={fields.people.errors} />
      </div>
      <SubmitButton>{t("admin.roster.submit")}</SubmitButton>
    </Form>
  );
}
