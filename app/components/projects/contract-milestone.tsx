import { Form } from "@remix-run/react";
import { FieldErrors, SubmitButton } from "~/components/form-parts";
import { PhotoInput } from "~/components/photos/photo-input";
import { useI18n } from "~/i18n/react";
import { refusal, type IntentReply } from "~/lib/intents";
import { MAX_PHOTOS } from "~/lib/uploads";
import type { ContractPageData } from "~/modules/projects/contract.server";

type Milestone = ContractPageData["milestones"][number];
type Can = ContractPageData["can"];

const tones: Record<Milestone["status"], string> = {
  scheduled: "info",
  reported: "warn",
  met: "ok",
  partially_met: "warn",
  not_met: "bad",
};

/**
 * One milestone: its state, the organisation's report and evidence, staff's
 * judgement and the payment; and the form the viewer may use now (report,
 * judge or pay). Each card is a region named by its milestone, so its forms'
 * labels are found within it.
 */
export function ContractMilestone({ milestone: m, can, result }: { milestone: Milestone; can: Can; result: IntentReply | undefined }) {
  const { t, date, number, punct } = useI18n();
  const error = refusal(result);
  const mine = error && String(error.sent.milestoneId ?? "") === String(m.id) ? error : undefined;
  const fieldError = (field: string) => (mine && mine.field === field ? [mine.message] : undefined);
  const formError =
    mine && !["text", "attendance", "evidence", "verdict", "note", "paidOn", "amount"].includes(mine.field) ? [mine.message] : undefined;
  const titleId = `milestone-${m.id}-title`;
  return (
    <section className="card contract-milestone" aria-labelledby={titleId} data-testid={`milestone-${m.ordinal}`}>
      <h3 id={titleId}>{t("contract.milestone.heading", { n: m.ordinal, title: m.title })}</h3>
      <p>
        <span className={`pill pill--${tones[m.status]}`}>{t(`contract.milestone.status.${m.status}`)}</span>{" "}
        <span className="muted">
          {t("contract.milestone.due", { date: m.dueOn })} ·{" "}
          {t("contract.milestone.share", { share: m.share, amount: number(m.shareAmount) })}
        </span>
      </p>
      {m.reportedAt ? (
        <div className="contract-milestone__report">
          <h4>{t("contract.milestone.report")}</h4>
          <p className="pre-line">{m.report}</p>
          <p className="muted">
            {t("contract.milestone.reportedAt", { at: date(m.reportedAt) })}
            {m.attendance !== null ? ` · ${t("contract.milestone.attendance", { count: m.attendance })}` : ""}
            {` · ${t("contract.milestone.evidenceCount", { count: m.evidenceCount })}`}
          </p>
          {m.evidence.length ? (
            <ul className="contract-evidence">
              {m.evidence.map((e) => (
                <li key={e.file}>
                  {e.mime === "application/pdf" ? (
                    <a href={`/uploads/${e.file}`}>📄 {t("contract.milestone.document", { name: e.name })}</a>
                  ) : (
                    <a href={`/uploads/${e.file}`}>
                      <img src={`/uploads/${e.file}`} alt={t("contract.milestone.photo", { name: e.name })} loading="lazy" width={160} />
                    </a>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {m.judgedAt ? (
        <p>
          {t("contract.milestone.judgement")}
          {punct.colon}
          {m.judgement} <span className="muted">({date(m.judgedAt, "date")})</span>
        </p>
      ) : null}
      {m.paidAt ? (
        <p data-testid={`paid-${m.ordinal}`}>
          {t("contract.milestone.paid", { amount: number(m.paidAmount ?? 0), date: date(m.paidAt, "date") })}
        </p>
      ) : null}

      {can.report && m.status === "scheduled" ? (
        <Form method="post" encType="multipart/form-data" className="form" aria-label={t("contract.report.title", { n: m.ordinal })}>
          <h4>{t("contract.report.title", { n: m.ordinal })}</h4>
          <input type="hidden" name="milestoneId" value={m.id} />
          {formError ? <FieldErrors errors={formError} /> : null}
          <div className="field" data-invalid={fieldError("text") ? "" : undefined}>
            <label htmlFor={`report-text-${m.id}`} className="field__label">
              {t("contract.report.text")}
            </label>
            <textarea id={`report-text-${m.id}`} name="text" className="field__input" rows={4} maxLength={2000} required />
            <FieldErrors errors={fieldError("text")} />
          </div>
          <div className="field" data-invalid={fieldError("attendance") ? "" : undefined}>
            <label htmlFor={`report-attendance-${m.id}`} className="field__label">
              {t("contract.report.attendance")}
            </label>
            <input
              id={`report-attendance-${m.id}`}
              name="attendance"
              type="number"
              min={0}
              max={100000}
              inputMode="numeric"
              className="field__input"
            />
            <FieldErrors errors={fieldError("attendance")} />
          </div>
          <div className="field" data-invalid={fieldError("evidence") ? "" : undefined}>
            <label htmlFor={`report-evidence-${m.id}`} className="field__label">
              {t("contract.report.evidence")}
            </label>
            <p id={`report-evidence-${m.id}-hint`} className="field__hint">
              {t("contract.report.evidenceHint", { max: MAX_PHOTOS })}
            </p>
            <PhotoInput
              id={`report-evidence-${m.id}`}
              name="evidence"
              describedBy={`report-evidence-${m.id}-hint`}
              serverError={fieldError("evidence")?.[0]}
              documents
            />
          </div>
          <SubmitButton intent="report">{t("contract.report.send")}</SubmitButton>
        </Form>
      ) : null}

      {can.judge && m.status === "reported" ? (
        <Form method="post" className="form" aria-label={t("contract.judge.title", { n: m.ordinal })}>
          <h4>{t("contract.judge.title", { n: m.ordinal })}</h4>
          <input type="hidden" name="milestoneId" value={m.id} />
          {formError ? <FieldErrors errors={formError} /> : null}
          <fieldset className="field choices" data-invalid={fieldError("verdict") ? "" : undefined}>
            <legend className="field__label">{t("contract.judge.verdict")}</legend>
            {(["met", "partially_met", "not_met"] as const).map((v) => (
              <label key={v} className="choice" style={{ display: "block" }}>
                <input type="radio" name="verdict" value={v} required /> {t(`contract.milestone.status.${v}`)}
              </label>
            ))}
            <FieldErrors errors={fieldError("verdict")} />
          </fieldset>
          <div className="field" data-invalid={fieldError("note") ? "" : undefined}>
            <label htmlFor={`judge-note-${m.id}`} className="field__label">
              {t("contract.judge.note")}
            </label>
            <textarea id={`judge-note-${m.id}`} name="note" className="field__input" rows={3} maxLength={1000} required />
            <FieldErrors errors={fieldError("note")} />
          </div>
          <SubmitButton intent="judge">{t("contract.judge.send")}</SubmitButton>
        </Form>
      ) : null}

      {can.pay && (m.status === "met" || m.status === "partially_met") && !m.paidAt ? (
        <Form method="post" className="form" aria-label={t("contract.pay.title", { n: m.ordinal })}>
          <h4>{t("contract.pay.title", { n: m.ordinal })}</h4>
          <input type="hidden" name="milestoneId" value={m.id} />
          {formError ? <FieldErrors errors={formError} /> : null}
          <div className="field" data-invalid={fieldError("paidOn") ? "" : undefined}>
            <label htmlFor={`pay-date-${m.id}`} className="field__label">
              {t("contract.pay.date")}
            </label>
            <input id={`pay-date-${m.id}`} name="paidOn" type="date" className="field__input" required />
            <FieldErrors errors={fieldError("paidOn")} />
          </div>
          {m.status === "partially_met" ? (
            <div className="field" data-invalid={fieldError("amount") ? "" : undefined}>
              <label htmlFor={`pay-amount-${m.id}`} className="field__label">
                {t("contract.pay.amount", { max: number(m.shareAmount) })}
              </label>
              <input
                id={`pay-amount-${m.id}`}
                name="amount"
                type="number"
                min={0}
                max={m.shareAmount}
                inputMode="numeric"
                className="field__input"
                required
              />
              <FieldErrors errors={fieldError("amount")} />
            </div>
          ) : (
            <p>{t("contract.pay.full", { amount: number(m.shareAmount) })}</p>
          )}
          <SubmitButton intent="pay">{t("contract.pay.send")}</SubmitButton>
        </Form>
      ) : null}
    </section>
  );
}
