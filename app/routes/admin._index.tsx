import { getFormProps, getSelectProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { CSSProperties, ReactNode } from "react";
import { db } from "#db/client.server";
import { alleys, departments, units, users, type UnitKind } from "#db/schema";
import { departmentKinds } from "~/modules/units/duty-list";
import { FieldErrors, FormMessage, SubmitButton, TextField } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { performForm } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import {
  createAlleySchema,
  createDepartmentSchema,
  createUnitSchema,
  departmentLevelList,
  requireAdminScopes,
} from "~/modules/units/admin-schemas";
import { childKind, createAlley, createDepartment, createUnit } from "~/modules/units/commands.server";
import { withinAny } from "~/modules/units/queries.server";
import { readForm } from "~/lib/input.server";

/**
 * The governance tree an administrator manages, in three queries whatever its
 * size: every unit under their scopes (one LIKE on the materialised path), the
 * departments of those districts, the alleys of those subdistricts.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const scopes = requireAdminScopes(await getActor(context));
  const q = db();
  const unitRows = await q
    .select({ id: units.id, parentId: units.parentId, kind: units.kind, name: units.name, address: units.address })
    .from(units)
    .where(withinAny(units.path, scopes))
    .orderBy(asc(units.id));
  const districtIds = unitRows.filter((u) => u.kind === "district").map((u) => u.id);
  const subdistrictIds = unitRows.filter((u) => u.kind === "subdistrict").map((u) => u.id);
  const served = alias(units, "served_unit");
  const [departmentRows, alleyRows] = await Promise.all([
    districtIds.length
      ? q
          .select({
            id: departments.id,
            districtId: departments.districtId,
            name: departments.name,
            kind: departments.kind,
            level: departments.level,
            phone: departments.phone,
            servesName: served.name,
          })
          .from(departments)
          .leftJoin(served, eq(served.id, departments.servesUnitId))
          .where(inArray(departments.districtId, districtIds))
          .orderBy(asc(departments.id))
      : [],
    subdistrictIds.length
      ? q
          .select({ id: alleys.id, subdistrictId: alleys.subdistrictId, name: alleys.name, chiefName: users.displayName })
          .from(alleys)
          .leftJoin(users, eq(users.id, alleys.chiefUserId))
          .where(inArray(alleys.subdistrictId, subdistrictIds))
          .orderBy(asc(alleys.id))
      : [],
  ]);
  return {
    units: unitRows,
    departments: departmentRows,
    alleys: alleyRows,
    departmentKinds: departmentKinds.map((k) => ({ code: k.code, zh: k.zh, en: k.en })),
    childKind,
  };
}

/**
 * Which form an answer belongs to (several of each kind share the page), and
 * whether it worked: a reset reply carries no status of its own.
 */
type Answer = { form: string; ok: boolean; result: SubmissionResult<string[]> };
const answer = (form: string, result: SubmissionResult<string[]>): Answer => ({ form, ok: result.status !== "error", result });

export async function action({ context, request }: ActionFunctionArgs): Promise<Answer> {
  requireUser(context, request);
  const actor = await getActor(context);
  requireAdminScopes(actor);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "unit") {
    const submission = parseWithZod(formData, { schema: createUnitSchema });
    const form = `unit-${String(formData.get("parentId"))}`;
    if (submission.status !== "success") return answer(form, submission.reply());
    const result = await performForm(
      submission,
      () => createUnit(actor, submission.value),
      () => submission.reply({ resetForm: true }),
    );
    return answer(form, result);
  }
  if (intent === "department") {
    const submission = parseWithZod(formData, { schema: createDepartmentSchema });
    const form = `department-${String(formData.get("districtId"))}`;
    if (submission.status !== "success") return answer(form, submission.reply());
    const result = await performForm(
      submission,
      () => createDepartment(actor, submission.value),
      () => submission.reply({ resetForm: true }),
    );
    return answer(form, result);
  }
  if (intent === "alley") {
    const submission = parseWithZod(formData, { schema: createAlleySchema });
    const form = `alley-${String(formData.get("subdistrictId"))}`;
    if (submission.status !== "success") return answer(form, submission.reply());
    const result = await performForm(
      submission,
      () => createAlley(actor, submission.value),
      () => submission.reply({ resetForm: true }),
    );
    return answer(form, result);
  }
  throw new Response("Bad Request", { status: 400 });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type UnitRow = LoaderData["units"][number];

// A disclosure's summary keeps its ▸ marker (it shows there is more) and is a tap target like a button (design.md: ≥ 44 px).
const summaryStyle: CSSProperties = { padding: "10px 0", cursor: "pointer", fontWeight: 600 };
// "Add …" disclosures read as actions.
const addStyle: CSSProperties = { ...summaryStyle, color: "var(--info)" };
const nestedStyle: CSSProperties = {
  listStyle: "none",
  margin: "8px 0 0",
  padding: "0 0 0 12px",
  borderLeft: "3px solid var(--line)",
  display: "grid",
  gap: 6,
};

/** The last answer, if it was to this form. */
function useAnswer(form: string) {
  const last = useActionData<typeof action>();
  return last?.form === form ? last : undefined;
}

export default function AdminStructurePage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const byParent = new Map<number | null, UnitRow[]>();
  const ids = new Set(data.units.map((u) => u.id));
  for (const u of data.units) {
    // A unit whose parent lies outside the scope is a root of the tree shown (a district, or a city for the platform).
    const parent = u.parentId !== null && ids.has(u.parentId) ? u.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), u]);
  }
  const roots = byParent.get(null) ?? [];
  return (
    <>
      <h2>{t("admin.structure.title")}</h2>
      <p className="muted">{t("admin.structure.lead")}</p>
      {roots.length === 0 ? <p className="empty">{t("admin.structure.empty")}</p> : null}
      {roots.map((root) => (
        <RootUnit key={root.id} unit={root} byParent={byParent} data={data} />
      ))}
    </>
  );
}

