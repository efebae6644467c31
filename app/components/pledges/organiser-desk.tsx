import type { SubmissionResult } from "@conform-to/react";
import { Form, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { SubmitButton, TextField } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { hoursOf } from "~/modules/pledges/rules";
import { verifySchema } from "~/modules/pledges/schemas";
import type { RoleView } from "./activity-roles";
import { IntentForm } from "./small-form";

export interface RosterRow {
  id: number;
  name: string;
  roleId: number;
  status: "signed_up" | "waitlisted" | "cancelled";
  checkedInAt: string | null;
  checkedOutAt: string | null;
  attendance: "pending" | "verified" | "no_show";
  minutes: number | null;
  proposedMinutes: number;
  correctionRequest: string | null;
}

/** The organiser's desk: the venue's changing code, and the roster with check-in/out, no-shows and verification. */
export function OrganiserDesk({
  code,
  codeChangesAt,
  roster,
  roles,
  started,
  verifyReply,
}: {
  code: string;
  codeChangesAt: string;
  roster: RosterRow[];
  roles: RoleView[];
  started: boolean;
  verifyReply?: { signupId: number | null; reply: SubmissionResult<string[]> };
}) {
  const { t, date } = useI18n();
  const revalidator = useRevalidator();
  // A new code when this one expires.
  useEffect(() => {
    const wait = new Date(codeChangesAt).getTime() - Date.now() + 500;
    const timer = window.setTimeout(() => revalidator.revalidate(), Math.max(1_000, wait));
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the revalidator changes identity every render
  }, [codeChangesAt]);
  const roleName = (id: number) => roles.find((r) => r.id === id)?.name ?? "";
  return (
    <section className="card" aria-labelledby="desk-title" data-testid="organiser-desk">
      <h2 id="desk-title">{t("activity.organiser.title")}</h2>
      <p>{t("activity.organiser.code")}</p>
      <p className="receipt__code mono" data-testid="venue-code" style={{ fontSize: "2.4rem", letterSpacing: "0.2em" }}>
        {code}
      </p>
      <p className="muted">{t("activity.organiser.codeHint", { time: date(codeChangesAt, "time") })}</p>
      <h3>{t("activity.organiser.roster")}</h3>
      {roster.length === 0 ? <p className="empty">{t("activity.organiser.empty")}</p> : null}
      <ul className="list">
        {roster.map((r) => (
          <li key={r.id} className="list-item" data-testid="roster-row">
            <p className="list-item__title">
              {r.name} <span className="muted">· {roleName(r.roleId)}</span>{" "}
              <span className={`pill pill--${r.status === "signed_up" ? "ok" : "warn"}`}>{t(`activity.signup.${r.status}`)}</span>{" "}
              {r.status === "signed_up" ? <span className="pill pill--info">{t(`activity.attendance.${r.attendance}`)}</span> : null}
            </p>
            {r.checkedInAt ? <p className="muted">{t("activity.checkedIn", { time: date(r.checkedInAt, "time") })}</p> : null}
            {r.checkedOutAt ? <p className="muted">{t("activity.checkedOut", { time: date(r.checkedOutAt, "time") })}</p> : null}
            {r.attendance === "verified" ? <p>{t("activity.verifiedHours", { hours: hoursOf(r.minutes ?? 0) })}</p> : null}
            {r.correctionRequest ? <p className="notice notice--warn">{t("activity.organiser.request", { text: r.correctionRequest })}</p> : null}
            {r.status === "signed_up" ? (
              <Form method="post" className="actions">
                <input type="hidden" name="signupId" value={r.id} />
                {!r.checkedInAt ? (
                  <button type="submit" name="intent" value="checkIn" className="button button--small">
                    {t("activity.organiser.checkIn")}
                  </button>
                ) : null}
                {r.checkedInAt && !r.checkedOutAt ? (
                  <button type="submit" name="intent" value="checkOut" className="button button--small">
                    {t("activity.organiser.checkOut")}
                  </button>
                ) : null}
                {started && !r.checkedInAt && r.attendance === "pending" ? (
                  <button type="submit" name="intent" value="noShow" className="button button--small button--quiet">
                    {t("activity.organiser.noShow")}
                  </button>
                ) : null}
              </Form>
            ) : null}
            {r.status === "signed_up" && started && (r.checkedOutAt || r.attendance !== "pending") ? (
              <details open={r.attendance === "pending" || r.correctionRequest !== null}>
                <summary>{t("activity.organiser.verify")}</summary>
                <IntentForm id={`verify-${r.id}`} schema={verifySchema} lastResult={verifyReply?.signupId === r.id ? verifyReply.reply : undefined}
                  defaultValue={{ hours: String(hoursOf(r.minutes ?? r.proposedMinutes)) }}
                >
                  {(fields) => (
                    <>
                      <input type="hidden" name="signupId" value={r.id} />
                      <p className="muted">{t("activity.organiser.proposed", { hours: hoursOf(r.proposedMinutes) })}</p>
                      <TextField field={fields.hours} label={t("activity.organiser.hours")} />
                      <TextField field={fields.reason} label={t("activity.organiser.reason")} />
                      <SubmitButton intent="verify" className="button button--primary">
                        {t("activity.organiser.verify")}
                      </SubmitButton>
                    </>
                  )}
                </IntentForm>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
