import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { NeedForm } from "~/components/service-lists/need-form";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/service-lists";
import { requireUser } from "~/lib/auth.server";
import { queryId, readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { newNeedIntents } from "~/modules/service-lists/intents.server";
import { newNeedPage } from "~/modules/service-lists/queries.server";

export const meta: MetaFunction = (args) => pageTitle(args, "need.form.title");

/** Post a need (?unit= a community), or raise one from a passed proposal (?proposal=, 转为需求). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const url = new URL(request.url);
  return newNeedPage(await getActor(context), { unitId: queryId(url, "unit"), proposalId: queryId(url, "proposal") }).catch(toHttpError);
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), newNeedIntents, { actor: await getActor(context) });
}

export default function NewNeed() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <h1>{t("need.form.title")}</h1>
      {data.fromProposal ? (
        <p className="muted">
          <Link to={`/proposals/${data.fromProposal.id}`}>{t("need.form.fromProposal", { title: data.fromProposal.title })}</Link>
        </p>
      ) : null}
      <NeedForm data={data} lastResult={result?.reply} />
    </div>
  );
}
