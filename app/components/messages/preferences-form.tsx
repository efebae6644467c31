import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FieldErrors, FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { messageCategories } from "~/modules/messages/rules";
import { preferencesSchema } from "~/modules/messages/schemas";

interface Preferences {
  email: string[];
  sms: string[];
  quietStart: string;
  quietEnd: string;
  digest: boolean;
  digestAt: string;
}

/** Which categories by which channel, quiet hours, and the daily digest. */
export function PreferencesForm({
  preferences,
  verified,
  lastResult,
}: {
  preferences: Preferences;
  verified: { email: boolean; sms: boolean };
  lastResult: (SubmissionResult<string[]> & { done?: string }) | undefined;
}) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(preferencesSchema, {
    id: "message-preferences",
    lastResult,
    defaultValue: { ...preferences, digest: preferences.digest ? "on" : undefined },
  });
  const chosen = (channel: "email" | "sms", c: string) => (channel === "email" ? preferences.email : preferences.sms).includes(c);
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      {lastResult?.done ? <FormMessage tone="success" errors={[lastResult.done]} /> : null}
      <FormMessage id={form.errorId} errors={form.errors} />
      <section className="card" aria-labelledby="choices-title">
        <h2 id="choices-title">{t("messages.choices.title")}</h2>
        <p className="muted">{t("messages.choices.lead")}</p>
        {!verified.email && !verified.sms ? <p className="notice">{t("messages.choices.needsAddress")}</p> : null}
        {messageCategories.map((c) => (
          <fieldset key={c} className="field" style={{ border: 0, padding: 0, margin: "0 0 16px" }}>
            <legend className="field__label">{t(`messages.category.${c}`)}</legend>
            <p className="field__hint">{t(`messages.category.${c}.hint`)}</p>
            <div className="actions" style={{ marginTop: 4 }}>
              {(["sms", "email"] as const).map((channel) => (
                <label key={channel} className="button button--small" style={{ gap: 8 }}>
                  <input type="checkbox" name={fields[channel].name} value={c} defaultChecked={chosen(channel, c)} />
                  {t(`messages.channel.${channel}`)}
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </section>
      <section className="card" aria-labelledby="quiet-title">
        <h2 id="quiet-title">{t("messages.quiet.title")}</h2>
        <p className="muted">{t("messages.quiet.hint")}</p>
        <TextField field={fields.quietStart} label={t("messages.quiet.start")} inputMode="numeric" />
        <TextField field={fields.quietEnd} label={t("messages.quiet.end")} inputMode="numeric" />
      </section>
      <section className="card" aria-labelledby="digest-title">
        <h2 id="digest-title">{t("messages.digest.label")}</h2>
        <div className="field">
          <label style={{ display: "flex", gap: 12, alignItems: "center", minHeight: 48 }}>
            <input {...getInputProps(fields.digest, { type: "checkbox" })} key={fields.digest.key} />
            {t("messages.digest.label")}
          </label>
          <p className="field__hint">{t("messages.digest.hint")}</p>
          <FieldErrors id={fields.digest.errorId} errors={fields.digest.errors} />
        </div>
        <TextField field={fields.digestAt} label={t("messages.digest.at")} inputMode="numeric" />
      </section>
      <SubmitButton intent="preferences">{t("messages.save")}</SubmitButton>
    </Form>
  );
}
