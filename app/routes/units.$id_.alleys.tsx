import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/structure";
import { idParam } from "~/lib/route.server";
import { getUnit, listAlleys } from "~/modules/units/queries.server";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.unit.name }, "alley.title") : pageTitle(args));

/** 街巷长制: every alley of a subdistrict with its chief and public contact, for everyone to see. */
export async function loader({ params }: LoaderFunctionArgs) {
  const unit = await getUnit(db(), idParam(params.id));
  if (!unit || unit.kind !== "subdistrict") throw new Response("Not Found", { status: 404 });
  return { unit: { id: unit.id, name: unit.name }, alleys: await listAlleys(db(), unit.id) };
}

export default function AlleyChiefs() {
  const { t } = useI18n();
  const { unit, alleys } = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <p>
        <Link to={`/units/${unit.id}`}>← {unit.name}</Link>
      </p>
      <h1>{t("alley.pageTitle", { unit: unit.name })}</h1>
      <p className="muted">{t("alley.explain")}</p>
      <ul className="list">
        {alleys.map((a) => (
          <li key={a.id} className="list-item alley">
            <h2 className="alley__name">{a.name}</h2>
            {a.description ? <p className="muted">{a.description}</p> : null}
            <dl className="facts">
              <dt>{t("alley.chief")}</dt>
              <dd>{a.chiefName ?? t("alley.noChief")}</dd>
              <dt>{t("alley.contact")}</dt>
              <dd>{a.chiefContact ? <a href={`tel:${a.chiefContact.replace(/[^\d+]/g, "")}`}>{a.chiefContact}</a> : "—"}</dd>
            </dl>
          </li>
        ))}
      </ul>
    </div>
  );
}
