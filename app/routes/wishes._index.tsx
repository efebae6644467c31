import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { WishWallFilter } from "~/components/wishes/wall-filter";
import { WishCard } from "~/components/wishes/wish-card";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/wishes";
import { pageTitle } from "~/lib/meta";
import { getActor } from "~/modules/identity/actor.server";
import { wishWallPage } from "~/modules/wishes/queries.server";
import { wishWallSchema } from "~/modules/wishes/schemas";

export const meta: MetaFunction = (args) => pageTitle(args, "wish.wall.title");

/** The micro-wish wall (微心愿): open wishes to claim, those being fulfilled, and the fulfilled ones, by community. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const filter = wishWallSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return wishWallPage(await getActor(context), filter);
}

const sections = ["open", "inProgress", "done"] as const;

export default function WishWall() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("wish.wall.title")}</h1>
        {data.canPost ? (
          <Link to="/wishes/new" className="button button--primary">
            {t("wish.new")}
          </Link>
        ) : null}
      </div>
      <p className="muted">{t("wish.wall.intro")}</p>
      <WishWallFilter places={data.places} unit={data.filter.unit} />
      {sections.map((s) => (
        <section key={s} className="section" aria-labelledby={`wishes-${s}`}>
          <h2 id={`wishes-${s}`}>{t(`wish.section.${s}`)}</h2>
          {data.sections[s].length === 0 ? (
            <p className="empty">{t(`wish.section.empty.${s}`)}</p>
          ) : (
            <ul className="list" data-testid={`wishes-${s}`}>
              {data.sections[s].map((w) => (
                <WishCard key={w.id} wish={w} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
