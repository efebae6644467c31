import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/messages";
import { pageTitle } from "~/lib/meta";
import { readUnsubscribeToken, unsubscribe } from "~/modules/messages/commands.server";

export const meta: MetaFunction = (args) => pageTitle(args, "messages.unsubscribe.title");

/**
 * The link in every email. Opening it changes nothing (mail scanners open
 * links); the button, or a mail client's one-click POST (RFC 8058), does.
 * The signed token is the permission: no sign-in, no CSRF check (server.ts).
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await readUnsubscribeToken(params.token ?? "");
  return { scope: found?.scope ?? null };
}

export async function action({ params }: ActionFunctionArgs) {
  const found = await readUnsubscribeToken(params.token ?? "");
  if (!found) return { done: false };
  await unsubscribe(params.token!);
  return { done: true };
}

export default function UnsubscribePage() {
  const { t } = useI18n();
  const { scope } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <h1>{t("messages.unsubscribe.title")}</h1>
      {!scope ? (
        <FormMessage errors={["messages.unsubscribe.invalid"]} />
      ) : result?.done ? (
        <FormMessage tone="success" errors={["messages.unsubscribe.done"]} />
      ) : (
        <Form method="post" className="form">
          <p>{t("messages.unsubscribe.text", { category: t(scope === "all" ? "messages.unsubscribe.all" : `messages.category.${scope}`) })}</p>
          <SubmitButton>{t("messages.unsubscribe.submit")}</SubmitButton>
        </Form>
      )}
    </div>
  );
}
