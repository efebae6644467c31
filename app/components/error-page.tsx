import { Link, useLocation } from "@remix-run/react";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { AlertIcon } from "./icons";

const messages: Record<number, MessageKey> = {
  400: "error.400",
  401: "error.401",
  403: "error.403",
  404: "error.404",
  405: "error.400",
  413: "error.413",
};

/** The page for 401/403/404/500 and the rest: in the reader's language, never a stack trace. */
export function ErrorPage({ status }: { status: number }) {
  const { t } = useI18n();
  const location = useLocation();
  const key = messages[status] ?? "error.500";
  return (
    <section className="page narrow error-page" aria-labelledby="error-title">
      <AlertIcon size={48} />
      <p className="error-page__code">{status}</p>
      <h1 id="error-title">{t(key)}</h1>
      <div className="actions">
        {status === 401 ? (
          <Link className="button button--primary" to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}>
            {t("error.goLogin")}
          </Link>
        ) : null}
        <Link className="button" to="/">
          {t("error.backHome")}
        </Link>
      </div>
    </section>
  );
}
