import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { requireAnonymous } from "~/lib/auth.server";
import { performForm } from "~/lib/route.server";
import { register } from "~/modules/identity/commands.server";
import { registerSchema } from "~/modules/identity/schemas";
import { sessionCookie } from "~/modules/identity/sessions.server";
import { pageTitle } from "~/lib/meta";
import { readForm } from "~/lib/input.server";

export const meta: MetaFunction = (args) => pageTitle(args, "auth.register.title");

export function loader({ context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  return null;
}

const hidden = ["password", "confirmPassword"];

export async function action({ request, context }: ActionFunctionArgs) {
  requireAnonymous(context);
  const submission = parseWithZod(await readForm(request), { schema: registerSchema });
  if (submission.status !== "success") return submission.reply({ hideFields: hidden });
  return performForm(
    submission,
    () => register({ ...submission.value, ip: context.ip }),
    ({ token }) => redirect("/", { headers: { "Set-Cookie": sessionCookie(token, context.secure) } }),
    hidden,
  );
}

export default function RegisterPage() {
  const { t } = useI18n();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(registerSchema, {
    id: "register",
    lastResult,
  });
  return (
    <div className="page narrow">
      <h1>{t("auth.register.title")}</h1>
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <TextField field={fields.displayName} label={t("auth.register.displayName")} hint={t("auth.register.displayNameHint")} autoComplete="nickname" />
        <TextField field={fields.account} label={t("auth.register.account")} hint={t("auth.register.accountHint")} autoComplete="username" />
        <TextField field={fields.password} label={t("auth.register.password")} hint={t("auth.register.passwordHint")} type="password" autoComplete="new-password" />
        <TextField field={fields.confirmPassword} label={t("auth.register.confirmPassword")} type="password" autoComplete="new-password" />
        <SubmitButton>{t("auth.register.submit")}</SubmitButton>
        <p className="form__aside">
          {t("auth.register.haveAccount")} <Link to="/login">{t("auth.register.loginLink")}</Link>
        </p>
      </Form>
    </div>
  );
}
