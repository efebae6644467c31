import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { HallIcon } from "~/components/icons";
import { useI18n } from "~/i18n/react";
import { getActor } from "~/modules/identity/actor.server";
import { listHalls } from "~/modules/halls/queries.server";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction = (args) => pageTitle(args, "hall.listTitle");

/** Halls near the person first (their community and the units above it); all halls for visitors. */
export async function loader({ context }: LoaderFunctionArgs) {
  return { halls: await listHalls(db(), await getActor(context)) };
}

export default function HallsPage() {
  const { t } = useI18n();
  const { halls } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("hall.listTitle")}</h1>
      <p className="muted">{t("hall.listIntro")}</p>
      {halls.length === 0 ? (
        <p className="empty">{t("hall.none")}</p>
      ) : (
        <ul className="list">
          {halls.map((h) => (
            <li key={h.id} className="list-item hall-card">
              <Link to={`/halls/${h.id}`} className="hall-card__link">
                <HallIcon size={28} />
                <span>
                  <span className="list-item__title">{h.name}</span>
                  <span className="muted">
                    {" "}
                    · {h.unitName}
                    {h.near ? ` · ${t("hall.nearYou")}` : ""}
                  </span>
                  <span className="hall-card__stats">
                    {t("hall.memberCount", { count: h.members })} · {t("hall.activeCount", { count: h.activeProposals })}
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
