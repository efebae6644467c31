import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/messages";
import { notFound } from "~/lib/auth.server";
import { pageTitle } from "~/lib/meta";
import { loggedMessages } from "~/modules/messages/channels.server";

export const meta: MetaFunction = (args) => pageTitle(args, "messages.demo.title");

/**
 * Demo only: what the log adapters would have sent (the last 200, codes
 * included, every demo account's). Anywhere but the demo this page does not
 * exist.
 */
export function loader(_args: LoaderFunctionArgs) {
  if (!config().demo) notFound();
  return { messages: loggedMessages().slice() };
}

export default function DemoOutboxPage() {
  const { t, date } = useI18n();
  const { messages } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("messages.demo.title")}</h1>
      <p className="muted">{t("messages.demo.lead")}</p>
      {messages.length === 0 ? <p className="empty">{t("messages.demo.empty")}</p> : null}
      <ul className="list">
        {messages.map((m) => (
          <li key={`${m.key}-${m.at}`} className="list-item">
            <div className="page-head" style={{ marginBottom: 0 }}>
              <strong>
                {t(`messages.channel.${m.channel}`)} · {t("messages.demo.to", { to: m.to })}
              </strong>
              <time className="muted" dateTime={m.at}>
                {date(m.at)}
              </time>
            </div>
            {m.channel === "email" ? <p style={{ margin: "4px 0", fontWeight: 600 }}>{m.subject}</p> : null}
            <pre style={{ whiteSpace: "pre-wrap", font: "inherit", margin: 0 }}>{m.text}</pre>
          </li>
        ))}
      </ul>
    </div>
  );
}
