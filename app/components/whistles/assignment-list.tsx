import { Form } from "@remix-run/react";
import { FieldErrors, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import { refusal, type IntentReply } from "~/lib/intents";
import { duration } from "./elapsed";
import type { WhistlePageData } from "./page-data";
import { WorkForms } from "./work-forms";

/** The whistle's assignments: each department's part, its next step and deadline, and the forms of whoever may act on it. */
export function AssignmentList({ data, result }: { data: WhistlePageData; result: IntentReply | undefined }) {
  const { t, date, punct } = useI18n();
  const { whistle } = data;
  const error = refusal(result);
  return (
    <section aria-labelledby="assignments-title">
      <h2 id="assignments-title">{t("whistle.assignments")}</h2>
      <ul className="list">
        {data.assignments.map((a) => (
          <li key={a.id} className={`list-item assignment${a.overdueMs ? " assignment--overdue" : ""}`} data-testid={`assignment-${a.id}`}>
            <div className="assignment__head">
              <strong>{a.departmentName}</strong>
              <span className="pill pill--info">{t(`whistle.role.${a.role}`)}</span>
              <span
                className={`pill pill--${a.state === "resolved" || a.state === "confirmed" ? "ok" : a.state === "returned" ? "bad" : "warn"}`}
                data-testid="assignment-state"
              >
                {t(`assignment.state.${a.state}`)}
              </span>
              {a.round > 0 ? <span className="pill pill--info">{t("whistle.redo")}</span> : null}
            </div>
            {a.next ? (
              <p className={a.overdueMs ? "overdue" : "muted"}>
                {a.overdueMs ? "⚠ " : ""}
                {t(`whistle.step.${a.next.step}`)}
                {punct.colon}
                {a.next.due
                  ? a.overdueMs
                    ? t("whistle.overdueBy", { time: duration(a.overdueMs, t) })
                    : t("whistle.dueIn", {
                        time: duration(new Date(a.next.due).getTime() - new Date(data.now).getTime(), t),
                        at: date(a.next.due),
                      })
                  : t("whistle.untilConfirmed")}
              </p>
            ) : null}
            {a.resultText ? (
              <p>
                {t("whistle.result")}
                {punct.colon}
                {a.resultText}
              </p>
            ) : null}
            {a.mine ? <WorkForms a={a} result={result} /> : null}
            {a.state === "resolved" && whistle.kind === "emergency" ? <p className="muted">{t("whistle.awaitingConfirmation")}</p> : null}
            {data.can.confirm && a.state === "resolved" ? (
              <Form method="post" className="actions">
                <input type="hidden" name="assignmentId" value={a.id} />
                {Number(error?.sent.assignmentId) === a.id && error?.intent === "confirm" ? <FieldErrors errors={[error.message]} /> : null}
                <SubmitButton intent="confirm" className="button button--primary">
                  {t("whistle.confirm")}
                </SubmitButton>
              </Form>
            ) : null}
            {data.can.blow && a.state === "returned" ? (
              <Form method="post" className="inline-form-row">
                <input type="hidden" name="assignmentId" value={a.id} />
                <label className="field">
                  <span className="field__label">{t("whistle.redispatchTo")}</span>
                  <select name="departmentId" className="field__input" required>
                    {data.departments.map((d) => (
                      <option key={d.id} value={d.id}>
                        {d.name}
                      </option>
                    ))}
                  </select>
                </label>
                <SubmitButton intent="redispatch" className="button">
                  {t("whistle.redispatch")}
                </SubmitButton>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
