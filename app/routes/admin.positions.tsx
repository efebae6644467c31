import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { and, asc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "#db/client.server";
import { alleys, departments, positions, units, users, type PositionKind } from "#db/schema";
import { FormMessage, SelectField, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { CommandError } from "~/lib/command.server";
import { performForm } from "~/lib/route.server";
import { isPlatformAdmin } from "~/modules/identity/actor";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/access";
import { assignPosition, positionScope, revokePosition } from "~/modules/identity/positions.server";
import {
  assignPositionSchema,
  parseScope,
  positionKindList,
  requireAdminScopes,
  revokePositionSchema,
} from "~/modules/units/admin-schemas";
import { withinAny } from "~/modules/units/queries.server";
import { readForm } from "~/lib/input.server";

const LIMIT = 500;

/**
 * Active positions whose scope (the unit, the department's district or the
 * alley's subdistrict) lies in the administrator's districts, and what the
 * assignment form may offer there.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const scopes = requireAdminScopes(actor);
  const q = db();
  const departmentDistrict = alias(units, "department_district");
  const alleySubdistrict = alias(units, "alley_subdistrict");
  const parent = alias(units, "parent_unit");
  const scopePath = sql<string>`coalesce(${units.path}, ${departmentDistrict.path}, ${alleySubdistrict.path})`;
  const [held, unitOptions] = await Promise.all([
    q
      .select({
        id: positions.id,
        kind: positions.kind,
        userId: users.id,
        holderName: users.displayName,
        username: users.username,
        unitName: units.name,
        departmentName: departments.name,
        alleyName: alleys.name,
        alleySubdistrictName: alleySubdistrict.name,
        path: scopePath,
        grantedAt: positions.grantedAt,
      })
      .from(positions)
      .innerJoin(users, eq(users.id, positions.userId))
      .leftJoin(units, eq(units.id, positions.unitId))
      .leftJoin(departments, eq(departments.id, positions.departmentId))
      .leftJoin(departmentDistrict, eq(departmentDistrict.id, departments.districtId))
      .leftJoin(alleys, eq(alleys.id, positions.alleyId))
      .leftJoin(alleySubdistrict, eq(alleySubdistrict.id, alleys.subdistrictId))
      .where(and(isNull(positions.revokedAt), or(...scopes.map((s) => sql`${scopePath} like ${`${s}%`}`))))
      .orderBy(asc(scopePath), asc(positions.kind), asc(positions.id))
      .limit(LIMIT),
    q
      .select({ id: units.id, kind: units.kind, name: units.name, parentName: parent.name })
      .from(units)
      .leftJoin(parent, eq(parent.id, units.parentId))
      .where(and(withinAny(units.path, scopes), ne(units.kind, "courtyard")))
      .orderBy(asc(units.path)),
  ]);
  const districtIds = unitOptions.filter((u) => u.kind === "district").map((u) => u.id);
  const subdistrictIds = unitOptions.filter((u) => u.kind === "subdistrict").map((u) => u.id);
  const [departmentOptions, alleyOptions] = await Promise.all([
    districtIds.length
      ? q
          .select({ id: departments.id, name: departments.name, level: departments.level })
          .from(departments)
          .where(inArray(departments.districtId, districtIds))
          .orderBy(asc(departments.districtId), asc(departments.id))
      : [],
    subdistrictIds.length
      ? q
          .select({ id: alleys.id, name: alleys.name, subdistrictName: units.name })
          .from(alleys)
          .innerJoin(units, eq(units.id, alleys.subdistrictId))
          .where(inArray(alleys.subdistrictId, subdistrictIds))
          .orderBy(asc(alleys.subdistrictId), asc(alleys.id))
      : [],
  ]);
  return {
    positions: held.map((p) => ({
      ...p,
      grantedAt: p.grantedAt.toISOString(),
      // The page only hides the button; the command decides again.
      canRevoke:
        can(actor, "position:revoke", { unitPath: p.path, kind: p.kind, holderId: p.userId }) ||
        (p.kind === "alley_chief" && p.userId !== actor.userId && can(actor, "alley:appointChief", { subdistrictPath: p.path })),
    })),
    truncated: held.length === LIMIT,
    kinds: positionKindList.filter((k) => k !== "platform_admin" || isPlatformAdmin(actor)),
    scopeOf: positionScope,
    units: unitOptions,
    departments: departmentOptions,
    alleys: alleyOptions,
  };
}

const SCOPE_FIELDS = ["unitId", "departmentId", "alleyId"];

/** The command names the scope by the id it checked; the form has one scope field. */
function onScopeField(error: unknown): never {
  if (error instanceof CommandError && error.field && SCOPE_FIELDS.includes(error.field)) {
    throw new CommandError(error.messageKey, "scope", error.params);
  }
  throw error;
}

/** Which form an answer belongs to, and whether it worked: a reset reply carries no status of its own. */
type Answer = { form: string; ok: boolean; result: SubmissionResult<string[]> };
const answer = (form: string, result: SubmissionResult<string[]>): Answer => ({ form, ok: result.status !== "error", result });

export async function action({ context, request }: ActionFunctionArgs): Promise<Answer> {
  requireUser(context, request);
  const actor = await getActor(context);
  requireAdminScopes(actor);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "assign") {
    const submission = parseWithZod(formData, { schema: assignPositionSchema });
    if (submission.status !== "success") return answer("assign", submission.reply());
    const { account, kind, scope } = submission.value;
    const result = await performForm(
      submission,
      () => assignPosition(actor, { account, kind, ...parseScope(scope) }).catch(onScopeField),
      () => submission.reply({ resetForm: true }),
    );
    return answer("assign", result);
  }
  if (intent === "revoke") {
    const submission = parseWithZod(formData, { schema: revokePositionSchema });
    if (submission.status !== "success") throw new Response("Bad Request", { status: 400 });
    const result = await performForm(
      submission,
      () => revokePosition(actor, submission.value.positionId),
      () => submission.reply(),
    );
    return answer(`revoke-${submission.value.positionId}`, result);
  }
  throw new Response("Bad Request", { status: 400 });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function AdminPositionsPage() {
  const { t, date } = useI18n();
  const data = useLoaderData<typeof loader>();
  const last = useActionData<typeof action>();
  return (
    <>
      <section className="card" aria-labelledby="assign-title">
        <h2 id="assign-title">{t("admin.positions.assignTitle")}</h2>
        <p className="muted">{t("admin.positions.assignLead")}</p>
        <AssignForm data={data} last={last?.form === "assign" ? last : undefined} />
      </section>
      <section aria-labelledby="held-title">
        <h2 id="held-title">{t("admin.positions.title", { count: data.positions.length })}</h2>
        {last?.form.startsWith("revoke-") && last.ok ? <FormMessage tone="success" errors={["admin.positions.revoked"]} /> : null}
        {data.positions.length === 0 ? <p className="empty">{t("admin.positions.empty")}</p> : null}
        <ul className="list">
          {data.positions.map((p) => (
            <li key={p.id} className="list-item">
              <div className="page-head" style={{ marginBottom: 0 }}>
                <div>
                  <strong>{p.holderName}</strong>
                  {p.username ? <span className="muted"> @{p.username}</span> : null}
                  <br />
                  <span className="pill pill--info">{t(`admin.positionKind.${p.kind}`)}</span>{" "}
                  <span>{p.unitName ?? p.departmentName ?? (p.alleyName ? `${p.alleyName} · ${p.alleySubdistrictName ?? ""}` : "")}</span>
                  <br />
                  <span className="muted">{t("admin.positions.since", { date: date(p.grantedAt, "date") })}</span>
                </div>
                {p.canRevoke ? <RevokeButton id={p.id} name={p.holderName} kind={t(`admin.positionKind.${p.kind}`)} /> : null}
              </div>
            </li>
          ))}
        </ul>
        {data.truncated ? <p className="muted">{t("admin.positions.truncated", { count: data.positions.length })}</p> : null}
      </section>
    </>
  );
}

function RevokeButton({ id, name, kind }: { id: number; name: string; kind: string }) {
  const { t } = useI18n();
  const question = t("admin.positions.revokeConfirm", { name, kind });
  return (
    <Form method="post" onSubmit={(event) => (window.confirm(question) ? undefined : event.preventDefault())}>
      <input type="hidden" name="positionId" value={id} />
      <button
        type="submit"
        name="intent"
        value="revoke"
        className="button button--small"
        aria-label={t("admin.positions.revokeLabel", { name, kind })}
      >
        {t("admin.positions.revoke")}
      </button>
    </Form>
  );
}

/** Whether a scope option fits a kind of position (the same table the command checks). */
function fits(
  scope: LoaderData["scopeOf"][PositionKind],
  option: { type: "unit"; kind: string } | { type: "department"; level: string } | { type: "alley" },
) {
  if (option.type === "unit") return scope.unitKind === option.kind;
  if (option.type === "department") return scope.department === "any" || (scope.department === "station" && option.level === "station");
  return scope.alley === true;
}

function AssignForm({ data, last }: { data: LoaderData; last?: Answer }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(assignPositionSchema, {
    id: "assign",
    lastResult: last?.result,
  });
  // Offer only the places that fit the chosen kind; with no kind chosen (or before the page is interactive) offer all.
  const chosen = data.kinds.find((k) => k === fields.kind.value);
  const scope = chosen ? data.scopeOf[chosen] : undefined;
  const unitOptions = data.units.filter((u) => !scope || fits(scope, { type: "unit", kind: u.kind }));
  const departmentOptions = data.departments.filter((d) => !scope || fits(scope, { type: "department", level: d.level }));
  const alleyOptions = data.alleys.filter(() => !scope || fits(scope, { type: "alley" }));
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      {last?.ok ? <FormMessage tone="success" errors={["admin.positions.assigned"]} /> : null}
      <FormMessage id={form.errorId} errors={form.errors} />
      <TextField field={fields.account} label={t("admin.positions.account")} hint={t("admin.positions.accountHint")} autoComplete="off" />
      <SelectField field={fields.kind} label={t("admin.positions.kind")} placeholder={t("admin.choose")}>
        {data.kinds.map((k) => (
          <option key={k} value={k}>
            {t(`admin.positionKind.${k}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        field={fields.scope}
        label={t("admin.positions.scope")}
        hint={t("admin.positions.scopeHint")}
        placeholder={t("admin.choose")}
      >
        {unitOptions.length ? (
          <optgroup label={t("admin.positions.scopeUnits")}>
            {unitOptions.map((u) => (
              <option key={`unit:${u.id}`} value={`unit:${u.id}`}>
                {u.name +
                  t("admin.parenthesis", {
                    text:
                      u.kind === "community" && u.parentName
                        ? `${t(`admin.unitKind.${u.kind}`)} · ${u.parentName}`
                        : t(`admin.unitKind.${u.kind}`),
                  })}
              </option>
            ))}
          </optgroup>
        ) : null}
        {departmentOptions.length ? (
          <optgroup label={t("admin.positions.scopeDepartments")}>
            {departmentOptions.map((d) => (
              <option key={`department:${d.id}`} value={`department:${d.id}`}>
                {d.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {alleyOptions.length ? (
          <optgroup label={t("admin.positions.scopeAlleys")}>
            {alleyOptions.map((a) => (
              <option key={`alley:${a.id}`} value={`alley:${a.id}`}>
                {`${a.name} · ${a.subdistrictName}`}
              </option>
            ))}
          </optgroup>
        ) : null}
      </SelectField>
      <SubmitButton intent="assign">{t("admin.positions.submit")}</SubmitButton>
    </Form>
  );
}
