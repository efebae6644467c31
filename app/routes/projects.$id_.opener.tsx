import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { projects } from "#db/schema";
import { OpenerSteps } from "~/components/projects/opener-steps";
import { OpeningRecord } from "~/components/projects/bid-opening";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/route.server";
import { getOpenerWork } from "~/modules/projects/ceremony.server";
import { getOpeningRecord, getOpeningWork } from "~/modules/projects/opening.server";
import "~/i18n/scoped/projects";

export const meta: MetaFunction = (args) => pageTitle(args, "opener.title");

/**
 * An opening-committee member's page (ADR 0042): their step of the key
 * ceremony, or at the opening their partial openings of every bid. The steps
 * run in the browser and post to the JSON API (`/api/projects/<id>/opener`);
 * this route only reads. Members only (`project:open`): others get a 403.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const projectId = idParam(params.id);
  const [project] = await db().select().from(projects).where(eq(projects.id, projectId));
  if (!project) throw new Response("Not Found", { status: 404 });
  const work = await getOpenerWork(db(), projectId, user.id);
  if (!work) throw new Response("Forbidden", { status: 403 });
  const opening = project.status === "evaluating" && !project.openedAt;
  return {
    project: { id: project.id, title: project.title, status: project.status, opened: project.openedAt !== null },
    work,
    toOpen: opening ? await getOpeningWork(db(), projectId) : [],
    record: await getOpeningRecord(db(), projectId),
  };
}

export default function OpenerPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/projects/${data.project.id}`}>← {data.project.title}</Link>
      </p>
      <h1>{t("opener.title")}</h1>
      <p>{t("opener.intro", { t: data.work.threshold, n: data.work.members.length })}</p>
      <noscript>
        <p className="notice notice--error">{t("opener.needsScript")}</p>
      </noscript>
      <OpenerSteps projectId={data.project.id} status={data.project.status} opened={data.project.opened} work={data.work} toOpen={data.toOpen} />
      {data.record ? <OpeningRecord record={data.record} /> : null}
    </div>
  );
}
