import { PhotoInput } from "~/components/photos/photo-input";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { AssignmentState } from "#db/schema/whistles";
import { FieldErrors, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import { MAX_PHOTOS } from "~/lib/uploads";
import { refusal, type IntentReply } from "~/lib/intents";

/**
 * An officer's steps on their assignment: sign for; report on site (how many
 * came, and a note or a photo); progress; resolve (the result, and a photo or
 * the reason there is none); return. Errors show beside their field; typed
 * values stay (the forms are not reset on a refusal).
 */
export function WorkForms({ a, result }: { a: { id: number; state: AssignmentState }; result: IntentReply | undefined }) {
  const { t } = useI18n();
  const refused = refusal(result);
  const error = refused && Number(refused.sent.assignmentId) === a.id ? refused : undefined;
  const on = (intent: string, field: string) => (error?.intent === intent && error.field === field ? error.message : undefined);
  const fieldless =
    error && !["people", "note", "photos", "resultText", "noEvidenceReason", "reason"].includes(error.field) ? error.message : undefined;
  return (
    <div className="work">
      {fieldless ? <FieldErrors errors={[fieldless]} /> : null}
      {a.state === "dispatched" ? (
        <div className="actions">
          <Form method="post">
            <input type="hidden" name="assignmentId" value={a.id} />
            <SubmitButton intent="sign" className="button button--primary">
              {t("assignment.sign")}
            </SubmitButton>
          </Form>
        </div>
      ) : null}
      {a.state === "signed" ? (
        <Form method="post" encType="multipart/form-data" className="form">
          <input type="hidden" name="assignmentId" value={a.id} />
          <Field id={`people-${a.id}`} label={t("assignment.people")} hint={t("assignment.peopleHint")} error={on("on_site", "people")}>
            {(p) => <input {...p} name="people" type="number" inputMode="numeric" min={1} max={999} required />}
          </Field>
          <Field id={`note-${a.id}`} label={t("assignment.note")} hint={t("assignment.noteHint")} error={on("on_site", "note")}>
            {(p) => <textarea {...p} name="note" maxLength={1000} />}
          </Field>
          <PhotoField id={`photos-on-site-${a.id}`} error={on("on_site", "photos")} />
          <SubmitButton intent="on_site" className="button button--primary">
            {t("assignment.onSite")}
          </SubmitButton>
        </Form>
      ) : null}
      {a.state === "on_site" ? (
        <Form method="post" encType="multipart/form-data" className="form">
          <input type="hidden" name="assignmentId" value={a.id} />
          <Field id={`result-${a.id}`} label={t("assignment.resultText")} error={on("resolve", "resultText")}>
            {(p) => <textarea {...p} name="resultText" maxLength={2000} required />}
          </Field>
          <PhotoField id={`photos-resolve-${a.id}`} error={on("resolve", "photos")} />
          <Field
            id={`no-evidence-${a.id}`}
            label={t("assignment.noEvidenceReason")}
            hint={t("assignment.noEvidenceHint")}
            error={on("resolve", "noEvidenceReason")}
          >
            {(p) => <input {...p} name="noEvidenceReason" maxLength={500} />}
          </Field>
          <SubmitButton intent="resolve" className="button button--primary">
            {t("assignment.resolve")}
          </SubmitButton>
        </Form>
      ) : null}
      {a.state === "signed" || a.state === "on_site" ? (
        <details open={error?.intent === "progress" || undefined}>
          <summary className="button button--quiet">{t("assignment.more")}</summary>
          <Form method="post" className="form">
            <input type="hidden" name="assignmentId" value={a.id} />
            <Field id={`progress-${a.id}`} label={t("assignment.progress")} error={on("progress", "note")}>
              {(p) => <input {...p} name="note" />}
            </Field>
            <SubmitButton intent="progress" className="button">
              {t("assignment.postProgress")}
            </SubmitButton>
          </Form>
          <Form method="post" className="form">
            <input type="hidden" name="assignmentId" value={a.id} />
            <label className="field">
              <span className="field__label">{t("assignment.newDue")}</span>
              <input type="datetime-local" name="newDueAt" className="field__input" required />
            </label>
            <label className="field">
              <span className="field__label">{t("desk.reason")}</span>
              <input name="reason" className="field__input" required />
            </label>
            <SubmitButton intent="extension" className="button">
              {t("assignment.askExtension")}
            </SubmitButton>
          </Form>
        </details>
      ) : null}
      {a.state === "dispatched" || a.state === "signed" ? (
        <details open={error?.intent === "return" || undefined}>
          <summary className="button button--quiet">{t("assignment.return")}</summary>
          <Form method="post" className="form">
            <input type="hidden" name="assignmentId" value={a.id} />
            <Field id={`return-${a.id}`} label={t("assignment.returnReason")} error={on("return", "reason")}>
              {(p) => <textarea {...p} name="reason" />}
            </Field>
            <SubmitButton intent="return" className="button">
              {t("assignment.confirmReturn")}
            </SubmitButton>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

type InputProps = { id: string; className: string; "aria-describedby"?: string; "aria-invalid"?: true };

/** A labelled field with its hint and its error beside it. */
function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  children: (props: InputProps) => ReactNode;
}) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field" data-invalid={error ? "" : undefined}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {children({ id, className: "field__input", "aria-describedby": described, "aria-invalid": error ? true : undefined })}
      {error ? <FieldErrors id={`${id}-error`} errors={[error]} /> : null}
    </div>
  );
}

function PhotoField({ id, error }: { id: string; error: string | undefined }) {
  const { t } = useI18n();
  return (
    <div className="field" data-invalid={error ? "" : undefined}>
      <label htmlFor={id} className="field__label">
        {t("assignment.photos")}
      </label>
      <p id={`${id}-hint`} className="field__hint">
        {t("assignment.photosHint", { max: MAX_PHOTOS })}
      </p>
      {/* Shrinks phone photos in the browser before they are sent (ADR 0023). */}
      <PhotoInput id={id} describedBy={`${id}-hint`} serverError={error} documents />
    </div>
  );
}
