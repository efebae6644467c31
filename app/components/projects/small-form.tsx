import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { FieldErrors, FormMessage, SubmitButton } from "~/components/form-parts";
import { refusal, type IntentReply } from "~/lib/intents";

/**
 * The errors of a refused reply for one small form of a page with many: only
 * when the reply is that form's intent (and, given `id`, carried that id).
 */
export function refusedFor(result: IntentReply | undefined, intent: string, id?: { name: string; value: number }) {
  const r = refusal(result);
  if (!r || r.intent !== intent) return undefined;
  if (id && String(r.sent[id.name] ?? "") !== String(id.value)) return undefined;
  return r;
}

/** One labelled text area whose error (from the command or the schema) sits right under it. */
export function TextBox({ id, name, label, error, rows = 3, maxLength, hint }: { id: string; name: string; label: string; error?: string; rows?: number; maxLength?: number; hint?: string }) {
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
      <textarea id={id} name={name} rows={rows} maxLength={maxLength} className="field__input" required aria-invalid={error ? true : undefined} aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : ""].join(" ").trim() || undefined} />
      {error ? <FieldErrors id={`${id}-error`} errors={[error]} /> : null}
    </div>
  );
}

/**
 * A form with one text area (a reason, an answer, a rationale) and hidden
 * fields: refused, its error shows beside the text; any other error above it.
 */
export function ReasonForm({
  intent,
  field,
  label,
  submit,
  result,
  hidden = {},
  idKey,
  children,
  hint,
  maxLength = 2000,
}: {
  intent: string;
  field: string;
  label: string;
  submit: string;
  result?: IntentReply;
  hidden?: Record<string, string | number>;
  /** The hidden field that tells this form from its siblings (a bid's id, a question's). */
  idKey?: string;
  children?: ReactNode;
  hint?: string;
  maxLength?: number;
}) {
  const idValue = idKey ? Number(hidden[idKey]) : undefined;
  const mine = refusedFor(result, intent, idKey ? { name: idKey, value: idValue! } : undefined);
  const domId = `${intent}-${field}${idValue !== undefined ? `-${idValue}` : ""}`;
  return (
    <Form method="post" className="form">
      {mine && mine.field !== field ? <FormMessage errors={[mine.message]} /> : null}
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {children}
      <TextBox id={domId} name={field} label={label} error={mine?.field === field ? mine.message : undefined} maxLength={maxLength} hint={hint} />
      <SubmitButton intent={intent} className="button button--primary">
        {submit}
      </SubmitButton>
    </Form>
  );
}
