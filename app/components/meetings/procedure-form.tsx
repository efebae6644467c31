import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { CheckboxField, FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import type { Procedure } from "~/modules/meetings/rules";
import { procedureSchema } from "~/modules/meetings/schemas";

/** A convener changes the hall's rules of procedure (meetings already scheduled keep theirs). */
export function ProcedureForm({ procedure, lastResult, saved }: { procedure: Procedure; lastResult?: SubmissionResult<string[]>; saved: boolean }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(procedureSchema, {
    id: "procedure",
    lastResult,
    defaultValue: {
      speakingSeconds: String(procedure.speakingSeconds),
      timesPerItem: String(procedure.timesPerItem),
      alternate: procedure.alternate ? "on" : undefined,
      proxies: procedure.proxies ? "on" : undefined,
      neutralChair: procedure.neutralChair ? "on" : undefined,
    },
  });
  return (
    <details className="card" open={lastResult?.status === "error"}>
      <summary>{t("meeting.rules.edit")}</summary>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        {saved ? <FormMessage tone="success" errors={["meeting.rules.saved"]} /> : null}
        <TextField field={fields.speakingSeconds} label={t("meeting.field.speakingSeconds")} type="number" inputMode="numeric" />
        <TextField field={fields.timesPerItem} label={t("meeting.field.timesPerItem")} type="number" inputMode="numeric" />
        <CheckboxField field={fields.alternate} label={t("meeting.field.alternate")} />
        <CheckboxField field={fields.proxies} label={t("meeting.field.proxies")} />
        <CheckboxField field={fields.neutralChair} label={t("meeting.field.neutralChair")} />
        <SubmitButton intent="procedure">{t("meeting.rules.save")}</SubmitButton>
      </Form>
    </details>
  );
}
