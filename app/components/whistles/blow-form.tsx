import { Form } from "@remix-run/react";
import { SubmitButton } from "~/components/form";
import { useI18n } from "~/i18n/react";
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
          <table className="table dept-table">
            <thead>
              <tr>
                <th scope="col">{t("whistle.department")}</th>
                <th scope="col">{t("whistle.role.lead")}</th>
                <th scope="col">{t("whistle.role.cooperate")}</th>
              </tr>
            </thead>
            <tbody>
              {data.departments.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.name}
                    {s.rostered.includes(d.id) ? <span className="muted"> · 1+5+N</span> : null}
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      name="lead"
                      value={d.id}
                      defaultChecked={s.lead.includes(d.id)}
                      aria-label={`${d.name} ${t("whistle.role.lead")}`}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      name="cooperate"
                      value={d.id}
                      defaultChecked={s.cooperate.includes(d.id)}
                      aria-label={`${d.name} ${t("whistle.role.cooperate")}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
