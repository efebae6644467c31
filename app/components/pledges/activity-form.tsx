import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { pledgeCategoryCodes } from "#db/schema/values";
import { DateTimeField, FormMessage, RadioGroupField, SelectField, SubmitButton, TextAreaField, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { activitySchema } from "~/modules/pledges/schemas";

/** Organise a volunteer activity: as whom, where, when, roles with places, and who may sign up. */
export function ActivityForm({
  as,
  units,
  lastResult,
}: {
  as: { value: string; label: string | null }[];
  units: { id: number; name: string; kind: string }[];
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(activitySchema, {
    id: "activity",
    lastResult,
    defaultValue: { as: as[0]?.value, unitId: units.length === 1 ? String(units[0]!.id) : undefined, eligibility: "residents" },
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card form">
      <FormMessage id={form.errorId} errors={form.errors} />
      <RadioGroupField field={fields.as} label={t("activity.form.as")} options={as.map((o) => ({ value: o.value, label: o.label ?? t("activity.form.asStaff") }))} />
      <SelectField
        field={fields.unitId}
        label={t("activity.form.unitId")}
        placeholder={t("activity.form.choose")}
        options={units.map((u) => ({ value: String(u.id), label: u.kind === "community" ? `\u3000${u.name}` : u.name }))}
      />
      <TextField field={fields.title} label={t("activity.form.title_")} />
      <SelectField
        field={fields.category}
        label={t("activity.form.category")}
        placeholder={t("activity.form.choose")}
        options={pledgeCategoryCodes.map((c) => ({ value: c, label: t(`pledge.category.${c}`) }))}
      />
      <TextField field={fields.place} label={t("activity.form.place")} />
      <DateTimeField field={fields.startsAt} label={t("activity.form.startsAt")} hint={t("activity.form.timeHint")} />
      <DateTimeField field={fields.endsAt} label={t("activity.form.endsAt")} />
      <TextAreaField field={fields.roles} label={t("activity.form.roles")} hint={t("activity.form.rolesHint")} rows={3} />
      <RadioGroupField
        field={fields.eligibility}
        label={t("activity.form.eligibility")}
        options={[
          { value: "residents", label: t("activity.eligibility.residents") },
          { value: "members", label: t("activity.eligibility.members") },
        ]}
      />
      <TextAreaField field={fields.description} label={t("activity.form.description")} rows={4} />
      <SubmitButton>{t("activity.form.submit")}</SubmitButton>
    </Form>
  );
}
