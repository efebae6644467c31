import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { getActor } from "~/modules/identity/actor.server";
import { hasWorkbench } from "~/modules/workbench/rules";
import { Link } from "@remix-run/react";
import { translate, type MessageKey } from "~/i18n/i18n";
import { metaLocale } from "~/lib/meta";
import { useI18n } from "~/i18n/react";
import { useRootData } from "~/root";

export const meta: MetaFunction = (args) => {
  const locale = metaLocale(args);
  return [{ title: translate(locale, "home.title") }, { name: "description", content: translate(locale, "app.description") }];
};

/** Staff start at their workbench (ADR 0023); `?public` shows them the residents' page. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  if (new URL(request.url).searchParams.has("public")) return null;
  if (hasWorkbench(await getActor(context))) throw redirect("/workbench");
  return null;
}

const steps: { title: MessageKey; text: MessageKey }[] = [
  { title: "home.loop.propose", text: "home.loop.proposeText" },
  { title: "home.loop.debate", text: "home.loop.debateText" },
  { title: "home.loop.vote", text: "home.loop.voteText" },
  { title: "home.loop.whistle", text: "home.loop.whistleText" },
  { title: "home.loop.rate", text: "home.loop.rateText" },
];

export default function Home() {
  const { t } = useI18n();
  const user = useRootData()?.user;
  return (
    <div className="page">
      <section className="hero">
        {user ? <p className="hero__greeting">{t("home.welcomeBack", { name: user.displayName })}</p> : null}
        <h1 className="hero__title">{t("home.title")}</h1>
        <p className="hero__lead">{t("home.lead")}</p>
        <div className="actions">
          <Link to="/units" className="button">
            {t("home.directory")}
          </Link>
          {user ? (
            <Link to="/me" className="button button--primary">
              {t("home.meLink")}
            </Link>
          ) : (
            <>
              <Link to="/register" className="button button--primary">
                {t("home.cta.register")}
              </Link>
              <Link to="/login" className="button">
                {t("home.cta.login")}
              </Link>
            </>
          )}
        </div>
      </section>
      <section aria-labelledby="loop-title">
        <h2 id="loop-title">{t("home.loop.title")}</h2>
        <ol className="loop">
          {steps.map((s, i) => (
            <li key={s.title} className="loop__step">
              <span className="loop__number" aria-hidden="true">
                {i + 1}
              </span>
              <div>
                <h3 className="loop__title">{t(s.title)}</h3>
                <p className="loop__text">{t(s.text)}</p>
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
