import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FieldErrors, FormMessage, RadioGroupField, SubmitButton, TextAreaField, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { refusal, type IntentReply } from "~/lib/intents";
import { claimSchema, closeNeedSchema } from "~/modules/service-lists/schemas";
import { useNeedAmount } from "./need-parts";
import type { NeedPageData } from "./page-data";

type Claim = NeedPageData["claims"][number];

function ClaimState({ claim }: { claim: Claim }) {
  const { t } = useI18n();
  if (claim.status === "claimed" && claim.reportedDoneAt) return <span className="pill pill--warn">{t("claim.status.reported")}</span>;
  const tone = { claimed: "info", done: "ok", released: "bad" }[claim.status];
  return <span className={`pill pill--${tone}`}>{t(`claim.status.${claim.status}`)}</span>;
}

/** The steps a viewer may take on one claim: say it is done, confirm it, release it with a reason. */
function ClaimSteps({ claim, result }: { claim: Claim; result?: IntentReply }) {
  const { t } = useI18n();
  const refused = refusal(result);
  const mine = refused && String(refused.sent.claimId ?? "") === String(claim.id) ? refused : undefined;
  if (!claim.can.reportDone && !claim.can.confirm && !claim.can.release) return null;
  return (
    <div>
      {mine && mine.field !== "reason" ? <FormMessage errors={[mine.message]} /> : null}
      <div className="actions">
        {claim.can.reportDone ? (
          <Form method="post">
            <input type="hidden" name="claimId" value={claim.id} />
            <SubmitButton intent="done" className="button button--primary button--small">
              {t("claim.done")}
            </SubmitButton>
          </Form>
        ) : null}
        {claim.can.confirm ? (
          <Form method="post">
            <input type="hidden" name="claimId" value={claim.id} />
            <SubmitButton intent="confirm" className="button button--primary button--small">
              {t("claim.confirm")}
            </SubmitButton>
          </Form>
        ) : null}
      </div>
      {claim.can.release ? (
        <details open={mine?.field === "reason"}>
          <summary>{t("claim.release")}</summary>
          <Form method="post" className="form">
            <input type="hidden" name="claimId" value={claim.id} />
            <div className="field" data-invalid={mine?.field === "reason" ? "" : undefined}>
              <label htmlFor={`release-${claim.id}`} className="field__label">
                {t("claim.release.reason")}
              </label>
              <input id={`release-${claim.id}`} name="reason" className="field__input" maxLength={200} required aria-invalid={mine?.field === "reason" || undefined} aria-describedby={mine?.field === "reason" ? `release-${claim.id}-error` : undefined} />
              {mine?.field === "reason" ? <FieldErrors id={`release-${claim.id}-error`} errors={[mine.message]} /> : null}
            </div>
            <SubmitButton intent="release" className="button button--small">
              {t("claim.release.submit")}
            </SubmitButton>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

/** Who claimed how much, where each claim stands, and what the viewer may do with it. */
export function ClaimList({ data, result }: { data: NeedPageData; result?: IntentReply }) {
  const { t, date } = useI18n();
  const amount = useNeedAmount();
  return (
    <section className="section" aria-labelledby="claims-title">
      <h2 id="claims-title">{t("need.claims")}</h2>
      {data.claims.length === 0 ? (
        <p className="empty">{t("need.noClaims")}</p>
      ) : (
        <ul className="list" data-testid="claims">
          {data.claims.map((c) => (
            <li key={c.id} className="list-item" data-testid="claim">
              <p className="list-item__text">
                <strong>{c.claimer}</strong>
                {c.organizationId ? <span className="muted"> · {t("pledge.byOrganization")}</span> : null} · {amount(data.need.unit, c.amount)} <ClaimState claim={c} />
              </p>
              <p className="muted">{date(c.createdAt, "date")}</p>
              {c.releaseReason ? <p className="muted">{t("claim.releasedBecause", { reason: c.releaseReason })}</p> : null}
              <ClaimSteps claim={c} result={result} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Claim the need: on whose behalf (oneself or a unit Party organisation) and how many people or hours. */
export function ClaimForm({ data, result }: { data: NeedPageData; result?: IntentReply }) {
  const { t } = useI18n();
  const amount = useNeedAmount();
  const [form, fields] = useSchemaForm(claimSchema, {
    id: "claim",
    lastResult: result?.intent === "claim" ? result.reply : undefined,
    defaultValue: { as: data.claimOptions[0]?.value, amount: "1" },
  });
  return (
    <section className="card" aria-labelledby="claim-title">
      <h2 id="claim-title">{t("claim.form.title")}</h2>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <RadioGroupField field={fields.as} label={t("claim.form.as")} options={data.claimOptions.map((o) => ({ value: o.value, label: o.label ?? t("claim.form.asSelf") }))} />
        <TextField
          field={fields.amount}
          label={t(`claim.form.amount.${data.need.unit}`)}
          hint={t("claim.form.left", { left: amount(data.need.unit, data.need.remaining) })}
          type="number"
          inputMode="numeric"
        />
        <SubmitButton intent="claim">{t("claim.form.submit")}</SubmitButton>
      </Form>
    </section>
  );
}

/** Staff close a need that will not be done, with a public reason. */
export function CloseNeedForm({ result }: { result?: IntentReply }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(closeNeedSchema, { id: "close", lastResult: result?.intent === "close" ? result.reply : undefined });
  return (
    <details className="card" open={result?.intent === "close" && !result.ok}>
      <summary>{t("need.close.title")}</summary>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <TextAreaField field={fields.reason} label={t("need.close.reason")} rows={2} />
        <SubmitButton intent="close" className="button">
          {t("need.close.submit")}
        </SubmitButton>
      </Form>
    </details>
  );
}
