import { Form } from "@remix-run/react";
import { SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import { DepartmentPicker } from "./department-picker";
import type { WhistlePageData } from "./page-data";

/** The subdistrict dispatches a requested whistle: kind, departments (suggested ones ticked), deadline, instructions. */
export function BlowForm({ data }: { data: WhistlePageData }) {
  const { t } = useI18n();
  const s = data.suggestion!;
  return (
    <section className="card" aria-labelledby="blow-title">
      <h2 id="blow-title">{t("whistle.blow")}</h2>
      <Form method="post" className="form">
        <label className="field">
          <span className="field__label">{t("whistle.kindLabel")}</span>
          <select name="kind" className="field__input" defaultValue={data.whistle.kind}>
            {(["resident_request", "enforcement", "key_task", "emergency"] as const).map((k) => (
              <option key={k} value={k}>
                {t(`whistle.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <legend className="field__label">{t("whistle.departments")}</legend>
          <p className="field__hint">{t("whistle.suggested")}</p>
          <DepartmentPicker departments={data.departments} suggested={s} />
        </fieldset>
        <label className="field">
          <span className="field__label">{t("whistle.keyTaskDue")}</span>
          <input type="datetime-local" name="keyTaskDueAt" className="field__input" />
        </label>
        <label className="field">
          <span className="field__label">{t("whistle.instructions")}</span>
          <textarea name="instructions" className="field__input" />
        </label>
        <SubmitButton intent="blow">{t("whistle.blowButton")}</SubmitButton>
      </Form>
    </section>
  );
}
