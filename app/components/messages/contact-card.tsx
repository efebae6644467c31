import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { sendCodeSchema, verifyCodeSchema } from "~/modules/messages/schemas";

type Last = { intent: string; result: (SubmissionResult<string[]> & { done?: string }) | undefined } | undefined;

/** One address (mobile number or email): add or change it, enter its code, remove it. */
export function ContactCard({
  channel,
  contact,
  last,
}: {
  channel: "email" | "sms";
  contact: { address: string; verified: boolean; codePending: boolean } | null;
  last: Last;
}) {
  const { t } = useI18n();
  const sendResult = last?.intent === "send-code" ? last.result : undefined;
  const verifyResult = last?.intent === "verify" ? last.result : undefined;
  const [sendForm, sendFields] = useSchemaForm(sendCodeSchema, {
    id: `send-code-${channel}`,
    lastResult: sendResult,
    defaultValue: { channel, address: contact?.address ?? "" },
  });
  const [verifyForm, verifyFields] = useSchemaForm(verifyCodeSchema, {
    id: `verify-${channel}`,
    lastResult: verifyResult,
  });
  const label = t(channel === "sms" ? "messages.contact.sms" : "messages.contact.email");
  const done = last?.result?.done;
  return (
    <div className="list-item" style={{ marginBottom: 16 }}>
      <h3 style={{ marginTop: 0 }}>{label}</h3>
      {done ? <FormMessage tone="success" errors={[done]} /> : null}
      {contact ? (
        <p>
          <strong>{contact.address}</strong> · {t(contact.verified ? "messages.contact.verified" : "messages.contact.unverified")}
        </p>
      ) : (
        <p className="muted">{t("messages.contact.none")}</p>
      )}
      <Form method="post" {...getFormProps(sendForm)} className="form">
        <input type="hidden" name="channel" value={channel} />
        <FormMessage id={sendForm.errorId} errors={sendForm.errors} />
        <TextField
          field={sendFields.address}
          label={label}
          type={channel === "sms" ? "tel" : "email"}
          autoComplete={channel === "sms" ? "tel" : "email"}
          inputMode={channel === "sms" ? "tel" : undefined}
        />
        <SubmitButton intent="send-code" className="button button--block">
          {t("messages.contact.send")}
        </SubmitButton>
      </Form>
      {contact && !contact.verified && contact.codePending ? (
        <Form method="post" {...getFormProps(verifyForm)} className="form">
          <input type="hidden" name="channel" value={channel} />
          <FormMessage id={verifyForm.errorId} errors={verifyForm.errors} />
          <TextField field={verifyFields.code} label={t("messages.contact.code")} hint={t("messages.contact.codeHint")} autoComplete="one-time-code" inputMode="numeric" />
          <SubmitButton intent="verify">{t("messages.contact.verify")}</SubmitButton>
        </Form>
      ) : null}
      {contact ? (
        <Form method="post">
          <input type="hidden" name="channel" value={channel} />
          <SubmitButton intent="remove" className="button button--block button--quiet">
            {t("messages.contact.remove")}
          </SubmitButton>
        </Form>
      ) : null}
    </div>
  );
}
