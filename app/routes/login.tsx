import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { DEMO_PASSWORD, demoAccounts, demoGroupOf, demoGroups, demoNeighbours } from "~/modules/identity/demo-accounts";
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
  if (!config().demo) return { demoGroups: [], neighbours: [], password: null };
  // Grouped by role as a newcomer looks for one; the neighbours fold away (48 of them).
  return {
    demoGroups: demoGroups.map((group) => ({ group, accounts: demoAccounts.filter((a) => demoGroupOf[a.role] === group) })),
    neighbours: demoNeighbours,
    password: DEMO_PASSWORD,
  };
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
  const { demoGroups, neighbours, password } = useLoaderData<typeof loader>();
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
      {password ? (
        <section className="card demo-accounts" aria-labelledby="demo-title">
          <h2 id="demo-title">{t("auth.demo.title")}</h2>
          <p>{t("auth.demo.text")}</p>
          {demoGroups.map(({ group, accounts }) => (
            <section key={group} className="demo-group" aria-labelledby={`demo-${group}`}>
              <h3 id={`demo-${group}`}>{t(`auth.demo.group.${group}`)}</h3>
              <ul className="demo-list">
                {accounts.map((a) => (
                  <li key={a.username}>
                    <DemoLogin username={a.username} password={password} redirectTo={redirectTo} name={a.displayName} className="demo-account">
                      <span className="demo-account__role">{t(`role.${a.role}`)}</span>
                      <span className="demo-account__name">{a.displayName}</span>
                      <span className="demo-account__where">{a.where}</span>
                    </DemoLogin>
                  </li>
                ))}
              </ul>
              {group === "residents" ? (
                <details className="demo-neighbours" data-testid="demo-neighbours">
                  <summary>{t("auth.demo.neighbours", { count: neighbours.length })}</summary>
                  <p className="muted">{t("auth.demo.neighboursHint")}</p>
                  <ul className="demo-neighbours__list">
                    {neighbours.map((n) => (
                      <li key={n.username}>
                        <DemoLogin username={n.username} password={password} redirectTo={redirectTo} name={n.displayName} className="demo-neighbour">
                          <span className="demo-neighbour__name">{n.displayName}</span>
                          <span className="demo-neighbour__where">
                            {n.username} · {n.address}
                            {n.partyMember ? ` · ${t("auth.demo.partyMember")}` : ""}
                            {n.verified ? "" : ` · ${t("auth.demo.waiting")}`}
                          </span>
                        </DemoLogin>
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </section>
          ))}
        </section>
      ) : null}
    </div>
  );
}

/** One tap logs in as a demo person: the visible text is the button's name (voice control says what it sees), then what it does. */
function DemoLogin(props: { username: string; password: string; redirectTo: string; name: string; className: string; children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <Form method="post">
      <input type="hidden" name="identifier" value={props.username} />
      <input type="hidden" name="password" value={props.password} />
      <input type="hidden" name="redirectTo" value={props.redirectTo} />
      <button type="submit" className={props.className}>
        {props.children}
        <span className="sr-only">{t("auth.demo.loginAs", { name: props.name })}</span>
      </button>
    </Form>
  );
}
