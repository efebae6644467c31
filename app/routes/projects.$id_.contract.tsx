import { data as withStatus, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { ContractAdjustForm } from "~/components/projects/contract-adjust";
import { ContractMilestone } from "~/components/projects/contract-milestone";
import { ContractRatings } from "~/components/projects/contract-ratings";
import { ContractTable } from "~/components/projects/contract-table";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { readPhotoForm } from "~/lib/images.server";
import { checkForm, readForm } from "~/lib/input.server";
import { performIntent, refuseIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { contractIntents, contractPage } from "~/modules/projects/contract.server";
import { useRoomReload } from "~/realtime/hooks";
import { withRooms } from "#realtime/room-log.server";
import "~/i18n/scoped/projects";

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, { text: args.data.project.title }) : pageTitle(args);

/** The contract of a project whose award is final: public; the forms only for those allowed (modules/projects/contract.server.ts). */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  return withRooms([`project:${id}`], async () => contractPage(db(), await getActor(context), id)).catch(toHttpError);
}

/** Report (with evidence, multipart), judge, pay, adjust, rate. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const projectId = idParam(params.id);
  const multipart = request.headers.get("content-type")?.startsWith("multipart/form-data") ?? false;
  const read = multipart ? await readPhotoForm(request) : { formData: await readForm(request), tooLarge: false };
  const formData = checkForm(read.formData);
  if (read.tooLarge) return withStatus(refuseIntent(formData, "evidence", "photo.error.tooLarge"), { status: 413 });
  return performIntent(formData, contractIntents, { actor: await getActor(context), projectId, formData });
}

export default function ContractPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, number, punct } = useI18n();
  const { project } = data;
  useRoomReload(data.live, (_room, e) => e.event === "project:changed");
  return (
    <div className="page narrow contract-page">
      <p className="muted">
        <Link to={`/projects/${project.id}`}>← {t("contract.backToProject")}</Link>
      </p>
      <header className="card">
        <span className={`pill pill--${project.status === "completed" ? "ok" : "accent"}`} data-testid="contract-status">
          {t(project.status === "completed" ? "contract.state.completed" : "contract.state.running")}
        </span>
        <h1>{t("contract.title", { title: project.title })}</h1>
        <p>
          {t("contract.buyer")}
          {punct.colon}
          <Link to={`/units/${data.buyer.id}`}>{data.buyer.name}</Link>
        </p>
        <p>
          {t("contract.supplier")}
          {punct.colon}
          <Link to={`/orgs/${data.supplier.id}`}>{data.supplier.name}</Link>
        </p>
        <p>
          {t("contract.amount")}
          {punct.colon}
          {t("contract.yuan", { amount: number(data.amount) })} · {t("contract.paidSoFar", { amount: number(data.paid) })}
        </p>
        <p className="muted">{t("contract.period", { start: project.periodStart, end: project.periodEnd })}</p>
      </header>
      <ContractTable data={data} />
      {data.can.adjust ? <ContractAdjustForm data={data} result={result} /> : null}
      <section aria-labelledby="milestones-title">
        <h2 id="milestones-title">{t("contract.milestones")}</h2>
        {data.milestones.map((m) => (
          <ContractMilestone key={m.id} milestone={m} can={data.can} result={result} />
        ))}
      </section>
      <ContractRatings data={data} result={result} />
    </div>
  );
}
