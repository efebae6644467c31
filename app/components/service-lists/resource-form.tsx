import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { pledgeCategoryCodes } from "#db/schema/values";
import { resourceKinds } from "#db/schema/values";
import { FormMessage, RadioGroupField, SelectField, SubmitButton, TextAreaField, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { resourceSchema } from "~/modules/service-lists/schemas";
import type { NewResourcePageData } from "./page-data";

/** Offer a resource: on whose behalf, to which community, what kind, what it is and when it is available. */
export function ResourceForm({ data, lastResult }: { data: NewResourcePageData; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(resourceSchema, {
    id: "resource",
    lastResult,
    defaultValue: { as: data.options[0]?.value, unitId: data.unitId ? String(data.unitId) : undefined },
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card form">
      <FormMessage id={form.errorId} errors={form.errors} />
      <RadioGroupField field={fields.as} label={t("resource.form.as")} options={data.options.map((o) => ({ value: o.value, label: o.label ?? t("resource.form.asSelf") }))} />
      <SelectField
        field={fields.unitId}
        label={t("resource.form.community")}
        hint={t("resource.form.communityHint")}
        options={data.communities.map((c) => ({ value: String(c.id), label: c.name }))}
      />
      <RadioGroupField field={fields.kind} label={t("resource.form.kind")} options={resourceKinds.map((k) => ({ value: k, label: t(`resource.kind.${k}`) }))} />
      <SelectField
        field={fields.category}
        label={t("resource.form.category")}
        placeholder={t("activity.form.choose")}
        options={pledgeCategoryCodes.map((c) => ({ value: c, label: t(`pledge.category.${c}`) }))}
      />
      <TextAreaField field={fields.description} label={t("resource.form.description")} hint={t("resource.form.descriptionHint")} rows={3} />
      <TextField field={fields.availability} label={t("resource.form.availability")} hint={t("resource.form.availabilityHint")} />
      <SubmitButton intent="offer">{t("resource.form.submit")}</SubmitButton>
    </Form>
  );
}
