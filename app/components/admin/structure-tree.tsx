import { getFormProps } from "@conform-to/react";
import type { SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import type { UnitKind } from "#db/schema";
import { FormMessage, SelectField, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import { createAlleySchema, createDepartmentSchema, createUnitSchema, departmentLevelList } from "~/modules/units/admin-schemas";
import type { adminTree } from "~/modules/units/queries.server";

/** The structure page's data as the page receives it. */
export type StructureData = SerializeFrom<typeof adminTree>;
type UnitRow = StructureData["units"][number];

/** Which parent field names the form an answer belongs to (several forms of each kind share the page). */
const FORM_KEY: Record<string, string> = { unit: "parentId", department: "districtId", alley: "subdistrictId" };

/** The last answer, if it was to this form: named by `data` when done, by what was sent when refused. */
function useAnswer(form: string) {
  const last = useActionData<IntentReply>();
  if (!last) return undefined;
  const key = FORM_KEY[last.intent] ?? "";
  const parent = last.ok ? last.data?.[key] : (last.reply.initialValue as Record<string, unknown> | null | undefined)?.[key];
  return `${last.intent}-${String(parent)}` === form ? last : undefined;
}

export function RootUnit({ unit, byParent, data }: { unit: UnitRow; byParent: Map<number | null, UnitRow[]>; data: StructureData }) {
  const { t } = useI18n();
  const children = byParent.get(unit.id) ?? [];
  return (
    <>
      <section className="card" aria-labelledby={`unit-${unit.id}-title`}>
        <div className="page-head">
          <h3 id={`unit-${unit.id}-title`} className="tree__root-title">
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

function Subdistrict({ unit, byParent, data }: { unit: UnitRow; byParent: Map<number | null, UnitRow[]>; data: StructureData }) {
  const { t } = useI18n();
  const communities = byParent.get(unit.id) ?? [];
  const alleyRows = data.alleys.filter((a) => a.subdistrictId === unit.id);
  const last = useAnswer(`alley-${unit.id}`);
  return (
    <li className="list-item">
      <div className="page-head tree__head">
        <strong>{unit.name}</strong>
        <Link to={`/admin/roster/${unit.id}`} className="button button--small">
          {t("admin.structure.roster")}
        </Link>
      </div>
      <p className="muted tree__meta">{t("admin.structure.counts", { communities: communities.length, alleys: alleyRows.length })}</p>
      {communities.length ? (
        <ul className="tree__nested" aria-label={t("admin.structure.childrenOf", { name: unit.name })}>
          {communities.map((c) => (
            <li key={c.id}>
              <UnitBranch unit={c} byParent={byParent} data={data} />
            </li>
          ))}
        </ul>
      ) : null}
      <AddChild unit={unit} data={data} />
      <details open={last !== undefined}>
        <summary className="tree__summary">{t("admin.structure.alleys", { count: alleyRows.length })}</summary>
        {alleyRows.length ? (
          <ul className="list tree__list">
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
function UnitBranch({ unit, byParent, data }: { unit: UnitRow; byParent: Map<number | null, UnitRow[]>; data: StructureData }) {
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
      <summary className="tree__summary">
        {unit.name}
        {children.length ? <span className="muted">({children.length})</span> : null}
      </summary>
      {children.length ? (
        <ul className="tree__nested">
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

function AddChild({ unit, data }: { unit: UnitRow; data: StructureData }) {
  const { t } = useI18n();
  const kind = data.childKind[unit.kind];
  const last = useAnswer(`unit-${unit.id}`);
  if (!kind) return null;
  return (
    <details open={last !== undefined}>
      <summary className="tree__summary tree__summary--add">
        <span aria-hidden="true">+ </span>
        {t(`admin.structure.add.${kind}`)}
      </summary>
      <AddUnitForm parentId={unit.id} kind={kind} last={last} />
    </details>
  );
}

function AddUnitForm({ parentId, kind, last }: { parentId: number; kind: UnitKind; last?: IntentReply }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(createUnitSchema, {
    id: `unit-${parentId}`,
    lastResult: last?.reply,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form tree__form">
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

function AddAlleyForm({ subdistrictId, last }: { subdistrictId: number; last?: IntentReply }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(createAlleySchema, {
    id: `alley-${subdistrictId}`,
    lastResult: last?.reply,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form tree__form">
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
  data: StructureData;
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
        <summary className="tree__summary">{t("admin.departments.count", { count: rows.length })}</summary>
        {rows.length === 0 ? <p className="muted">{t("admin.departments.empty")}</p> : null}
        <ul className="list">
          {rows.map((d) => (
            <li key={d.id} className="list-item">
              <strong>{d.name}</strong>{" "}
              <span className={`pill ${d.level === "district" ? "pill--info" : "pill--ok"}`}>{t(`admin.level.${d.level}`)}</span>
              <p className="muted tree__meta">
                {kindLabel.get(d.kind) ?? d.kind}
                {d.servesName ? ` · ${t("admin.departments.serves", { name: d.servesName })}` : ""}
                {d.phone ? ` · ${d.phone}` : ""}
              </p>
            </li>
          ))}
        </ul>
      </details>
      <details open={last !== undefined}>
        <summary className="tree__summary tree__summary--add">
          <span aria-hidden="true">+ </span>
          {t("admin.departments.add")}
        </summary>
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
  kinds: StructureData["departmentKinds"];
  last?: IntentReply;
}) {
  const { t, locale } = useI18n();
  const [form, fields] = useSchemaForm(createDepartmentSchema, {
    id: `department-${districtId}`,
    lastResult: last?.reply,
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
