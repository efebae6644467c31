import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AwardCard, Objections } from "~/components/projects/award";
import { BidsCard, CancelCard, CommitteeCard, DocumentsCard, PanelCard, PublishCard } from "~/components/projects/manage-parts";
import { ProjectForm } from "~/components/projects/project-form";
import { Documents, PanelProgress, ProjectStatusPill, ProjectTimeline, useLiveProject } from "~/components/projects/project-parts";
import { QuestionList } from "~/components/projects/questions";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { parsePhotoForm } from "~/lib/uploads.server";
import { getActor } from "~/modules/identity/actor.server";
import { manageIntents } from "~/modules/projects/intents.server";
import { manageProjectPage } from "~/modules/projects/queries.server";
import "~/i18n/scoped/projects";
import { withRooms } from "#realtime/room-log.server";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.project.title }, "project.manage.title") : pageTitle(args, "project.manage.title"));

/** The buyer's staff run the call here: terms, committee, panel, documents, publish, answers, bids, award, objections, cancel. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = idParam(params.id);
  return withRooms([`project:${id}`], async () => manageProjectPage(await getActor(context), id)).catch(toHttpError);
}

export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  // The documents form carries files (checked by their first bytes, like photos); the others are plain forms.
  const multipart = request.headers.get("Content-Type")?.startsWith("multipart/form-data");
  const formData = multipart ? await parsePhotoForm(request) : await readForm(request);
  return performIntent(formData, manageIntents, { actor: await getActor(context), projectId: idParam(params.id), formData });
}

export default function ManageProject() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { project } = data;
  const live = useLiveProject(project.id, data.live[`project:${project.id}`] ?? 0, { status: project.status, bidCount: project.bidCount, progress: data.progress });
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to={`/projects/${project.id}`}>{project.title}</Link>
      </p>
      <h1>{t("project.manage.title")}</h1>
      <div className="status-line">
        <ProjectStatusPill status={project.status} />
        <p aria-live="polite">{t("project.bidCount", { count: live.bidCount })}</p>
      </div>
      {result?.ok ? <p className="notice notice--success" role="status">{t("project.manage.done")}</p> : null}
      {data.edit ? (
        <details>
          <summary>{t("project.manage.edit")}</summary>
          <ProjectForm
            intent="edit"
            lastResult={result?.intent === "edit" ? result.reply : undefined}
            defaults={{
              unitId: project.unitId,
              units: data.edit.units,
              title: project.title,
              scope: project.scope,
              category: project.category,
              budgetCap: project.budgetCap,
              periodStart: project.periodStart,
              periodEnd: project.periodEnd,
              minMonthsVerified: project.eligibility.minMonthsVerified,
              localOnly: project.eligibility.localOnly,
              weights: data.edit.weights,
              custom: data.edit.custom,
              questionsCloseAt: data.edit.questionsCloseAt,
              bidDeadline: data.edit.bidDeadline,
              noticeDays: project.noticeDays,
              needId: project.needId,
              proposalId: project.proposalId,
            }}
          />
        </details>
      ) : null}
      <CommitteeCard data={data} result={result} />
      {data.steps.publish ? <PublishCard data={data} result={result} /> : null}
      <Documents documents={data.documents} />
      {data.steps.documents ? <DocumentsCard result={result} /> : null}
      <PanelCard data={data} result={result} />
      {project.status === "evaluating" ? <PanelProgress progress={live.progress} /> : null}
      <BidsCard data={data} result={result} />
      <AwardCard data={data} />
      <Objections objections={data.objections} answering={project.status === "awarded"} result={result} />
      <QuestionList questions={data.allQuestions.map((q) => ({ ...q, answeredAt: null, mine: false }))} answering={!data.ended && project.status !== "planning"} result={result} />
      {data.steps.cancel ? <CancelCard result={result} /> : null}
      <ProjectTimeline events={data.events} />
    </div>
  );
}
