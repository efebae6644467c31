import { Form } from "@remix-run/react";
import { FieldErrors, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import { refusal, type IntentReply } from "~/lib/intents";
import type { WhistlePageData } from "./page-data";

/** The supervisors' part: extension requests, supervision (督办), and closing an unreasonable request (with a second person's decision). */
export function Decisions({ data, result }: { data: WhistlePageData; result: IntentReply | undefined }) {
  const { t, date, punct } = useI18n();
  const error = refusal(result);
  return (
    <>
      {data.can.blow && data.pendingExtensions.length ? (
        <section className="card">
          <h2>{t("whistle.extensions")}</h2>
          {data.pendingExtensions.map((r) => (
            <Form method="post" key={r.id} className="actions">
              <input type="hidden" name="requestId" value={r.id} />
              <p>
                {t("whistle.extensionAsk", { at: date(r.newDueAt) })}
                {punct.colon}
                {r.reason}
              </p>
              <SubmitButton intent="approve-extension" className="button button--primary button--small">
                {t("hall.approve")}
              </SubmitButton>
              <SubmitButton intent="deny-extension" className="button button--small">
                {t("desk.reject")}
              </SubmitButton>
            </Form>
          ))}
        </section>
      ) : null}

      {data.can.supervise ? (
        <details className="card">
          <summary className="button">{t("whistle.supervise")}</summary>
          <Form method="post" className="form">
            <label className="field">
              <span className="field__label">{t("whistle.superviseMessage")}</span>
              <textarea name="message" className="field__input" required />
            </label>
            <SubmitButton intent="supervise">{t("whistle.sendSupervision")}</SubmitButton>
          </Form>
        </details>
      ) : null}

      {data.closure === "unreasonable" ? <p className="notice notice--info">{t("whistle.closedUnreasonable")}</p> : null}

      {data.pendingClosure ? (
        <section className="card" aria-labelledby="closure-title" data-testid="pending-closure">
          <h2 id="closure-title">{t("whistle.unreasonableTitle")}</h2>
          <p>
            {t("whistle.unreasonableAsked", { at: date(data.pendingClosure.at) })}
            {punct.colon}
            {data.pendingClosure.reason}
          </p>
          {data.can.decideUnreasonable ? (
            <Form method="post" className="form">
              <input type="hidden" name="requestId" value={data.pendingClosure.id} />
              <div className="field" data-invalid={error?.field === "note" ? "" : undefined}>
                <label htmlFor="closure-note" className="field__label">
                  {t("whistle.unreasonableNote")}
                </label>
                <textarea id="closure-note" name="note" className="field__input" />
                {error?.field === "note" ? <FieldErrors errors={[error.message]} /> : null}
              </div>
              <div className="actions">
                <SubmitButton intent="approve-unreasonable" className="button button--primary">
                  {t("whistle.unreasonableApprove")}
                </SubmitButton>
                <SubmitButton intent="refuse-unreasonable" className="button">
                  {t("whistle.unreasonableRefuse")}
                </SubmitButton>
              </div>
            </Form>
          ) : (
            <p className="muted">{t("whistle.unreasonableWaiting")}</p>
          )}
        </section>
      ) : null}

      {data.can.requestUnreasonable ? (
        <details className="card" open={error?.intent === "request-unreasonable" || undefined}>
          <summary className="button button--quiet">{t("whistle.unreasonableRequest")}</summary>
          <Form method="post" className="form">
            <p className="field__hint">{t("whistle.unreasonableHint")}</p>
            <div className="field" data-invalid={error?.intent === "request-unreasonable" && error.field === "reason" ? "" : undefined}>
              <label htmlFor="unreasonable-reason" className="field__label">
                {t("whistle.unreasonableReason")}
              </label>
              <textarea id="unreasonable-reason" name="reason" className="field__input" required />
              {error?.intent === "request-unreasonable" && error.field === "reason" ? <FieldErrors errors={[error.message]} /> : null}
            </div>
            <SubmitButton intent="request-unreasonable" className="button">
              {t("whistle.unreasonableSend")}
            </SubmitButton>
          </Form>
        </details>
      ) : null}
    </>
  );
}
