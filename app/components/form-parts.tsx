import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "~/i18n/react";

/*
 * The parts of a form that need neither Conform nor zod: a page with only
 * buttons and messages imports them from here and does not download the form
 * library (25 KB with gzip; the hall page's budget is 120 KB in all).
 */

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
export function SubmitButton({
  children,
  intent,
  className = "button button--primary button--block",
}: {
  children: ReactNode;
  intent?: string;
  className?: string;
}) {
  const { t } = useI18n();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && (intent === undefined || navigation.formData?.get("intent") === intent);
  return (
    <button type="submit" className={className} name={intent ? "intent" : undefined} value={intent} disabled={busy} aria-busy={busy}>
      {busy ? t("form.submitting") : children}
    </button>
  );
}
