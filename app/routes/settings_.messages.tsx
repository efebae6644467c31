import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { ContactCard } from "~/components/messages/contact-card";
import { PreferencesForm } from "~/components/messages/preferences-form";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/messages";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { pageTitle } from "~/lib/meta";
import { performForm } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { removeContact, requestContactCode, savePreferences, verifyContact } from "~/modules/messages/commands.server";
import { myMessageSettings } from "~/modules/messages/queries.server";
import { preferencesSchema, removeContactSchema, sendCodeSchema, verifyCodeSchema } from "~/modules/messages/schemas";

export const meta: MetaFunction = (args) => pageTitle(args, "messages.title");

/** A person's own addresses and choices for messages off the site; nobody else ever sees this page's data. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return myMessageSettings(db(), await getActor(context));
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const formData = await readForm(request);
  const intent = String(formData.get("intent"));
  const channel = String(formData.get("channel"));
  if (intent === "send-code") {
    const submission = parseWithZod(formData, { schema: sendCodeSchema });
    if (submission.status !== "success") return { intent, channel, result: submission.reply() };
    return { intent, channel, result: await performForm(submission, () => requestContactCode(actor, submission.value), () => ({ ...submission.reply(), done: "messages.contact.codeSent" })) };
  }
  if (intent === "verify") {
    const submission = parseWithZod(formData, { schema: verifyCodeSchema });
    if (submission.status !== "success") return { intent, channel, result: submission.reply() };
    return { intent, channel, result: await performForm(submission, () => verifyContact(actor, submission.value), () => ({ ...submission.reply({ resetForm: true }), done: "messages.contact.verifiedNow" })) };
  }
  if (intent === "remove") {
    const submission = parseWithZod(formData, { schema: removeContactSchema });
    if (submission.status !== "success") return { intent, channel, result: submission.reply() };
    return { intent, channel, result: await performForm(submission, () => removeContact(actor, submission.value), () => ({ ...submission.reply({ resetForm: true }), done: "messages.contact.removed" })) };
  }
  const submission = parseWithZod(formData, { schema: preferencesSchema });
  if (submission.status !== "success") return { intent: "preferences", channel, result: submission.reply() };
  return { intent: "preferences", channel, result: await performForm(submission, () => savePreferences(actor, submission.value), () => ({ ...submission.reply(), done: "messages.saved" })) };
}

export default function MessageSettingsPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const forContact = (channel: "email" | "sms") => (actionData && actionData.intent !== "preferences" && actionData.channel === channel ? actionData : undefined);
  return (
    <div className="page narrow">
      <p>
        <Link to="/settings">← {t("nav.settings")}</Link>
      </p>
      <h1>{t("messages.title")}</h1>
      <p className="muted">{t("messages.lead")}</p>
      <section className="card" aria-labelledby="contacts-title">
        <h2 id="contacts-title">{t("messages.contacts.title")}</h2>
        <ContactCard channel="sms" contact={data.contacts.sms} last={forContact("sms")} />
        <ContactCard channel="email" contact={data.contacts.email} last={forContact("email")} />
      </section>
      <PreferencesForm
        preferences={data.preferences}
        verified={{ email: data.contacts.email?.verified ?? false, sms: data.contacts.sms?.verified ?? false }}
        lastResult={actionData?.intent === "preferences" ? actionData.result : undefined}
      />
    </div>
  );
}
