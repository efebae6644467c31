import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AwardCard, ObjectForm, Objections, Opening, PublicBids } from "~/components/projects/award";
import { ContractLinks } from "~/components/projects/contract-links";
import { CallFacts, CriteriaList, Documents, PanelProgress, ProjectStatusPill, ProjectTimeline, useLiveProject } from "~/components/projects/project-parts";
import { AskForm, QuestionList } from "~/components/projects/questions";
import { useCountdown } from "~/components/votes/use-casting";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { projectIntents } from "~/modules/projects/intents.server";
import { projectPage } from "~/modules/projects/queries.server";
import "~/i18n/scoped/projects";
import { withRooms } from "#realtime/room-log.server";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.project.title }, "project.list.title") : pageTitle(args, "project.list.title"));

export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  return withRooms([`project:${id}`], async () => projectPage(await getActor(context), id)).catch(toHttpError);
}

/** Ask a question, object to the award: `modules/projects/intents.server.ts`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const formData = await readForm(request);
  return performIntent(formData, projectIntents, { actor: await getActor(context), projectId: idParam(params.id), formData });
}

export default function ProjectPage() {
  const { t, date } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { project } = data;
  const live = useLiveProject(project.id, data.live[`project:${project.id}`] ?? 0, { status: project.status, bidCount: project.bidCount, progress: data.progress });
  const deadline = useCountdown(project.bidDeadline, data.now);
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to="/projects">{t("project.list.title")}</Link>
      </p>
      <h1>{project.title}</h1>
      <div className="status-line">
        <ProjectStatusPill status={project.status} />
        {project.status === "open" ? (
          <p aria-live="polite" data-testid="bid-count">
            {t("project.bidCount", { count: live.bidCount })}
            {!deadline.done ? <span className="countdown"> · {t("project.deadlineLeft", { left: deadline.text })}</span> : null}
          </p>
        ) : null}
        {project.endReason && project.status !== "unsuccessful" ? <p className="notice notice--warn">{t("project.endedBecause", { reason: project.endReason })}</p> : null}
        {project.status === "unsuccessful" ? <p className="notice notice--warn">{t(`project.endReason.${project.endReason === "noBids" ? "noBids" : "noValidBid"}`)}</p> : null}
      </div>
      <div className="actions">
        {data.can.manage ? (
          <Link to={`/projects/${project.id}/manage`} className="button button--primary">
            {t("project.manage.link")}
          </Link>
        ) : null}
        {data.can.evaluate ? (
          <Link to={`/projects/${project.id}/evaluate`} className="button button--primary">
            {t("project.evaluate.link")}
          </Link>
        ) : null}
        {data.can.open ? (
          <Link to={`/projects/${project.id}/opener`} className="button button--primary">
            {t(project.status === "planning" ? "project.openerLink.keys" : "project.openerLink.open")}
          </Link>
        ) : null}
        {data.can.bid ? (
          <Link to={`/projects/${project.id}/bid`} className="button button--primary">
            {t("project.bidLink")}
          </Link>
        ) : null}
        <ContractLinks project={project} />
      </div>
      <div className="card">
        <CallFacts call={project} unitName={data.unitName} />
        <h2>{t("project.scope")}</h2>
        <p className="pre-line">{project.scope}</p>
        {project.needId ? <Link to={`/needs/${project.needId}`}>{t("project.fromNeed")}</Link> : null}
        {project.proposalId ? <Link to={`/proposals/${project.proposalId}`}>{t("project.fromProposal")}</Link> : null}
      </div>
      <CriteriaList criteria={project.criteria} />
      <Documents documents={data.documents} />
      {project.status === "evaluating" ? <PanelProgress progress={live.progress} /> : null}
      <AwardCard data={data} />
      <Opening bids={data.opening} showScores={project.status === "active" || project.status === "completed"} />
      {data.can.object.length > 0 ? <ObjectForm orgs={data.can.object} result={result} /> : null}
      <Objections objections={data.objections} />
      <PublicBids data={data} />
      <QuestionList questions={data.questions} />
      {data.can.ask.length > 0 ? <AskForm orgs={data.can.ask} result={result} /> : project.status === "open" ? <p className="muted">{t("project.ask.who", { at: date(project.questionsCloseAt) })}</p> : null}
      <ProjectTimeline events={data.events} />
    </div>
  );
}