function RootUnit({ unit, byParent, data }: { unit: UnitRow; byParent: Map<number | null, UnitRow[]>; data: LoaderData }) {
  const { t } = useI18n();
  const children = byParent.get(unit.id) ?? [];
  return (
    <>
      <section className="card" aria-labelledby={`unit-${unit.id}-title`}>
        <div className="page-head">
          <h3 id={`unit-${unit.id}-title`} style={{ margin: 0, fontSize: "1.2rem" }}>
            {unit.name}
          </h3>
          <span className="pill pill--info">{t(`admin.unitKind.${unit.kind}`)}</span>
        </div>
        {children.length === 0 ? <p className="muted">{t("admin.structure.noChildren")}</p> : null}
        <ul className="list">
          {children.map((child) =>
            child.kind === "subdistrict" ? (
              <Subdistrict key={child.id} unit={child} byParent={byParent} data={data} />
            ) : (
              <li key={child.id} className="list-item">
                <UnitBranch unit={child} byParent={byParent} data={data} />
              </li>
            ),
          )}
        </ul>
        <AddChild unit={unit} data={data} />
      </section>
      {unit.kind === "district" ? <DistrictDepartments district={unit} byParent={byParent} data={data} /> : null}
    </>
  );
}

function Subdistrict({ unit, byParent, data }: { unit: UnitRow; byParent: Map<number | null, UnitRow[]>; data: LoaderData }) {
  const { t } = useI18n();
  const communities = byParent.get(unit.id) ?? [];
  const alleyRows = data.alleys.filter((a) => a.subdistrictId === unit.id);
  const last = useAnswer(`alley-${unit.id}`);
  return (
    <li className="list-item">
      <div className="page-head" style={{ marginBottom: 4 }}>
        <strong>{unit.name}</strong>
        <Link to={`/admin/roster/${unit.id}`} className="button button--small">
          {t("admin.structure.roster")}
        </Link>
      </div>
      <p className="muted" style={{ margin: 0 }}>
        {t("admin.structure.counts", { communities: communities.length, alleys: alleyRows.length })}
      </p>
      {communities.length ? (
        <ul style={nestedStyle} aria-label={t("admin.structure.childrenOf", { name: unit.name })}>
          {communities.map((c) => (
            <li key={c.id}>
              <UnitBranch unit={c} byParent={byParent} data={data} />
            </li>
          ))}
        </ul>
      ) : null}
      <AddChild unit={unit} data={data} />
      <details open={last !== undefined}>
        <summary style={summaryStyle}>{t("admin.structure.alleys", { count: alleyRows.length })}</summary>
        {alleyRows.length ? (
          <ul className="list" style={{ marginBottom: 12 }}>
            {alleyRows.map((a) => (
              <li key={a.id} className="list-item">
                {a.name}
                <span className="muted">
                  {" "}
                  · {a.chiefName ? t("admin.structure.alleyChief", { name: a.chiefName }) : t("admin.structure.alleyNoChief")}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
        <AddAlleyForm subdistrictId={unit.id} last={last} />
      </details>
    </li>
  );
}

/** A community (or a unit below it) with what lies under it, collapsed. */
function UnitBranch({ unit, byParent, data }: { unit: UnitRow; byParent: Map<number | null, UnitRow[]>; data: LoaderData }) {
  const { t } = useI18n();
  const children = byParent.get(unit.id) ?? [];
  const canHaveChildren = data.childKind[unit.kind] !== undefined;
  if (!canHaveChildren) {
    return (
      <span>
        {unit.name} <span className="pill pill--info">{t(`admin.unitKind.${unit.kind}`)}</span>
      </span>
    );
  }
  return (
    <details>
      <summary style={summaryStyle}>
        {unit.name}
        {children.length ? <span className="muted">({children.length})</span> : null}
      </summary>
      {children.length ? (
        <ul style={nestedStyle}>
          {children.map((c) => (
            <li key={c.id}>
              <UnitBranch unit={c} byParent={byParent} data={data} />
            </li>
          ))}
        </ul>
      ) : null}
      <AddChild unit={unit} data={data} />
    </details>
  );
}

function AddChild({ unit, data }: { unit: UnitRow; data: LoaderData }) {
  const { t } = useI18n();
  const kind = data.childKind[unit.kind];
  const last = useAnswer(`unit-${unit.id}`);
  if (!kind) return null;
  return (
    <details open={last !== undefined}>
      <summary style={addStyle}>＋ {t(`admin.structure.add.${kind}`)}</summary>
      <AddUnitForm parentId={unit.id} kind={kind} last={last} />
    </details>
  );
}

function AddUnitForm({ parentId, kind, last }: { parentId: number; kind: UnitKind; last?: Answer }) {
  const { t } = useI18n();
  const [form, fields] = useForm({
    id: `unit-${parentId}`,
    lastResult: last?.result,
    constraint: getZodConstraint(createUnitSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createUnitSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form" style={{ marginBottom: 12 }}>
      {last?.ok ? <FormMessage tone="success" errors={["admin.structure.added"]} /> : null}
      <FormMessage id={form.errorId} errors={[...(form.errors ?? []), ...(fields.parentId.errors ?? [])]} />
      <input type="hidden" name="parentId" value={parentId} />
      <TextField field={fields.name} label={t(`admin.structure.name.${kind}`)} />
      <TextField field={fields.address} label={t("admin.structure.address")} hint={t("admin.optional")} />
      <SubmitButton intent="unit" className="button button--primary">
        {t(`admin.structure.add.${kind}`)}
      </SubmitButton>
    </Form>
  );
}

function AddAlleyForm({ subdistrictId, last }: { subdistrictId: number; last?: Answer }) {
  const { t } = useI18n();
  const [form, fields] = useForm({
    id: `alley-${subdistrictId}`,
    lastResult: last?.result,
    constraint: getZodConstraint(createAlleySchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createAlleySchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form" style={{ marginBottom: 12 }}>
      {last?.ok ? <FormMessage tone="success" errors={["admin.structure.added"]} /> : null}
      <FormMessage id={form.errorId} errors={[...(form.errors ?? []), ...(fields.subdistrictId.errors ?? [])]} />
      <input type="hidden" name="subdistrictId" value={subdistrictId} />
      <TextField field={fields.name} label={t("admin.alley.name")} />
      <TextField
        field={fields.chiefContact}
        label={t("admin.alley.chiefContact")}
        hint={t("admin.alley.chiefContactHint")}
        inputMode="tel"
      />
      <TextField field={fields.description} label={t("admin.alley.description")} hint={t("admin.optional")} />
      <SubmitButton intent="alley" className="button button--primary">
        {t("admin.alley.submit")}
      </SubmitButton>
    </Form>
  );
}

function DistrictDepartments({
  district,
  byParent,
  data,
}: {
  district: UnitRow;
  byParent: Map<number | null, UnitRow[]>;
  data: LoaderData;
}) {
  const { t, locale } = useI18n();
  const rows = data.departments.filter((d) => d.districtId === district.id);
  const kindLabel = new Map(data.departmentKinds.map((k) => [k.code, locale === "en" ? k.en : k.zh]));
  const subdistricts = (byParent.get(district.id) ?? []).filter((u) => u.kind === "subdistrict");
  const last = useAnswer(`department-${district.id}`);
  return (
    <section className="card" aria-labelledby={`departments-${district.id}-title`}>
      <h3 id={`departments-${district.id}-title`}>{t("admin.departments.title", { name: district.name })}</h3>
      <details>
        <summary style={summaryStyle}>{t("admin.departments.count", { count: rows.length })}</summary>
        {rows.length === 0 ? <p className="muted">{t("admin.departments.empty")}</p> : null}
        <ul className="list">
          {rows.map((d) => (
            <li key={d.id} className="list-item">
              <strong>{d.name}</strong>{" "}
              <span className={`pill ${d.level === "district" ? "pill--info" : "pill--ok"}`}>{t(`admin.level.${d.level}`)}</span>
              <p className="muted" style={{ margin: 0 }}>
                {kindLabel.get(d.kind) ?? d.kind}
                {d.servesName ? ` · ${t("admin.departments.serves", { name: d.servesName })}` : ""}
                {d.phone ? ` · ${d.phone}` : ""}
              </p>
            </li>
          ))}
        </ul>
      </details>
      <details open={last !== undefined}>
        <summary style={addStyle}>＋ {t("admin.departments.add")}</summary>
        <AddDepartmentForm districtId={district.id} subdistricts={subdistricts} kinds={data.departmentKinds} last={last} />
      </details>
    </section>
  );
}

function AddDepartmentForm({
  districtId,
  subdistricts,
  kinds,
  last,
}: {
  districtId: number;
  subdistricts: UnitRow[];
  kinds: LoaderData["departmentKinds"];
  last?: Answer;
}) {
  const { t, locale } = useI18n();
  const [form, fields] = useForm({
    id: `department-${districtId}`,
    lastResult: last?.result,
    constraint: getZodConstraint(createDepartmentSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createDepartmentSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      {last?.ok ? <FormMessage tone="success" errors={["admin.structure.added"]} /> : null}
      <FormMessage id={form.errorId} errors={[...(form.errors ?? []), ...(fields.districtId.errors ?? [])]} />
      <input type="hidden" name="districtId" value={districtId} />
      <TextField field={fields.name} label={t("admin.departments.name")} hint={t("admin.departments.nameHint")} />
      <SelectField field={fields.kind} label={t("admin.departments.kind")} placeholder={t("admin.choose")}>
        {kinds.map((k) => (
          <option key={k.code} value={k.code}>
            {locale === "en" ? k.en : k.zh}
          </option>
        ))}
      </SelectField>
      <SelectField field={fields.level} label={t("admin.departments.level")} placeholder={t("admin.choose")}>
        {departmentLevelList.map((level) => (
          <option key={level} value={level}>
            {t(`admin.level.${level}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        field={fields.servesUnitId}
        label={t("admin.departments.serves.label")}
        hint={t("admin.departments.serves.hint")}
        placeholder={t("admin.departments.serves.none")}
      >
        {subdistricts.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <TextField field={fields.phone} label={t("admin.departments.phone")} hint={t("admin.optional")} type="tel" inputMode="tel" />
      <SubmitButton intent="department" className="button button--primary">
        {t("admin.departments.submit")}
      </SubmitButton>
    </Form>
  );
}

function SelectField({
  field,
  label,
  hint,
  placeholder,
  children,
}: {
  field: FieldMetadata<string | number | undefined>;
  label: string;
  hint?: string;
  placeholder: string;
  children: ReactNode;
}) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const props = getSelectProps(field, { ariaDescribedBy: hintId });
  return (
    <div className="field" data-invalid={field.errors ? "" : undefined}>
      <label htmlFor={field.id} className="field__label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <select {...props} key={props.key} className="field__input">
        <option value="">{placeholder}</option>
        {children}
      </select>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}
