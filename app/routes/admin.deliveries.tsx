import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { deliveryChannels, deliveryStates } from "#db/schema/values";
import { FormMessage, SubmitButton } from "~/components/form-parts";
import { messageWithParams } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/messages";
import { requireUser } from "~/lib/auth.server";
import { formId, readForm } from "~/lib/input.server";
import { toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { retryDeliveries } from "~/modules/messages/commands.server";
import { deliveryOverview } from "~/modules/messages/queries.server";
import { categoryOf } from "~/modules/messages/rules";

/** The delivery queue and its dead letters (district and platform administrators; checked again in the query and the command). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return deliveryOverview(db(), await getActor(context)).catch(toHttpError);
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await readForm(request);
  // One delivery, or every dead letter when no id is sent.
  const id = form.get("id") ? formId(form, "id") : undefined;
  const count = await retryDeliveries(await getActor(context), { id }).catch(toHttpError);
  return { done: messageWithParams("admin.deliveries.retried", { count }) };
}

export default function AdminDeliveriesPage() {
  const { t, date } = useI18n();
  const { counts, expanding, oldestDue, dead } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const count = (state: string, channel: string) => counts.find((c) => c.state === state && c.channel === channel)?.n ?? 0;
  return (
    <>
      <h2>{t("admin.deliveries.title")}</h2>
      <p className="muted">{t("admin.deliveries.lead")}</p>
      {result ? <FormMessage tone="success" errors={[result.done]} /> : null}
      <section className="card" aria-labelledby="queue-title">
        <h3 id="queue-title">{t("admin.deliveries.counts")}</h3>
        <div style={{ overflowX: "auto" }}>
          <table>
            <thead>
              <tr>
                <th scope="col" />
                {deliveryChannels.map((c) => (
                  <th key={c} scope="col">
                    {t(`messages.channel.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {deliveryStates.map((s) => (
                <tr key={s}>
                  <th scope="row">{t(`admin.deliveries.state.${s}`)}</th>
                  {deliveryChannels.map((c) => (
                    <td key={c}>{count(s, c)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {expanding.fanouts > 0 ? (
          <p className="muted">
            {t("admin.deliveries.expanding", { count: expanding.fanouts, people: expanding.people })}
            {expanding.unread > 0 ? ` ${t("admin.deliveries.unread", { count: expanding.unread })}` : null}
          </p>
        ) : null}
        {oldestDue ? <p className="muted">{t("admin.deliveries.oldest", { time: date(oldestDue) })}</p> : null}
      </section>
      <section aria-labelledby="dead-title">
        <div className="page-head">
          <h3 id="dead-title">{t("admin.deliveries.dead")}</h3>
          {dead.length ? (
            <Form method="post">
              <SubmitButton intent="retry-all" className="button button--small">
                {t("admin.deliveries.retryAll")}
              </SubmitButton>
            </Form>
          ) : null}
        </div>
        {dead.length === 0 ? <p className="empty">{t("admin.deliveries.empty")}</p> : null}
        <ul className="list">
          {dead.map((d) => (
            <li key={d.id} className="list-item">
              <div className="page-head" style={{ marginBottom: 0 }}>
                <strong>
                  {t(`messages.channel.${d.channel}`)} · {d.to} ·{" "}
                  {categoryOf(d.kind) ? t(`messages.category.${categoryOf(d.kind)!}`) : d.kind}
                </strong>
                <time className="muted" dateTime={d.createdAt}>
                  {date(d.createdAt)}
                </time>
              </div>
              <p style={{ margin: "4px 0" }}>
                {t("admin.deliveries.attempts", { count: d.attempts })} · <code>{d.lastError}</code>
              </p>
              <Form method="post">
                <input type="hidden" name="id" value={d.id} />
                <SubmitButton intent="retry" className="button button--small">
                  {t("admin.deliveries.retry")}
                </SubmitButton>
              </Form>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
