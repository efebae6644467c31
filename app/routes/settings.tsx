import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { disconnectUser } from "#realtime/publish.server";
import { FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { performForm } from "~/lib/route.server";
import { changePassword, logoutEverywhere } from "~/modules/identity/commands.server";
import { changePasswordSchema } from "~/modules/identity/schemas";
import { blankSessionCookie } from "~/modules/identity/sessions.server";
import { pageTitle } from "~/lib/meta";
import { readForm } from "~/lib/input.server";

export const meta: MetaFunction = (args) => pageTitle(args, "nav.settings");

export function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return null;
}

const hidden = ["currentPassword", "newPassword", "confirmPassword"];

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await readForm(request);
  if (formData.get("intent") === "logout-everywhere") {
    await logoutEverywhere(user.id);
    disconnectUser(user.id);
    return redirect("/", { headers: { "Set-Cookie": blankSessionCookie(context.secure) } });
  }
  const submission = parseWithZod(formData, { schema: changePasswordSchema });
  if (submission.status !== "success") return submission.reply({ hideFields: hidden });
  return performForm(
    submission,
    () => changePassword({ userId: user.id, sessionId: user.sessionId, ...submission.value, ip: context.ip }),
    () => ({ ...submission.reply({ resetForm: true }), changed: true }),
    hidden,
  );
}

export default function SettingsPage() {
  const { t } = useI18n();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(changePasswordSchema, {
    id: "change-password",
    lastResult,
  });
  const changed = lastResult !== undefined && "changed" in lastResult;
  return (
    <div className="page narrow">
      <h1>{t("nav.settings")}</h1>
      <p className="card">
        <Link to="/settings/messages">{t("messages.settingsLink")}</Link>
      </p>
      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title">{t("auth.password.title")}</h2>
        {changed ? <FormMessage tone="success" errors={["auth.password.changed"]} /> : null}
        <Form method="post" {...getFormProps(form)} className="form">
          <FormMessage id={form.errorId} errors={form.errors} />
          <TextField field={fields.currentPassword} label={t("auth.password.current")} type="password" autoComplete="current-password" />
          <TextField field={fields.newPassword} label={t("auth.password.new")} hint={t("auth.register.passwordHint")} type="password" autoComplete="new-password" />
          <TextField field={fields.confirmPassword} label={t("auth.password.confirm")} type="password" autoComplete="new-password" />
          <SubmitButton intent="change-password">{t("auth.password.submit")}</SubmitButton>
        </Form>
      </section>
      <section className="card" aria-labelledby="everywhere-title">
        <h2 id="everywhere-title">{t("auth.everywhere.title")}</h2>
        <p>{t("auth.everywhere.text")}</p>
        <Form method="post">
          <SubmitButton intent="logout-everywhere" className="button button--block">
            {t("auth.everywhere.submit")}
          </SubmitButton>
        </Form>
      </section>
      <Form method="post" action="/logout">
        <button type="submit" className="button button--block button--quiet">
          {t("auth.logout.submit")}
        </button>
      </Form>
    </div>
  );
}
