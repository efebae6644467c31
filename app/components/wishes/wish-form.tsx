import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { pledgeCategoryCodes } from "#db/schema/values";
import { wishHonorifics } from "#db/schema/values";
import { CheckboxField, FormMessage, RadioGroupField, SelectField, SubmitButton, TextAreaField, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { postWishSchema } from "~/modules/wishes/schemas";

/**
 * Staff post a wish: where, what, who it is for (seen by staff only), the
 * public form of address, and the person's consent with who gave it.
 */
export function WishForm({
  communities,
  clientKey,
  lastResult,
}: {
  communities: { id: number; name: string }[];
  clientKey: string;
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(postWishSchema, {
    id: "wish",
    lastResult,
    defaultValue: { clientKey, unitId: communities.length === 1 ? String(communities[0]!.id) : undefined },
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card form">
      <FormMessage id={form.errorId} errors={[...(form.errors ?? []), ...(fields.clientKey.errors ?? [])]} />
      <input type="hidden" name="intent" value="post" />
      <input {...getInputProps(fields.clientKey, { type: "hidden" })} key={fields.clientKey.key} />
      <SelectField field={fields.unitId} label={t("wish.form.unit")} placeholder={t("wish.form.choose")} options={communities.map((c) => ({ value: String(c.id), label: c.name }))} />
      <SelectField
        field={fields.category}
        label={t("wish.form.category")}
        placeholder={t("wish.form.choose")}
        options={pledgeCategoryCodes.map((c) => ({ value: c, label: t(`pledge.category.${c}`) }))}
      />
      <TextAreaField field={fields.text} label={t("wish.form.text")} hint={t("wish.form.textHint")} rows={3} />
      <TextField field={fields.fullName} label={t("wish.form.fullName")} autoComplete="off" />
      <TextField field={fields.surname} label={t("wish.form.surname")} hint={t("wish.form.surnameHint")} autoComplete="off" />
      <RadioGroupField
        field={fields.honorific}
        label={t("wish.form.honorific")}
        options={wishHonorifics.map((h) => ({ value: h, label: t(`wish.person.${h}`, { surname: "" }).trim() }))}
      />
      <TextField field={fields.address} label={t("wish.form.address")} autoComplete="off" />
      <TextField field={fields.phone} label={t("wish.form.phone")} type="tel" inputMode="tel" autoComplete="off" />
      <CheckboxField field={fields.consent} label={t("wish.form.consent")} />
      <TextField field={fields.consentBy} label={t("wish.form.consentBy")} hint={t("wish.form.consentByHint")} autoComplete="off" />
      <SubmitButton>{t("wish.form.submit")}</SubmitButton>
    </Form>
  );
}
