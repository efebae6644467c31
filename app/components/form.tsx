import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "~/i18n/react";

type InputType = "text" | "password" | "tel" | "email" | "number" | "date" | "datetime-local" | "search";

/** A labelled input with its hint and its error right beside it (design.md: forms that forgive). */
export function TextField({
  field,
  label,
  hint,
  type = "text",
  autoComplete,
  inputMode,
}: {
  /** Text and number fields alike: the input carries either as text. */
  field: FieldMetadata<string | undefined> | FieldMetadata<number | undefined> | FieldMetadata<number>;
  label: string;
  hint?: string;
  type?: InputType;
  autoComplete?: string;
  inputMode?: "text" | "numeric" | "tel";
}) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const props = getInputProps(field as FieldMetadata<string | undefined>, { type, ariaDescribedBy: hintId });
  return (
    <div className="field" data-invalid={field.errors ? "" : undefined}>
      <label htmlFor={field.id} className="field__label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <input {...props} key={props.key} className="field__input" autoComplete={autoComplete} inputMode={inputMode} />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

/** Errors arrive as translation keys from the shared zod schema or the command. */
export function FieldErrors({ id, errors }: { id?: string; errors?: string[] }) {
  const { tx } = useI18n();
  if (!errors?.length) return <div id={id} />;
  return (
    <div id={id} className="field__error" role="alert">
      {errors.map((e) => (
        <p key={e}>{tx(e)}</p>
      ))}
    </div>
  );
}

/** A form-level message (not tied to one field). */
export function FormMessage({ id, errors, tone = "error" }: { id?: string; errors?: string[]; tone?: "error" | "success" }) {
  const { tx } = useI18n();
  if (!errors?.length) return null;
  return (
    <div id={id} className={`notice notice--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {errors.map((e) => (
        <p key={e}>{tx(e)}</p>
      ))}
    </div>
  );
}

/** The primary button, which says it is working while the form is on its way. */
export function SubmitButton({ children, intent, className = "button button--primary button--block" }: { children: ReactNode; intent?: string; className?: string }) {
  const { t } = useI18n();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && (intent === undefined || navigation.formData?.get("intent") === intent);
  return (
    <button type="submit" className={className} name={intent ? "intent" : undefined} value={intent} disabled={busy} aria-busy={busy}>
      {busy ? t("form.submitting") : children}
    </button>
  );
}
