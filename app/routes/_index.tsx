import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { DistrictNow } from "~/components/home/district-now";
import { MyHome } from "~/components/home/my-home";
import { translate, type MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/home";
import { metaLocale } from "~/lib/meta";
import { homePage } from "~/modules/home/queries.server";
import { getActor } from "~/modules/identity/actor.server";
import { hasWorkbench } from "~/modules/workbench/rules";
import { HOME_ROOM } from "#realtime/events";
import { useCatchUp, useRoomReload, useSocketEvent } from "~/realtime/hooks";
import { withRooms } from "#realtime/room-log.server";
import { useRootData } from "~/root";

export const meta: MetaFunction = (args) => {
  const locale = metaLocale(args);
  return [{ title: translate(locale, "home.title") }, { name: "description", content: translate(locale, "app.description") }];
};

/** What is happening in the district now, and a resident's own part; staff start at their workbench (ADR 0023), `?public` shows them this page. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = await getActor(context);
  if (hasWorkbench(actor) && !new URL(request.url).searchParams.has("public")) throw redirect("/workbench");
  return withRooms([HOME_ROOM], () => homePage(actor));
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
  const data = useLoaderData<typeof loader>();
  const user = useRootData()?.user;
  const revalidator = useRevalidator();
  const refresh = () => revalidator.state === "idle" && revalidator.revalidate();
  // Live: the district's pulse (at most one every two seconds, by its number), and the resident's own news.
  useRoomReload(data.live);
  useSocketEvent("notification:new", refresh);
  useCatchUp(refresh);
  const how = (
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
  );
  return (
    <div className="page home">
      {user && data.mine ? (
        <>
          <div className="home__greeting">
            <h1>{t("home.welcomeBack", { name: user.displayName })}</h1>
            {data.staff ? (
              <Link to="/workbench" className="button">
                {t("home.staffBack")}
              </Link>
            ) : null}
          </div>
          <MyHome mine={data.mine} />
        </>
      ) : (
        <section className="hero">
          <h1 className="hero__title">{t("home.title")}</h1>
          <p className="hero__lead">{t("home.lead")}</p>
          <div className="actions">
            <Link to="/register" className="button button--primary">
              {t("home.cta.register")}
            </Link>
            <Link to="/login" className="button">
              {t("home.cta.login")}
            </Link>
            <Link to="/units" className="button">
              {t("home.directory")}
            </Link>
          </div>
        </section>
      )}
      <DistrictNow now={data.district} />
      {user ? (
        <details className="card home-how">
          <summary>{t("home.how")}</summary>
          {how}
        </details>
      ) : (
        <section aria-labelledby="loop-title">
          <h2 id="loop-title">{t("home.loop.title")}</h2>
          {how}
        </section>
      )}
    </div>
  );
}
