import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { SubmitButton } from "~/components/form-parts";
import { BellIcon } from "~/components/icons";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { runCommand } from "~/lib/command.server";
import { markAllRead } from "~/modules/notifications/commands.server";
import { listNotifications } from "~/modules/notifications/queries.server";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction = (args) => pageTitle(args, "notifications.title");

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const rows = await listNotifications(db(), user.id);
  return {
    notifications: rows.map((n) => ({ id: n.id, kind: n.kind, params: n.params, link: n.link, createdAt: n.createdAt.toISOString(), read: n.readAt !== null })),
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  await runCommand((tx) => markAllRead(tx, user.id));
  return null;
}

export default function NotificationsPage() {
  const { t, tx, date } = useI18n();
  const { notifications } = useLoaderData<typeof loader>();
  const anyUnread = notifications.some((n) => !n.read);
  return (
    <div className="page narrow">
      <div className="page-head">
        <h1>{t("notifications.title")}</h1>
        {anyUnread ? (
          <Form method="post">
            <SubmitButton className="button button--small">{t("notifications.markAllRead")}</SubmitButton>
          </Form>
        ) : null}
      </div>
      {notifications.length === 0 ? (
        <div className="empty">
          <BellIcon size={40} />
          <p>{t("notifications.empty")}</p>
        </div>
      ) : (
        <ul className="list">
          {notifications.map((n) => (
            <li key={n.id} className={`list-item${n.read ? "" : " list-item--unread"}`}>
              {!n.read ? <span className="pill pill--accent">{t("notifications.unread")}</span> : null}
              <p className="list-item__text">{n.link ? <Link to={n.link}>{tx(n.kind, n.params)}</Link> : tx(n.kind, n.params)}</p>
              <time className="muted" dateTime={n.createdAt}>
                {date(n.createdAt)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
