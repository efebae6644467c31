import { Form } from "@remix-run/react";
import { FieldErrors, FormMessage, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import { BidStatus, points } from "./award";
import type { EvaluatePageData } from "./page-data";
import { useCriterionName, useYuan } from "./project-parts";
import { refusedFor } from "./small-form";

type Bid = EvaluatePageData["bids"][number];

/** A bid's contents as the panel reads them (opened): price, plan, team, experience, milestones, attachments. */
export function BidContentsCard({ bid }: { bid: Bid }) {
  const { t, date, number } = useI18n();
  const yuan = useYuan();
  const c = bid.contents;
  return (
    <article className="card" aria-labelledby={`bid-${bid.id}-title`}>
      <h3 id={`bid-${bid.id}-title`}>
        {bid.organization} · {bid.price === null ? "—" : yuan(bid.price)}
      </h3>
      <BidStatus status={bid.status} />
      {bid.disqualifiedReason ? <p className="muted">{bid.disqualifiedReason}</p> : null}
      {c ? (
        <details>
          <summary>{t("project.evaluate.readBid")}</summary>
          <h4>{t("project.bid.plan")}</h4>
          <p className="pre-line">{c.plan}</p>
          <h4>{t("project.bid.team")}</h4>
          <p className="pre-line">{c.team}</p>
          {c.experience ? (
            <>
              <h4>{t("project.bid.experience")}</h4>
              <p className="pre-line">{c.experience}</p>
            </>
          ) : null}
          <h4>{t("project.bid.milestones")}</h4>
          <ol className="plain-list">
            {c.milestones.map((m, i) => (
              <li key={i}>
                {m.title} · {date(`${m.due}T12:00:00Z`, "date")} · {t("project.weightValue", { weight: m.share })}
              </li>
            ))}
          </ol>
          {c.attachments.length ? (
            <>
              <h4>{t("project.bid.attachments")}</h4>
              <ul className="plain-list project-files">
                {c.attachments.map((a) => (
                  <li key={a.sha256}>
                    {a.name} <span className="muted">{t("project.kilobytes", { kb: number(Math.ceil(a.bytes / 1024)) })}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </details>
      ) : null}
    </article>
  );
}

/** Step 1: for every valid bid, a conflict of interest or none (a conflict bars scoring that bid). */
export function DeclareForm({ data, result }: { data: EvaluatePageData; result?: IntentReply }) {
  const { t } = useI18n();
  const valid = data.bids.filter((b) => b.status !== "disqualified");
  const mine = refusedFor(result, "declare");
  return (
    <section className="section card" aria-labelledby="declare-title">
      <h2 id="declare-title">{t("project.evaluate.declareTitle")}</h2>
      <p className="muted">{t("project.evaluate.declareIntro")}</p>
      <Form method="post" className="form">
        {mine && !mine.field.startsWith("bids[") ? <FormMessage errors={[mine.message]} /> : null}
        {valid.map((b, i) => {
          const error = mine?.field.startsWith(`bids[${i}]`) ? mine.message : undefined;
          return (
            <fieldset key={b.id} className="field" data-invalid={error ? "" : undefined} aria-describedby={error ? `declare-${b.id}-error` : undefined}>
              <legend className="field__label">{t("project.evaluate.conflictWith", { organization: b.organization })}</legend>
              <input type="hidden" name={`bids[${i}].bidId`} value={b.id} />
              <label className="check">
                <input type="radio" name={`bids[${i}].conflict`} value="no" required />
                <span>{t("project.evaluate.noConflict")}</span>
              </label>
              <label className="check">
                <input type="radio" name={`bids[${i}].conflict`} value="yes" defaultChecked={b.ownOrganization} />
                <span>{t("project.evaluate.conflict")}</span>
              </label>
              <label htmlFor={`declare-${b.id}-note`} className="field__label">
                {t("project.evaluate.note")}
              </label>
              <input id={`declare-${b.id}-note`} name={`bids[${i}].note`} maxLength={300} className="field__input" />
              {error ? <FieldErrors id={`declare-${b.id}-error`} errors={[error]} /> : null}
            </fieldset>
          );
        })}
        <SubmitButton intent="declare" className="button button--primary button--block">
          {t("project.evaluate.declareSubmit")}
        </SubmitButton>
      </Form>
    </section>
  );
}

/** Step 2: a score 0–100 per criterion for every bid one may score; save a draft, or submit (final). */
export function ScoreForm({ data, result }: { data: EvaluatePageData; result?: IntentReply }) {
  const { t } = useI18n();
  const name = useCriterionName();
  const submitted = data.me.submittedAt !== null;
  const mine = refusedFor(result, "submitScores") ?? refusedFor(result, "saveScores");
  const saved = result?.intent === "saveScores" && result.ok;
  const scorable = data.bids.filter((b) => b.status !== "disqualified" && b.conflict === false);
  return (
    <section className="section card" aria-labelledby="score-title">
      <h2 id="score-title">{t("project.evaluate.scoreTitle")}</h2>
      <p className="muted">{submitted ? t("project.evaluate.submittedIntro") : t("project.evaluate.scoreIntro")}</p>
      {saved ? <p className="notice notice--success">{t("project.evaluate.saved")}</p> : null}
      <Form method="post" className="form">
        {mine && !mine.field.startsWith("sheets[") ? <FormMessage errors={[mine.message]} /> : null}
        {scorable.map((b, i) => {
          const error = mine?.field.startsWith(`sheets[${i}]`) ? mine.message : undefined;
          return (
            <fieldset key={b.id} className="field" data-invalid={error ? "" : undefined}>
              <legend className="field__label">{b.organization}</legend>
              <input type="hidden" name={`sheets[${i}].bidId`} value={b.id} />
              {data.project.criteria.map((c) => (
                <div key={c.id} className="field">
                  <label htmlFor={`score-${b.id}-${c.id}`} className="field__label">
                    {t("project.evaluate.criterionScore", { criterion: name(c), weight: c.weight })}
                  </label>
                  <input
                    id={`score-${b.id}-${c.id}`}
                    name={`sheets[${i}].scores.${c.id}`}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={100}
                    step={1}
                    defaultValue={b.scores[c.id] ?? ""}
                    disabled={submitted}
                    className="field__input"
                  />
                </div>
              ))}
              {error ? <FieldErrors errors={[error]} /> : null}
            </fieldset>
          );
        })}
        {data.bids
          .filter((b) => b.conflict === true)
          .map((b) => (
            <p key={b.id} className="notice notice--info">
              {t("project.evaluate.recused", { organization: b.organization })}
            </p>
          ))}
        {!submitted ? (
          <div className="actions">
            <SubmitButton intent="saveScores" className="button">
              {t("project.evaluate.save")}
            </SubmitButton>
            <SubmitButton intent="submitScores" className="button button--primary">
              {t("project.evaluate.submit")}
            </SubmitButton>
          </div>
        ) : null}
      </Form>
    </section>
  );
}

/** Once every evaluator has submitted: the panel's scores (by number and role) and each bid's score. */
export function PanelSheets({ data }: { data: EvaluatePageData }) {
  const { t } = useI18n();
  const name = useCriterionName();
  if (!data.allSubmitted) return <p className="notice notice--info">{t("project.evaluate.othersHidden")}</p>;
  const bids = data.bids.filter((b) => b.status !== "disqualified");
  return (
    <section className="section" aria-labelledby="sheets-title">
      <h2 id="sheets-title">{t("project.public.sheets")}</h2>
      <ul className="plain-list">
        {bids.map((b) => (
          <li key={b.id}>
            {b.organization} · {t("project.bid.scoreValue", { score: points(b.score) })}
          </li>
        ))}
      </ul>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="sheets-title">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("project.public.evaluator")}</th>
              <th scope="col">{t("project.bid.organization")}</th>
              {data.project.criteria.map((c) => (
                <th key={c.id} scope="col">
                  {name(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.sheets.flatMap((s) =>
              bids.map((b) => (
                <tr key={`${s.number}-${b.id}`}>
                  <td>
                    {t("project.public.evaluatorName", { n: s.number, role: t(`project.evaluatorRole.${s.role}`) })}
                    {s.mine ? ` · ${t("project.evaluate.me")}` : ""}
                  </td>
                  <td>{b.organization}</td>
                  {s.conflicts.includes(b.id) ? (
                    <td colSpan={data.project.criteria.length}>{t("project.public.recused")}</td>
                  ) : (
                    data.project.criteria.map((c) => <td key={c.id}>{s.scores.find((x) => x.bidId === b.id && x.criterion === c.id)?.score ?? "—"}</td>)
                  )}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
