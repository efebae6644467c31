import type { FormEvent } from "react";
import { useI18n } from "~/i18n/react";

export interface RoleView {
  id: number;
  name: string;
  slots: number;
  signedUp: number;
  waitlisted: number;
}

/**
 * The roles with their places (live), and a sign-up button for each when the
 * viewer may sign up. Each button is a plain form posting to the page's
 * action; with scripts, `onSignUp` sends it to the JSON write API instead (ADR 0013).
 */
export function ActivityRoles({ roles, canSignUp, busy, onSignUp }: { roles: RoleView[]; canSignUp: boolean; busy: boolean; onSignUp?: (event: FormEvent<HTMLFormElement>) => void }) {
  const { t } = useI18n();
  return (
    <ul className="list" data-testid="roles">
      {roles.map((r) => {
        const free = Math.max(0, r.slots - r.signedUp);
        return (
          <li key={r.id} className="list-item list-item--row" data-testid={`role-${r.id}`}>
            <span className="list-item__title">{r.name}</span>
            <span data-testid="role-count" aria-live="polite">
              {t("activity.role.count", { taken: r.signedUp, slots: r.slots })}
            </span>
            {r.waitlisted > 0 ? <span className="muted">{t("activity.role.waitlist", { count: r.waitlisted })}</span> : null}
            {canSignUp ? (
              <form method="post" onSubmit={onSignUp}>
                <input type="hidden" name="intent" value="signUp" />
                <input type="hidden" name="roleId" value={r.id} />
                <button type="submit" className={free > 0 ? "button button--primary" : "button"} disabled={busy} aria-busy={busy}>
                  {free > 0 ? t("activity.signUp") : t("activity.waitlistJoin")}
                </button>
              </form>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
