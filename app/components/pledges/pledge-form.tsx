import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { pledgeCategoryCodes } from "#db/schema/values";
import { FormMessage, RadioGroupField, SelectField, SubmitButton, TextAreaField, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { pledgeSchema } from "~/modules/pledges/schemas";

/** Make a public pledge: as whom, category, what, how much, and the period. */
export function PledgeForm({ options, today, yearEnd, lastResult }: { options: { value: string; label: string | null }[]; today: string; yearEnd: string; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(pledgeSchema, {
    id: "pledge",
    lastResult,
    defaultValue: { as: options[0]?.value, unit: "hours", startsOn: today, endsOn: yearEnd },
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card form">
      <FormMessage id={form.errorId} errors={form.errors} />
      <RadioGroupField field={fields.as} label={t("pledge.form.as")} options={options.map((o) => ({ value: o.value, label: o.label ?? t("pledge.form.asSelf") }))} />
      <SelectField
        field={fields.category}
        label={t("pledge.form.category")}
        placeholder={t("activity.form.choose")}
        options={pledgeCategoryCodes.map((c) => ({ value: c, label: t(`pledge.category.${c}`) }))}
      />
      <TextAreaField field={fields.text} label={t("pledge.form.text")} hint={t("pledge.form.textHint")} rows={3} />
      <RadioGroupField
        field={fields.unit}
        label={t("pledge.form.unit")}
        options={[
          { value: "hours", label: t("pledge.form.unit.hours") },
          { value: "times", label: t("pledge.form.unit.times") },
        ]}
      />
      <TextField field={fields.amount} label={t("pledge.form.amount")} type="number" inputMode="numeric" />
      <TextField field={fields.startsOn} label={t("pledge.form.startsOn")} type="date" />
      <TextField field={fields.endsOn} label={t("pledge.form.endsOn")} type="date" hint={t("pledge.form.periodHint")} />
      <SubmitButton>{t("pledge.form.submit")}</SubmitButton>
    </Form>
  );
}
