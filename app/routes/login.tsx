import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { DEMO_PASSWORD, demoAccounts } from "~/modules/identity/demo-accounts";
import { FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { config } from "~/config.server";
import { messageWithParams } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { requireAnonymous } from "~/lib/auth.server";
import { login } from "~/modules/identity/commands.server";
import { loginSchema, safeRedirect } from "~/modules/identity/schemas";
import { sessionCookie } from "~/modules/identity/sessions.server";
import { pageTitle } from "~/lib/meta";
import { readForm } from "~/lib/input.server";

export const meta: MetaFunction = (args) => pageTitle(args, "auth.login.title");

export function loader({ context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  return { demoAccounts: config().demo ? demoAccounts.map((a) => ({ ...a, password: DEMO_PASSWORD })) : [] };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAnonymous(context);
  const submission = parseWithZod(await readForm(request), { schema: loginSchema });
  if (submission.status !== "success") return submission.reply({ hideFields: ["password"] });
  const result = await login({ ...submission.value, ip: context.ip });
  if (!result.ok) {
    const message =
      result.reason === "rate_limited"
        ? messageWithParams("auth.login.tooMany", { minutes: Math.ceil(result.retryAfterSeconds / 60) })
        : "auth.login.failed";
    return submission.reply({ formErrors: [message], hideFields: ["password"] });
  }
  return redirect(safeRedirect(submission.value.redirectTo), {
    headers: { "Set-Cookie": sessionCookie(result.token, context.secure) },
  });
}

export default function LoginPage() {
  const { t } = useI18n();
  const { demoAccounts } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "/";
  const [form, fields] = useSchemaForm(loginSchema, {
    id: "login",
    lastResult,
  });
  return (
    <div className="page narrow">
      <h1>{t("auth.login.title")}</h1>
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField field={fields.identifier} label={t("auth.login.identifier")} autoComplete="username" />
        <TextField field={fields.password} label={t("auth.login.password")} type="password" autoComplete="current-password" />
        <SubmitButton>{t("auth.login.submit")}</SubmitButton>
        <p className="form__aside">
          {t("auth.login.noAccount")} <Link to="/register">{t("auth.login.registerLink")}</Link>
        </p>
      </Form>
      {demoAccounts.length > 0 ? (
        <section className="card demo-accounts" aria-labelledby="demo-title">
          <h2 id="demo-title">{t("auth.demo.title")}</h2>
          <p>{t("auth.demo.text")}</p>
          <ul className="demo-list">
            {demoAccounts.map((a) => (
              <li key={a.username}>
                <Form method="post">
                  <input type="hidden" name="identifier" value={a.username} />
                  <input type="hidden" name="password" value={a.password} />
                  <input type="hidden" name="redirectTo" value={redirectTo} />
                  {/* The name is the visible text (voice control says what it sees), then what the button does. */}
                  <button type="submit" className="demo-account">
                    <span className="demo-account__role">{t(`role.${a.role}`)}</span>
                    <span className="demo-account__name">{a.displayName}</span>
                    <span className="demo-account__where">{a.where}</span>
                    <span className="sr-only">{t("auth.demo.loginAs", { name: a.displayName })}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
