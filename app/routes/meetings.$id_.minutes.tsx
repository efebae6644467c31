import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MinutesEditor, PublishedMinutes } from "~/components/meetings/minutes";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { minutesIntents } from "~/modules/meetings/intents.server";
import { minutesPage } from "~/modules/meetings/queries.server";
import "~/i18n/scoped/meetings";

export const meta: MetaFunction<typeof loader> = (args) => pageTitle(args, { text: args.data?.meeting.title ?? "" }, "meeting.minutes.title");

/** The minutes (纪要): published for everyone, print-ready; the convener edits and publishes. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  return minutesPage(await getActor(context), idParam(params.id)).catch(toHttpError);
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), minutesIntents, { actor: await getActor(context), meetingId: idParam(params.id) });
}

export default function MeetingMinutes() {
  const { t } = useI18n();
  const { meeting, hall, published, draft, can } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to={`/halls/${hall.id}/meetings`}>{hall.name}</Link> · <Link to={`/meetings/${meeting.id}`}>{meeting.title}</Link>
      </p>
      <h1>{t("meeting.minutes.title")}</h1>
      {published ? (
        <>
          <PublishedMinutes minutes={published} />
          <p className="actions mtg-no-print">
            <button type="button" className="button button--small" onClick={() => window.print()}>
              {t("meeting.minutes.print")}
            </button>
          </p>
        </>
      ) : (
        <p className="empty">{t("meeting.minutes.notYet")}</p>
      )}
      {can.edit && draft ? <MinutesEditor key={draft.version} draft={draft} result={result} /> : null}
    </div>
  );
}
