import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { pledgeCategoryCodes } from "#db/schema/values";
import { CheckboxField, DateTimeField, FieldErrors, FormMessage, SelectField, SubmitButton, TextAreaField, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { editProjectSchema, MAX_CUSTOM_CRITERIA, projectSchema, standardCriteria } from "~/modules/projects/schemas";

/** What the form starts with: a new call (perhaps from a need or proposal), or the call being edited. */
export interface ProjectFormDefaults {
  unitId: number;
  units: { id: number; name: string }[];
  title?: string;
  scope?: string;
  category?: string;
  budgetCap?: number;
  periodStart?: string;
  periodEnd?: string;
  minMonthsVerified?: number;
  localOnly?: boolean;
  weights?: Record<string, string>;
  custom?: { label: string; weight: string }[];
  questionsCloseAt?: string;
  bidDeadline?: string;
  noticeDays?: number;
  needId?: number | null;
  proposalId?: number | null;
  clientKey?: string;
}

const str = (v: number | null | undefined) => (v === null || v === undefined ? undefined : String(v));

/**
 * The call's terms: buyer, title, scope, category, budget cap, service
 * period, eligibility, the criteria with their weights (a live sum; the
 * server checks again and answers beside them), the question window and the
 * bid deadline, the notice days. Used to create (`create`) and to edit (`edit`).
 */
export function ProjectForm({ intent, defaults, lastResult }: { intent: "create" | "edit"; defaults: ProjectFormDefaults; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useI18n();
  const weights = defaults.weights ?? { price: "30", plan: "40", experience: "20", local: "10" };
  const custom = Array.from({ length: MAX_CUSTOM_CRITERIA }, (_, i) => defaults.custom?.[i] ?? { label: "", weight: "" });
  const [form, fields] = useSchemaForm(intent === "create" ? projectSchema : editProjectSchema, {
    id: `project-${intent}`,
    lastResult,
    defaultValue: {
      unitId: String(defaults.unitId),
      title: defaults.title,
      scope: defaults.scope,
      category: defaults.category,
      budgetCap: str(defaults.budgetCap),
      periodStart: defaults.periodStart,
      periodEnd: defaults.periodEnd,
      minMonthsVerified: str(defaults.minMonthsVerified ?? 6),
      localOnly: defaults.localOnly === false ? undefined : "on",
      weights,
      custom,
      questionsCloseAt: defaults.questionsCloseAt,
      bidDeadline: defaults.bidDeadline,
      noticeDays: str(defaults.noticeDays ?? 5),
      needId: str(defaults.needId),
      proposalId: str(defaults.proposalId),
    },
    shouldValidate: "onBlur",
  });
  const w = fields.weights.getFieldset();
  const rows = fields.custom.getFieldList();
  const initialSum = [...Object.values(weights), ...custom.map((c) => c.weight)].reduce((s, v) => s + (Number(v) || 0), 0);
  const [sum, setSum] = useState(initialSum);
  // The live sum: every weight box of the editor, added as the person types.
  const onWeights = (e: FormEvent<HTMLFieldSetElement>) => {
    const boxes = e.currentTarget.querySelectorAll<HTMLInputElement>("input[data-weight]");
    setSum([...boxes].reduce((s, b) => s + (Number(b.value) || 0), 0));
  };
  return (
    <Form method="post" {...getFormProps(form)} className="card form">
      <FormMessage id={form.errorId} errors={form.errors} />
      {intent === "create" ? <input type="hidden" name="clientKey" value={defaults.clientKey} /> : null}
      {defaults.needId ? <input type="hidden" name="needId" value={defaults.needId} /> : null}
      {defaults.proposalId ? <input type="hidden" name="proposalId" value={defaults.proposalId} /> : null}
      <SelectField field={fields.unitId} label={t("project.form.unit")} options={defaults.units.map((u) => ({ value: String(u.id), label: u.name }))} />
      <TextField field={fields.title} label={t("project.form.title")} />
      <TextAreaField field={fields.scope} label={t("project.form.scope")} hint={t("project.form.scopeHint")} rows={6} />
      <SelectField
        field={fields.category}
        label={t("project.form.category")}
        placeholder={t("activity.form.choose")}
        options={pledgeCategoryCodes.map((c) => ({ value: c, label: t(`pledge.category.${c}`) }))}
      />
      <TextField field={fields.budgetCap} label={t("project.form.budgetCap")} hint={t("project.form.budgetCapHint")} type="number" inputMode="numeric" />
      <TextField field={fields.periodStart} label={t("project.form.periodStart")} type="date" />
      <TextField field={fields.periodEnd} label={t("project.form.periodEnd")} type="date" />
      <TextField field={fields.minMonthsVerified} label={t("project.form.minMonths")} hint={t("project.form.minMonthsHint")} type="number" inputMode="numeric" />
      <CheckboxField field={fields.localOnly} label={t("project.form.localOnly")} hint={t("project.form.localOnlyHint")} />
      <fieldset className="field" onInput={onWeights} aria-describedby={`${fields.weights.errorId} criteria-sum`} data-invalid={fields.weights.errors ? "" : undefined}>
        <legend className="field__label">{t("project.form.criteria")}</legend>
        <p className="field__hint">{t("project.form.criteriaHint")}</p>
        {standardCriteria.map((k) => (
          <WeightBox key={k} field={w[k]} label={t(`project.criterion.${k}`)} />
        ))}
        {rows.map((row, i) => {
          const r = row.getFieldset();
          return (
            <div key={row.key} className="inline-form-row">
              <TextField field={r.label} label={t("project.form.customLabel", { n: i + 1 })} />
              <WeightBox field={r.weight} label={t("project.form.customWeight", { n: i + 1 })} />
            </div>
          );
        })}
        <p id="criteria-sum" className={sum === 100 ? "notice notice--success" : "notice notice--warn"} aria-live="polite">
          {t("project.form.sum", { sum })}
        </p>
        <FieldErrors id={fields.weights.errorId} errors={fields.weights.errors} />
      </fieldset>
      <DateTimeField field={fields.questionsCloseAt} label={t("project.form.questionsCloseAt")} hint={t("project.form.questionsCloseAtHint")} />
      <DateTimeField field={fields.bidDeadline} label={t("project.form.bidDeadline")} />
      <TextField field={fields.noticeDays} label={t("project.form.noticeDays")} hint={t("project.form.noticeDaysHint")} type="number" inputMode="numeric" />
      <SubmitButton intent={intent}>{intent === "create" ? t("project.form.create") : t("project.form.save")}</SubmitButton>
    </Form>
  );
}

/** A weight, 0–100 (empty or 0: not used). */
function WeightBox({ field, label }: { field: Parameters<typeof TextField>[0]["field"]; label: string }) {
  return (
    <div className="field" data-invalid={field.errors ? "" : undefined}>
      <label htmlFor={field.id} className="field__label">
        {label}
      </label>
      <input id={field.id} name={field.name} defaultValue={field.initialValue as string | undefined} key={field.key} type="number" inputMode="numeric" min={0} max={100} step={1} data-weight="" className="field__input" aria-invalid={field.errors ? true : undefined} aria-describedby={field.errors ? field.errorId : undefined} />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}
