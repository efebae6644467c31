import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ResourceForm } from "~/components/service-lists/resource-form";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/service-lists";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { newResourceIntents } from "~/modules/service-lists/intents.server";
import { newResourcePage } from "~/modules/service-lists/queries.server";

export const meta: MetaFunction = (args) => pageTitle(args, "resource.form.title");

/** Offer a resource to a community's list (资源清单): a confirmed member, or a unit Party organisation's admin. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return newResourcePage(await getActor(context)).catch(toHttpError);
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), newResourceIntents, { actor: await getActor(context) });
}

export default function NewResource() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <h1>{t("resource.form.title")}</h1>
      <ResourceForm data={data} lastResult={result?.reply} />
    </div>
  );
}
