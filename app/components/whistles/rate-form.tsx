import { Form } from "@remix-run/react";
import { FieldErrors, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import { refusal, type IntentReply } from "~/lib/intents";
import type { WhistlePageData } from "./page-data";

/** A raiser rates the result (solved? satisfied?), once a round; a poor first rating may ask for a redo (重办). */
export function RateForm({ data, result }: { data: WhistlePageData; result: IntentReply | undefined }) {
  const { t, date } = useI18n();
  const mine = data.ratings.mine;
  const error = refusal(result);
  if (mine) {
    return (
      <section className="card" data-testid="my-rating">
        <p>
          {t("whistle.youRated", {
            solved: mine.solved ? t("whistle.solved") : t("whistle.notSolved"),
            satisfaction: t(`whistle.satisfaction.${mine.satisfaction}`),
          })}
        </p>
        {data.can.reopen ? (
          <Form method="post">
            <SubmitButton intent="reopen" className="button">
              {t("whistle.reopen")}
            </SubmitButton>
          </Form>
        ) : null}
      </section>
    );
  }
  return (
    <section className="card" id="rate" aria-labelledby="rate-title">
      <h2 id="rate-title">{t("whistle.rateTitle")}</h2>
      {data.whistle.ratingClosesAt ? <p className="muted">{t("whistle.rateUntil", { at: date(data.whistle.ratingClosesAt) })}</p> : null}
      <Form method="post" className="form">
        <fieldset className="stance-picker">
          <legend className="field__label">{t("whistle.solvedQuestion")}</legend>
          <label className="stance-option stance-option--support">
            <input type="radio" name="solved" value="yes" required />
            <span>{t("whistle.solved")}</span>
          </label>
          <label className="stance-option stance-option--oppose">
            <input type="radio" name="solved" value="no" />
            <span>{t("whistle.notSolved")}</span>
          </label>
        </fieldset>
        <fieldset className="stance-picker">
          <legend className="field__label">{t("whistle.satisfactionQuestion")}</legend>
          {(["satisfied", "basically_satisfied", "dissatisfied"] as const).map((s) => (
            <label key={s} className={`stance-option stance-option--${s === "dissatisfied" ? "oppose" : "support"}`}>
              <input type="radio" name="satisfaction" value={s} required />
              <span>{t(`whistle.satisfaction.${s}`)}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span className="field__label">{t("whistle.comment")}</span>
          <textarea name="comment" className="field__input" maxLength={500} />
        </label>
        {error?.intent === "rate" ? <FieldErrors errors={[error.message]} /> : null}
        <SubmitButton intent="rate">{t("whistle.sendRating")}</SubmitButton>
      </Form>
    </section>
  );
}
