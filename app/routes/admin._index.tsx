import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RootUnit, type StructureData } from "~/components/admin/structure-tree";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { getActor } from "~/modules/identity/actor.server";
import { requireAdminScopes } from "~/modules/units/admin-schemas";
import { structureIntents } from "~/modules/units/intents.server";
import { adminTree } from "~/modules/units/queries.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return adminTree(requireAdminScopes(await getActor(context)));
}

/** Adding a unit, a department or an alley: `modules/units/intents.server.ts`. */
export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  requireAdminScopes(actor);
  return performIntent(await readForm(request), structureIntents, { actor });
}

export default function AdminStructurePage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const byParent = new Map<number | null, StructureData["units"]>();
  const ids = new Set(data.units.map((u) => u.id));
  for (const u of data.units) {
    // A unit whose parent lies outside the scope is a root of the tree shown (a district, or a city for the platform).
    const parent = u.parentId !== null && ids.has(u.parentId) ? u.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), u]);
  }
  const roots = byParent.get(null) ?? [];
  return (
    <>
      <h2>{t("admin.structure.title")}</h2>
      <p className="muted">{t("admin.structure.lead")}</p>
      {roots.length === 0 ? <p className="empty">{t("admin.structure.empty")}</p> : null}
      {roots.map((root) => (
        <RootUnit key={root.id} unit={root} byParent={byParent} data={data} />
      ))}
    </>
  );
}
