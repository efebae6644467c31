import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ProjectForm } from "~/components/projects/project-form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { queryId, readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { newProjectIntents } from "~/modules/projects/intents.server";
import { newProjectPage } from "~/modules/projects/queries.server";
import "~/i18n/scoped/projects";

export const meta: MetaFunction = (args) => pageTitle(args, "project.form.newTitle");

/** A new call (项目征集): from scratch, from a need on the community's list (?need=) or a passed proposal (?proposal=). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const url = new URL(request.url);
  return newProjectPage(await getActor(context), { needId: queryId(url, "need"), proposalId: queryId(url, "proposal"), unitId: queryId(url, "unit") }).catch(toHttpError);
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), newProjectIntents, { actor: await getActor(context) });
}

export default function NewProject() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const from = data.from;
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to="/projects">{t("project.list.title")}</Link>
      </p>
      <h1>{t("project.form.newTitle")}</h1>
      <p className="muted">{t("project.form.intro")}</p>
      {from?.needId ? (
        <p>
          <Link to={`/needs/${from.needId}`}>{t("project.form.fromNeed", { title: from.title })}</Link>
        </p>
      ) : null}
      {from?.proposalId ? (
        <p>
          <Link to={`/proposals/${from.proposalId}`}>{t("project.form.fromProposal", { title: from.title })}</Link>
        </p>
      ) : null}
      <ProjectForm
        intent="create"
        lastResult={result?.reply}
        defaults={{ unitId: data.unitId, units: data.units, title: from?.title, scope: from?.scope, category: from?.category, needId: from?.needId, proposalId: from?.proposalId, clientKey: data.clientKey }}
      />
    </div>
  );
}
