import type { ProposalState } from "#db/schema/halls";
import { Link, useFetcher } from "@remix-run/react";
import { useState } from "react";
import { FieldErrors, FormMessage, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import { firstError, type IntentReply } from "~/lib/intents";
import { mayDecline } from "~/modules/proposals/rules";
import type { ProposalPageData } from "./page-data";

/** The convener's tools on a proposal: open the debate, start a vote, escalate, minutes, decline. */
export function ConvenerTools({ data, state }: { data: ProposalPageData; state: ProposalState }) {
  const { t } = useI18n();
  const fetcher = useFetcher<IntentReply>();
  const error = firstError(fetcher.data);
  const [reason, setReason] = useState("out_of_scope");
  return (
    <section className="card convener" aria-labelledby="convener-title">
      <h2 id="convener-title">{t("convener.title")}</h2>
      {error && error.field !== "message" ? <FormMessage errors={[error.message]} /> : null}
      {state === "on_agenda" ? (
        <fetcher.Form method="post">
          <SubmitButton intent="open-debate" className="button button--primary">
            {t("convener.openDebate")}
          </SubmitButton>
        </fetcher.Form>
      ) : null}
      {state === "in_debate" ? (
        // A full page load: the link can appear (live) before the router has discovered the vote form's route.
        <Link to={`/votes/new?proposal=${data.proposal.id}`} className="button button--primary" reloadDocument>
          {t("vote.new")}
        </Link>
      ) : null}
      {state === "decided_passed" ? (
        <>
          <fetcher.Form method="post" className="form">
            <div className="field" data-invalid={error?.field === "message" ? "" : undefined}>
              <label htmlFor="escalate-message" className="field__label">
                {t("whistle.escalateMessage")}
              </label>
              <p id="escalate-message-hint" className="field__hint">
                {t("whistle.escalateMessageHint")}
              </p>
              <textarea
                id="escalate-message"
                name="message"
                className="field__input"
                maxLength={1000}
                aria-describedby="escalate-message-hint"
                aria-invalid={error?.field === "message" || undefined}
              />
              {error?.field === "message" ? <FieldErrors errors={[error.message]} /> : null}
            </div>
            <div className="actions">
              <SubmitButton intent="escalate" className="button button--primary">
                {t("whistle.escalate")}
              </SubmitButton>
              <SubmitButton intent="escalate-stations" className="button">
                {t("whistle.escalateStations")}
              </SubmitButton>
            </div>
          </fetcher.Form>
          <fetcher.Form method="post" className="actions">
            <SubmitButton intent="self-handle" className="button">
              {t("whistle.selfHandle")}
            </SubmitButton>
          </fetcher.Form>
        </>
      ) : null}
      <details>
        <summary className="button">{t("convener.writeMinutes")}</summary>
        <fetcher.Form method="post" className="form">
          <input type="hidden" name="intent" value="minutes" />
          <label className="field">
            <span className="field__label">{t("minutes.agreed")}</span>
            <textarea name="agreed" className="field__input" required maxLength={2000} defaultValue={data.minutes?.agreed} />
          </label>
          <label className="field">
            <span className="field__label">{t("minutes.open")}</span>
            <textarea name="open" className="field__input" maxLength={2000} defaultValue={data.minutes?.open} />
          </label>
          <label className="field">
            <span className="field__label">{t("minutes.nextStep")}</span>
            <textarea name="nextStep" className="field__input" maxLength={1000} defaultValue={data.minutes?.nextStep} />
          </label>
          <button type="submit" className="button button--primary">
            {t("convener.saveMinutes")}
          </button>
        </fetcher.Form>
      </details>
      {mayDecline(state) ? (
        <details>
          <summary className="button">{t("convener.decline")}</summary>
          <fetcher.Form method="post" className="form">
            <input type="hidden" name="intent" value="decline" />
            <label className="field">
              <span className="field__label">{t("convener.declineReason")}</span>
              <select name="reason" className="field__input" value={reason} onChange={(e) => setReason(e.target.value)}>
                <option value="out_of_scope">{t("proposal.decline.out_of_scope")}</option>
                <option value="duplicate">{t("proposal.decline.duplicate")}</option>
                <option value="unlawful">{t("proposal.decline.unlawful")}</option>
              </select>
            </label>
            {reason === "duplicate" ? (
              <label className="field">
                <span className="field__label">{t("convener.mergeInto")}</span>
                <input name="mergeIntoId" inputMode="numeric" className="field__input" required />
                {error?.field === "mergeIntoId" ? <FieldErrors errors={[error.message]} /> : null}
              </label>
            ) : null}
            <label className="field">
              <span className="field__label">{t("convener.publicText")}</span>
              <textarea name="text" className="field__input" required maxLength={500} />
            </label>
            <button type="submit" className="button">
              {t("convener.confirmDecline")}
            </button>
          </fetcher.Form>
        </details>
      ) : null}
    </section>
  );
}
