import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MeetingStatus, ProcedureRules } from "~/components/meetings/facts";
import { ProcedureForm } from "~/components/meetings/procedure-form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { hallMeetingIntents } from "~/modules/meetings/intents.server";
import { hallMeetingsPage } from "~/modules/meetings/queries.server";
import "~/i18n/scoped/meetings";

export const meta: MetaFunction<typeof loader> = (args) => pageTitle(args, { text: args.data?.hall.name ?? "" }, "meeting.list.title");

/** A hall's meetings (议事会) and its rules of procedure, shown to everyone; conveners schedule and set the rules. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  return hallMeetingsPage(await getActor(context), idParam(params.id)).catch(toHttpError);
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), hallMeetingIntents, { actor: await getActor(context), hallId: idParam(params.id) });
}

export default function HallMeetings() {
  const { t, date } = useI18n();
  const { hall, procedure, meetings, can } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const upcoming = meetings.filter((m) => m.status === "scheduled" || m.status === "open").reverse();
  const past = meetings.filter((m) => m.status === "closed" || m.status === "cancelled");
  const list = (items: typeof meetings) => (
    <ul className="plain-list">
      {items.map((m) => (
        <li key={m.id} className="list-item">
          <Link to={`/meetings/${m.id}`} className="list-item__title">
            {m.title}
          </Link>{" "}
          <MeetingStatus status={m.status} />
          <p className="muted">
            {date(m.startsAt)} · {m.place}
          </p>
        </li>
      ))}
    </ul>
  );
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to={`/halls/${hall.id}`}>{hall.name}</Link>
      </p>
      <h1>{t("meeting.list.title")}</h1>
      {can.schedule ? (
        <p>
          <Link to={`/meetings/new?hall=${hall.id}`} className="button button--primary">
            {t("meeting.schedule")}
          </Link>
        </p>
      ) : null}
      <section className="section">
        <h2>{t("meeting.list.upcoming")}</h2>
        {upcoming.length ? list(upcoming) : <p className="empty">{t("meeting.list.empty")}</p>}
      </section>
      {past.length ? (
        <section className="section">
          <h2>{t("meeting.list.past")}</h2>
          {list(past)}
        </section>
      ) : null}
      <ProcedureRules procedure={procedure} />
      {can.procedure ? <ProcedureForm procedure={procedure} lastResult={result?.reply} saved={result?.intent === "procedure" && result.ok} /> : null}
    </div>
  );
}
