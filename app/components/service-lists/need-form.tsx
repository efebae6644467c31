import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { pledgeCategoryCodes } from "#db/schema/values";
import { FormMessage, RadioGroupField, SelectField, SubmitButton, TextAreaField, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { needSchema } from "~/modules/service-lists/schemas";
import type { NewNeedPageData } from "./page-data";

/** Post a need: the community, category, what, when, and how many people or hours; prefilled when raised from a proposal. */
export function NeedForm({ data, lastResult }: { data: NewNeedPageData; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useI18n();
  const from = data.fromProposal;
  const [form, fields] = useSchemaForm(needSchema, {
    id: "need",
    lastResult,
    defaultValue: { unitId: String(data.unitId), unit: "people", title: from?.title, category: from?.category, proposalId: from ? String(from.id) : undefined },
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card form">
      <FormMessage id={form.errorId} errors={[...(form.errors ?? []), ...(fields.proposalId.errors ?? [])]} />
      {from ? <input type="hidden" name="proposalId" value={from.id} /> : null}
      <SelectField field={fields.unitId} label={t("need.form.community")} options={data.communities.map((c) => ({ value: String(c.id), label: c.name }))} />
      <SelectField
        field={fields.category}
        label={t("need.form.category")}
        placeholder={t("activity.form.choose")}
        options={pledgeCategoryCodes.map((c) => ({ value: c, label: t(`pledge.category.${c}`) }))}
      />
      <TextField field={fields.title} label={t("need.form.name")} />
      <TextAreaField field={fields.description} label={t("need.form.description")} hint={t("need.form.descriptionHint")} rows={3} />
      <TextField field={fields.whenText} label={t("need.form.when")} hint={t("need.form.whenHint")} />
      <RadioGroupField
        field={fields.unit}
        label={t("need.form.unit")}
        options={[
          { value: "people", label: t("need.form.unit.people") },
          { value: "hours", label: t("need.form.unit.hours") },
        ]}
      />
      <TextField field={fields.amount} label={t("need.form.amount")} type="number" inputMode="numeric" />
      <SubmitButton intent="post">{t("need.form.submit")}</SubmitButton>
    </Form>
  );
}
