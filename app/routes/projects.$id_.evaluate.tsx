import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BidContentsCard, DeclareForm, PanelSheets, ScoreForm } from "~/components/projects/evaluate-parts";
import { PanelProgress, ProjectStatusPill, useLiveProject } from "~/components/projects/project-parts";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { evaluateIntents } from "~/modules/projects/intents.server";
import { evaluatePage } from "~/modules/projects/queries.server";
import "~/i18n/scoped/projects";
import { withRooms } from "#realtime/room-log.server";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.project.title }, "project.evaluate.title") : pageTitle(args, "project.evaluate.title"));

/** An evaluator's page (评审): declare conflicts, then score each bid one may, independently. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = idParam(params.id);
  return withRooms([`project:${id}`], async () => evaluatePage(await getActor(context), id)).catch(toHttpError);
}

export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const formData = await readForm(request);
  return performIntent(formData, evaluateIntents, { actor: await getActor(context), projectId: idParam(params.id), formData });
}

export default function Evaluate() {
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
      <h1>{t("project.evaluate.title")}</h1>
      <div className="status-line">
        <ProjectStatusPill status={project.status} />
        <span className="pill pill--info">{t(`project.evaluatorRole.${data.me.role}`)}</span>
      </div>
      <PanelProgress progress={live.progress} />
      {!data.ready ? (
        <p className="notice notice--info">{project.status === "open" || project.status === "planning" ? t("project.evaluate.notYet") : t("project.evaluate.closed")}</p>
      ) : null}
      {data.bids.length > 0 ? (
        <section className="section" aria-labelledby="eval-bids-title">
          <h2 id="eval-bids-title">{t("project.evaluate.bids")}</h2>
          {data.bids.map((b) => (
            <BidContentsCard key={b.id} bid={b} />
          ))}
        </section>
      ) : null}
      {data.ready && !data.me.declaredAt ? <DeclareForm data={data} result={result} /> : null}
      {data.ready && data.me.declaredAt ? <ScoreForm data={data} result={result} /> : null}
      {data.bids.length > 0 ? <PanelSheets data={data} /> : null}
    </div>
  );
}
