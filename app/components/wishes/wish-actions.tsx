import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { FormMessage, RadioGroupField, SubmitButton, TextAreaField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import { claimSchema, fulfilSchema, reasonSchema } from "~/modules/wishes/schemas";

/** The reply meant for one intent's form (each form shows only its own errors). */
const replyFor = (result: IntentReply | undefined, intent: string): SubmissionResult<string[]> | undefined =>
  result?.intent === intent ? result.reply : undefined;

/** Claim the wish: as oneself, or for an organisation one runs (a choice only when there is one). */
export function ClaimForm({ options, result }: { options: { value: string; label: string | null }[]; result?: IntentReply }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(claimSchema, { id: "claim", lastResult: replyFor(result, "claim"), defaultValue: { as: options[0]?.value } });
  return (
    <section className="card" aria-labelledby="claim-title">
      <h2 id="claim-title">{t("wish.claim.title")}</h2>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        {options.length > 1 ? (
          <RadioGroupField field={fields.as} label={t("wish.claim.as")} options={options.map((o) => ({ value: o.value, label: o.label ?? t("wish.claim.asSelf") }))} />
        ) : (
          <input type="hidden" name="as" value={options[0]?.value} />
        )}
        <SubmitButton intent="claim">{t("wish.claim.submit")}</SubmitButton>
      </Form>
    </section>
  );
}

/** A form of one text field and a button: fulfil (the note), give back, send back, withdraw (the reason). */
function TextStep<S extends typeof fulfilSchema | typeof reasonSchema>({
  intent,
  schema,
  name,
  title,
  label,
  hint,
  submit,
  result,
  open = false,
  primary = false,
}: {
  intent: string;
  schema: S;
  name: keyof z.input<S> & string;
  title: string;
  label: string;
  hint?: string;
  submit: ReactNode;
  result?: IntentReply;
  open?: boolean;
  primary?: boolean;
}) {
  const lastResult = replyFor(result, intent);
  const [form, fields] = useSchemaForm(schema, { id: intent, lastResult });
  const field = (fields as unknown as Record<string, Parameters<typeof TextAreaField>[0]["field"]>)[name]!;
  return (
    <details className="card" open={open || (lastResult !== undefined && result?.ok === false)}>
      <summary>{title}</summary>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <TextAreaField field={field} label={label} hint={hint} rows={2} />
        <SubmitButton intent={intent} className={primary ? "button button--primary" : "button"}>
          {submit}
        </SubmitButton>
      </Form>
    </details>
  );
}

/** The claimer's steps: it is done (with what was done), or give the claim back (with a reason). */
export function ClaimerSteps({ fulfil, release, result }: { fulfil: boolean; release: boolean; result?: IntentReply }) {
  const { t } = useI18n();
  return (
    <>
      {fulfil ? (
        <TextStep intent="fulfil" schema={fulfilSchema} name="note" title={t("wish.fulfil.title")} label={t("wish.fulfil.note")} hint={t("wish.fulfil.hint")} submit={t("wish.fulfil.submit")} result={result} open primary />
      ) : null}
      {release ? (
        <TextStep intent="release" schema={reasonSchema} name="reason" title={t("wish.release.title")} label={t("wish.release.reason")} hint={t("wish.release.hint")} submit={t("wish.release.submit")} result={result} />
      ) : null}
    </>
  );
}

/** The staff's steps: confirm a fulfilment or send it back; withdraw a wish not yet fulfilled. */
export function StaffSteps({ confirm, withdraw, result }: { confirm: boolean; withdraw: boolean; result?: IntentReply }) {
  const { t } = useI18n();
  const confirmRefused = result?.intent === "confirm" && !result.ok ? Object.values(result.reply.error ?? {}).flat() : [];
  return (
    <>
      {confirm ? (
        <section className="card" aria-labelledby="confirm-title">
          <h2 id="confirm-title">{t("wish.confirm.title")}</h2>
          <p className="muted">{t("wish.confirm.hint")}</p>
          <Form method="post">
            <FormMessage errors={confirmRefused as string[]} />
            <SubmitButton intent="confirm" className="button button--primary">
              {t("wish.confirm.submit")}
            </SubmitButton>
          </Form>
        </section>
      ) : null}
      {confirm ? (
        <TextStep intent="sendBack" schema={reasonSchema} name="reason" title={t("wish.sendBack.title")} label={t("wish.sendBack.reason")} submit={t("wish.sendBack.submit")} result={result} />
      ) : null}
      {withdraw ? (
        <TextStep intent="withdraw" schema={reasonSchema} name="reason" title={t("wish.withdraw.title")} label={t("wish.withdraw.reason")} hint={t("wish.withdraw.hint")} submit={t("wish.withdraw.submit")} result={result} />
      ) : null}
    </>
  );
}
