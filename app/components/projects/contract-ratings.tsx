import { Form } from "@remix-run/react";
import { FieldErrors, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import { refusal, type IntentReply } from "~/lib/intents";
import type { ContractPageData } from "~/modules/projects/contract.server";

/** Residents' ratings of the finished service (no names), and the rating form for a resident of the area who has not rated. */
export function ContractRatings({ data, result }: { data: ContractPageData; result: IntentReply | undefined }) {
  const { t, date } = useI18n();
  const error = refusal(result);
  const mine = error?.intent === "rate" ? error : undefined;
  if (data.project.status !== "completed") return null;
  const { ratings } = data;
  return (
    <section className="card" aria-labelledby="ratings-title">
      <h2 id="ratings-title">{t("contract.ratings.title")}</h2>
      <p data-testid="rating-summary">
        {ratings.count
          ? t("contract.ratings.summary", { mean: (ratings.mean ?? 0).toFixed(1), count: ratings.count })
          : t("contract.ratings.none")}
      </p>
      {ratings.mine ? <p className="notice notice--success">{t("contract.ratings.yours", { stars: ratings.mine.stars })}</p> : null}
      {data.can.rate ? (
        <Form method="post" className="form" aria-label={t("contract.rate.title")}>
          <h3>{t("contract.rate.title")}</h3>
          <fieldset className="field choices" data-invalid={mine?.field === "stars" ? "" : undefined}>
            <legend className="field__label">{t("contract.rate.stars")}</legend>
            {[5, 4, 3, 2, 1].map((s) => (
              <label key={s} className="choice" style={{ display: "block" }}>
                <input type="radio" name="stars" value={s} required /> {t("contract.rate.star", { stars: s })}
              </label>
            ))}
            {mine && mine.field !== "comment" ? <FieldErrors errors={[mine.message]} /> : null}
          </fieldset>
          <div className="field">
            <label htmlFor="rate-comment" className="field__label">
              {t("contract.rate.comment")}
            </label>
            <textarea id="rate-comment" name="comment" className="field__input" rows={3} maxLength={500} />
            {mine?.field === "comment" ? <FieldErrors errors={[mine.message]} /> : null}
          </div>
          <SubmitButton intent="rate">{t("contract.rate.send")}</SubmitButton>
        </Form>
      ) : null}
      {ratings.list.length ? (
        <ul className="list">
          {ratings.list.map((r, i) => (
            <li key={i} className="list-item">
              <span aria-label={t("contract.rate.star", { stars: r.stars })}>{"★".repeat(r.stars)}</span> {r.comment}{" "}
              <span className="muted">{date(r.at, "date")}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
