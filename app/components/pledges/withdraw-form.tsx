import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormMessage, SubmitButton, TextAreaField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { withdrawSchema } from "~/modules/pledges/schemas";

/** Withdraw an active pledge, with a reason the wall shows. */
export function WithdrawForm({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(withdrawSchema, {
    id: "withdraw",
    lastResult,
  });
  return (
    <details className="card">
      <summary>{t("pledge.withdraw.title")}</summary>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <TextAreaField field={fields.reason} label={t("pledge.withdraw.reason")} hint={t("pledge.withdraw.hint")} rows={2} />
        <SubmitButton className="button">{t("pledge.withdraw.submit")}</SubmitButton>
      </Form>
    </details>
  );
}
