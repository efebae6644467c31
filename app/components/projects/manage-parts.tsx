import { Form } from "@remix-run/react";
import { evaluatorRoles } from "#db/schema/values";
import { FieldErrors, FormMessage, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import { BidStatus, points } from "./award";
import type { ManageProjectPageData } from "./page-data";
import { useYuan } from "./project-parts";
import { ReasonForm, refusedFor } from "./small-form";

/** A one-line text input with its label and error beside it. */
function Line({ id, name, label, error, defaultValue, autoComplete = "off" }: { id: string; name: string; label: string; error?: string; defaultValue?: string; autoComplete?: string }) {
  return (
    <div className="field" data-invalid={error ? "" : undefined}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <input id={id} name={name} defaultValue={defaultValue} autoComplete={autoComplete} className="field__input" aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? <FieldErrors id={`${id}-error`} errors={[error]} /> : null}
    </div>
  );
}

/** The opening committee (开标小组): three accounts, any two open the bids; their key ceremony comes before publishing. */
export function CommitteeCard({ data, result }: { data: ManageProjectPageData; result?: IntentReply }) {
  const { t } = useI18n();
  const { committee } = data;
  const mine = refusedFor(result, "committee");
  return (
    <section className="section card" aria-labelledby="committee-title">
      <h2 id="committee-title">{t("project.committee.title")}</h2>
      <p className="muted">{t("project.committee.intro")}</p>
      {committee.members.length > 0 ? (
        <ul className="plain-list">
          {committee.members.map((m) => (
            <li key={m.index}>
              {m.name} <span className="muted">@{m.username}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <p className={committee.openingKey ? "notice notice--success" : "notice notice--info"}>{committee.openingKey ? t("project.committee.keyReady") : committee.members.length ? t("project.committee.waiting") : t("project.committee.none")}</p>
      {data.steps.committee ? (
        <Form method="post" className="form">
          {mine && !mine.field.startsWith("opener") ? <FormMessage errors={[mine.message]} /> : null}
          {[1, 2, 3].map((n) => (
            <Line key={n} id={`opener${n}`} name={`opener${n}`} label={t("project.committee.member", { n })} defaultValue={committee.members[n - 1]?.username ?? undefined} error={mine?.field === `opener${n}` ? mine.message : undefined} />
          ))}
          <SubmitButton intent="committee" className="button button--primary">
            {t("project.committee.submit")}
          </SubmitButton>
        </Form>
      ) : null}
    </section>
  );
}

/** The evaluation panel (评审小组): who, their role, where each stands; invite by account name, remove until they declared. */
export function PanelCard({ data, result }: { data: ManageProjectPageData; result?: IntentReply }) {
  const { t } = useI18n();
  const mine = refusedFor(result, "addEvaluator");
  return (
    <section className="section card" aria-labelledby="panel-title">
      <h2 id="panel-title">{t("project.panel.title")}</h2>
      <p className="muted">{t("project.panel.intro")}</p>
      {data.panel.length === 0 ? <p className="empty">{t("project.panel.none")}</p> : null}
      <ul className="list">
        {data.panel.map((e) => (
          <li key={e.userId} className="list-item list-item--row">
            <span className="list-item__title">
              {e.name} <span className="muted">@{e.username}</span>
            </span>
            <span className="pill pill--info">{t(`project.evaluatorRole.${e.role}`)}</span>
            <span className={`pill pill--${e.submittedAt ? "ok" : e.declaredAt ? "warn" : "info"}`}>
              {e.submittedAt ? t("project.panel.submitted") : e.declaredAt ? t("project.panel.declared") : t("project.panel.waiting")}
            </span>
            {data.steps.panel && !e.declaredAt ? (
              <Form method="post">
                <input type="hidden" name="userId" value={e.userId} />
                <SubmitButton intent="removeEvaluator" className="button button--small button--quiet">
                  {t("project.panel.remove")}
                </SubmitButton>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {data.steps.panel ? (
        <Form method="post" className="form">
          {mine && mine.field !== "username" && mine.field !== "role" ? <FormMessage errors={[mine.message]} /> : null}
          <Line id="evaluator-username" name="username" label={t("project.panel.username")} error={mine?.field === "username" ? mine.message : undefined} />
          <div className="field">
            <label htmlFor="evaluator-role" className="field__label">
              {t("project.panel.role")}
            </label>
            <select id="evaluator-role" name="role" className="field__input" defaultValue="expert">
              {evaluatorRoles.map((r) => (
                <option key={r} value={r}>
                  {t(`project.evaluatorRole.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <SubmitButton intent="addEvaluator" className="button button--primary">
            {t("project.panel.add")}
          </SubmitButton>
        </Form>
      ) : null}
    </section>
  );
}

/** Upload the call's documents (PDF or images, like evidence photos). */
export function DocumentsCard({ result }: { result?: IntentReply }) {
  const { t } = useI18n();
  const mine = refusedFor(result, "documents");
  return (
    <section className="section card" aria-labelledby="documents-upload-title">
      <h2 id="documents-upload-title">{t("project.documents.upload")}</h2>
      <Form method="post" encType="multipart/form-data" className="form">
        {mine && mine.field !== "photos" ? <FormMessage errors={[mine.message]} /> : null}
        <div className="field" data-invalid={mine?.field === "photos" ? "" : undefined}>
          <label htmlFor="project-documents" className="field__label">
            {t("project.documents.files")}
          </label>
          <p id="project-documents-hint" className="field__hint">
            {t("project.documents.hint")}
          </p>
          <input id="project-documents" type="file" name="photos" multiple accept="application/pdf,image/jpeg,image/png,image/webp" className="field__input" aria-describedby="project-documents-hint" />
          {mine?.field === "photos" ? <FieldErrors errors={[mine.message]} /> : null}
        </div>
        <SubmitButton intent="documents" className="button button--primary">
          {t("project.documents.submit")}
        </SubmitButton>
      </Form>
    </section>
  );
}

/** Publish: only once the committee's key exists. */
export function PublishCard({ data, result }: { data: ManageProjectPageData; result?: IntentReply }) {
  const { t } = useI18n();
  const mine = refusedFor(result, "publish");
  return (
    <section className="section card" aria-labelledby="publish-title">
      <h2 id="publish-title">{t("project.publish.title")}</h2>
      <p className="muted">{t("project.publish.intro")}</p>
      {mine ? <FormMessage errors={[mine.message]} /> : null}
      <Form method="post">
        <SubmitButton intent="publish" className="button button--primary button--block">
          {t("project.publish.submit")}
        </SubmitButton>
      </Form>
      {!data.committee.openingKey ? <p className="notice notice--warn">{t("project.error.noOpeningKey")}</p> : null}
    </section>
  );
}

/** The bids once opened: price, status, score and rank; disqualify with a reason; award with a rationale. */
export function BidsCard({ data, result }: { data: ManageProjectPageData; result?: IntentReply }) {
  const { t } = useI18n();
  const yuan = useYuan();
  if (data.bids.length === 0) return null;
  const awardable = data.bids.filter((b) => b.rank !== null).sort((a, b) => a.rank! - b.rank!);
  const award = refusedFor(result, "award");
  return (
    <section className="section card" aria-labelledby="bids-title">
      <h2 id="bids-title">{t("project.manage.bids")}</h2>
      <ul className="list">
        {data.bids.map((b) => (
          <li key={b.id} className="list-item">
            <p className="list-item__title">
              {b.rank ? t("project.manage.rank", { rank: b.rank }) : null} {b.organization}
            </p>
            <p>
              {b.price === null ? "—" : yuan(b.price)} · <BidStatus status={b.status} /> · {t("project.bid.scoreValue", { score: points(b.score) })}
            </p>
            {b.disqualifiedReason ? <p className="muted">{b.disqualifiedReason}</p> : null}
            {data.steps.disqualify && (b.status === "submitted" || b.status === "valid") ? (
              <details open={Boolean(refusedFor(result, "disqualify", { name: "bidId", value: b.id }))}>
                <summary>{t("project.disqualify.open")}</summary>
                <ReasonForm intent="disqualify" field="reason" label={t("project.disqualify.reason")} submit={t("project.disqualify.submit")} result={result} hidden={{ bidId: b.id }} idKey="bidId" maxLength={500} />
              </details>
            ) : null}
          </li>
        ))}
      </ul>
      {!data.allSubmitted && data.project.status === "evaluating" ? <p className="notice notice--info">{t("project.manage.waitPanel")}</p> : null}
      {data.steps.award ? (
        <ReasonForm intent="award" field="rationale" label={t("project.award.rationaleLabel")} hint={t("project.award.rationaleHint")} submit={t("project.award.submit")} result={result}>
          <div className="field" data-invalid={award?.field === "bidId" ? "" : undefined}>
            <label htmlFor="award-bid" className="field__label">
              {t("project.award.bid")}
            </label>
            <select id="award-bid" name="bidId" className="field__input" defaultValue={awardable[0]?.id}>
              {awardable.map((b) => (
                <option key={b.id} value={b.id}>
                  {t("project.manage.rank", { rank: b.rank! })} {b.organization} · {points(b.score)}
                </option>
              ))}
            </select>
            {award?.field === "bidId" ? <FieldErrors errors={[award.message]} /> : null}
          </div>
        </ReasonForm>
      ) : null}
    </section>
  );
}

/** Call it off, with a public reason. */
export function CancelCard({ result }: { result?: IntentReply }) {
  const { t } = useI18n();
  return (
    <section className="section" aria-labelledby="cancel-title">
      <details open={Boolean(refusedFor(result, "cancel"))}>
        <summary id="cancel-title">{t("project.cancel.open")}</summary>
        <ReasonForm intent="cancel" field="reason" label={t("project.cancel.reason")} submit={t("project.cancel.submit")} result={result} maxLength={500} />
      </details>
    </section>
  );
}
