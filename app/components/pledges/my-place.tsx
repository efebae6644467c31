import type { SubmissionResult } from "@conform-to/react";
import type { FormEvent } from "react";
import { SubmitButton, TextAreaField, TextField } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { hoursOf } from "~/modules/pledges/rules";
import { codeSchema, correctionSchema } from "~/modules/pledges/schemas";
import type { RoleView } from "./activity-roles";
import { IntentForm } from "./small-form";

export interface MyPlaceView {
  status: "signed_up" | "waitlisted" | "cancelled";
  roleId: number;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  attendance: "pending" | "verified" | "no_show";
  minutes: number | null;
  correctionRequest: string | null;
  correctionAnswer: string | null;
}

/**
 * The viewer's place: status, cancel, the venue code, verified time and a
 * request to correct it. Cancelling is a plain form; with scripts `onCancel`
 * sends it to the JSON write API (ADR 0013).
 */
export function MyPlace({
  mine,
  roles,
  signupOpen,
  replies,
  onCancel,
  busy = false,
}: {
  mine: MyPlaceView;
  roles: RoleView[];
  signupOpen: boolean;
  replies: Record<string, SubmissionResult<string[]> | undefined>;
  onCancel?: (event: FormEvent<HTMLFormElement>) => void;
  busy?: boolean;
}) {
  const { t, date } = useI18n();
  const role = roles.find((r) => r.id === mine.roleId)?.name ?? "";
  if (mine.status === "cancelled") return <p className="notice notice--info">{t("activity.mine.cancelled")}</p>;
  return (
    <section className="card" data-testid="my-place">
      <p className={`notice notice--${mine.status === "signed_up" ? "success" : "warn"}`} role="status" data-testid="my-status">
        {mine.status === "signed_up" ? t("activity.mine.signed_up", { role }) : t("activity.mine.waitlisted", { role })}
      </p>
      {mine.checkedInAt ? <p>{t("activity.checkedIn", { time: date(mine.checkedInAt, "time") })}</p> : null}
      {mine.checkedOutAt ? <p>{t("activity.checkedOut", { time: date(mine.checkedOutAt, "time") })}</p> : null}
      {mine.attendance === "verified" ? <p data-testid="my-hours"><strong>{t("activity.verifiedHours", { hours: hoursOf(mine.minutes ?? 0) })}</strong></p> : null}
      {mine.attendance === "no_show" ? <p className="notice notice--warn">{t("activity.noShow")}</p> : null}
      {mine.status === "signed_up" && !mine.checkedOutAt && mine.attendance === "pending" ? (
        <IntentForm id="code" schema={codeSchema} lastResult={replies.code}>
          {(fields) => (
            <>
              <h2>{t("activity.code.title")}</h2>
              <TextField field={fields.code} label={t("activity.code.label")} hint={t("activity.code.hint")} inputMode="numeric" autoComplete="one-time-code" />
              <SubmitButton intent="code">{t("activity.code.submit")}</SubmitButton>
            </>
          )}
        </IntentForm>
      ) : null}
      {mine.correctionRequest && !mine.correctionAnswer ? <p className="muted">{t("activity.correction.pending")}</p> : null}
      {mine.correctionAnswer ? <p className="muted">{t("activity.correction.answer", { answer: mine.correctionAnswer })}</p> : null}
      {mine.attendance !== "pending" && !(mine.correctionRequest && !mine.correctionAnswer) ? (
        <details>
          <summary>{t("activity.correction.label")}</summary>
          <IntentForm id="askCorrection" schema={correctionSchema} lastResult={replies.askCorrection}>
            {(fields) => (
              <>
                <TextAreaField field={fields.text} label={t("activity.correction.text")} rows={2} />
                <SubmitButton intent="askCorrection" className="button">
                  {t("activity.correction.submit")}
                </SubmitButton>
              </>
            )}
          </IntentForm>
        </details>
      ) : null}
      {signupOpen ? (
        <form method="post" className="actions" onSubmit={onCancel}>
          <input type="hidden" name="intent" value="cancel" />
          <button type="submit" className="button button--quiet" disabled={busy} aria-busy={busy}>
            {t("activity.cancel")}
          </button>
        </form>
      ) : null}
    </section>
  );
}
