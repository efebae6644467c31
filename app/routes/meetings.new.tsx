import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ScheduleForm } from "~/components/meetings/schedule-form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { queryId, readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { newMeetingIntents } from "~/modules/meetings/intents.server";
import { scheduleFormPage } from "~/modules/meetings/queries.server";
import "~/i18n/scoped/meetings";

export const meta: MetaFunction = (args) => pageTitle(args, "meeting.schedule");

/** A hall's convener schedules a meeting (`/meetings/new?hall=<id>`). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const hallId = queryId(new URL(request.url), "hall");
  if (hallId === undefined) throw new Response("Not Found", { status: 404 });
  return scheduleFormPage(await getActor(context), hallId).catch(toHttpError);
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), newMeetingIntents, { actor: await getActor(context) });
}

export default function NewMeeting() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to={`/halls/${data.hall.id}/meetings`}>{data.hall.name}</Link>
      </p>
      <h1>{t("meeting.schedule")}</h1>
      <p className="muted">{t("meeting.scheduleIntro")}</p>
      <ScheduleForm hallId={data.hall.id} clientKey={data.clientKey} candidates={data.candidates} lastResult={result?.reply} />
    </div>
  );
}
