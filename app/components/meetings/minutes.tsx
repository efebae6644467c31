import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormMessage, SubmitButton, TextAreaField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import { minutesSchema } from "~/modules/meetings/schemas";

/** The minutes as published (print-ready: the page's chrome is hidden in print). */
export function PublishedMinutes({ minutes }: { minutes: { version: number; body: string; createdAt: string } }) {
  const { t, date } = useI18n();
  return (
    <article className="card mtg-minutes" data-testid="minutes">
      <p className="muted">{t("meeting.minutes.published", { version: minutes.version, date: date(minutes.createdAt) })}</p>
      <div className="pre-line">{minutes.body}</div>
    </article>
  );
}

/** The convener's editor: the latest version (the draft made from the record at first); save or publish. */
export function MinutesEditor({ draft, result }: { draft: { version: number; body: string; published: boolean }; result?: IntentReply }) {
  const { t } = useI18n();
  const lastResult = result?.intent === "save" || result?.intent === "publish" ? result.reply : undefined;
  const [form, fields] = useSchemaForm(minutesSchema, { id: "minutes", lastResult, defaultValue: { body: draft.body } });
  return (
    <section className="card mtg-minutes-editor" aria-labelledby="minutes-edit-title">
      <h2 id="minutes-edit-title">{t("meeting.minutes.edit")}</h2>
      {!draft.published ? <p className="pill pill--warn">{t("meeting.minutes.draft")}</p> : null}
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <TextAreaField field={fields.body} label={t("meeting.minutes.body")} hint={t("meeting.minutes.bodyHint")} rows={16} />
        <div className="actions">
          <SubmitButton intent="publish" className="button button--primary">
            {t("meeting.minutes.publish")}
          </SubmitButton>
          <SubmitButton intent="save" className="button">
            {t("meeting.minutes.save")}
          </SubmitButton>
        </div>
      </Form>
    </section>
  );
}
