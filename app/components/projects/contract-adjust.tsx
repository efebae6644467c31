import { Form } from "@remix-run/react";
import { FormMessage, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import { refusal, type IntentReply } from "~/lib/intents";
import type { ContractPageData } from "~/modules/projects/contract.server";

/** Staff move the milestones' due dates and payment shares before the organisation's first report; the shares must sum to 100. */
export function ContractAdjustForm({ data, result }: { data: ContractPageData; result: IntentReply | undefined }) {
  const { t } = useI18n();
  const error = refusal(result);
  const mine = error?.intent === "adjust" ? error : undefined;
  return (
    <section className="card" aria-labelledby="adjust-title">
      <h2 id="adjust-title">{t("contract.adjust.title")}</h2>
      <p className="muted">{t("contract.adjust.hint")}</p>
      <Form method="post" className="form">
        {mine ? <FormMessage errors={[mine.message]} /> : null}
        {data.milestones.map((m, i) => (
          <fieldset key={m.id} className="contract-adjust__row">
            <legend>
              {m.ordinal}. {m.title}
            </legend>
            <input type="hidden" name={`milestones[${i}].id`} value={m.id} />
            <div className="field">
              <label htmlFor={`adjust-due-${m.id}`} className="field__label">
                {t("contract.adjust.due", { n: m.ordinal })}
              </label>
              <input
                id={`adjust-due-${m.id}`}
                name={`milestones[${i}].dueOn`}
                type="date"
                defaultValue={m.dueOn}
                required
                className="field__input"
              />
            </div>
            <div className="field">
              <label htmlFor={`adjust-share-${m.id}`} className="field__label">
                {t("contract.adjust.share", { n: m.ordinal })}
              </label>
              <input
                id={`adjust-share-${m.id}`}
                name={`milestones[${i}].share`}
                type="number"
                min={0}
                max={100}
                step={1}
                inputMode="numeric"
                defaultValue={m.share}
                required
                className="field__input"
              />
            </div>
          </fieldset>
        ))}
        <SubmitButton intent="adjust">{t("contract.adjust.save")}</SubmitButton>
      </Form>
    </section>
  );
}
