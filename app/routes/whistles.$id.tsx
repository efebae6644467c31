import { data as withStatus, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form-parts";
import { AssignmentList } from "~/components/whistles/assignment-list";
import { BlowForm } from "~/components/whistles/blow-form";
import { Decisions } from "~/components/whistles/decisions";
import { Elapsed } from "~/components/whistles/elapsed";
import { RateForm } from "~/components/whistles/rate-form";
import { RatingsSummary } from "~/components/whistles/ratings-summary";
import { Timeline } from "~/components/whistles/timeline";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/whistles";
import { requireUser } from "~/lib/auth.server";
import { readPhotoForm } from "~/lib/images.server";
import { checkForm, readForm } from "~/lib/input.server";
import { refusal } from "~/lib/intents";
import { performIntent, refuseIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { whistleIntents } from "~/modules/whistles/intents.server";
import { whistlePage } from "~/modules/whistles/queries.server";
import { useRoomReload } from "~/realtime/hooks";
import { withRooms } from "#realtime/room-log.server";

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, { text: args.data.whistle.title }, "home.loop.whistle") : pageTitle(args);

export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  return withRooms([`whistle:${id}`], async () => whistlePage(await getActor(context), id)).catch(toHttpError);
}

/** Every form of the page (dispatch, an officer's steps, supervision, ratings…): `modules/whistles/intents.server.ts`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const whistleId = idParam(params.id);
  // The on-site and resolve forms carry evidence (multipart); the others are plain forms.
  const multipart = request.headers.get("content-type")?.startsWith("multipart/form-data") ?? false;
  const read = multipart ? await readPhotoForm(request) : { formData: await readForm(request), tooLarge: false };
  const formData = checkForm(read.formData);
  if (read.tooLarge) return withStatus(refuseIntent(formData, "photos", "photo.error.tooLarge"), { status: 413 });
  return performIntent(formData, whistleIntents, { actor: await getActor(context), whistleId, formData });
}

export default function WhistlePage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, date, locale, punct } = useI18n();
  const { whistle } = data;
  useRoomReload(data.live);
  const error = refusal(result);
  const tone = whistle.state === "resolved" || whistle.state === "closed" ? "ok" : whistle.state === "requested" ? "warn" : "accent";
  return (
    <div className="page narrow whistle-page">
      {whistle.proposalId ? (
        <p className="muted">
          <Link to={`/proposals/${whistle.proposalId}`}>← {t("whistle.backToProposal")}</Link>
        </p>
      ) : null}
      <header className="card">
        <span className={`pill pill--${tone}`} data-testid="whistle-state">
          {t(`whistle.state.${whistle.state}`)}
        </span>{" "}
        <span className="pill pill--info">{t(`whistle.kind.${whistle.kind}`)}</span>{" "}
        <span className="pill pill--info">{locale === "en" ? data.category.en : data.category.zh}</span>
        <h1>{whistle.title}</h1>
        <p className="muted">
          {data.community ? `${t("whistle.byCommunity", { community: data.community })} · ` : ""}
          {data.subdistrict}
          {whistle.address ? ` · ${whistle.address}` : ""} · {date(whistle.createdAt)}
        </p>
        <p className="pre-line">{whistle.description}</p>
        {whistle.instructions ? (
          <p className="notice notice--info">
            {t("whistle.instructions")}
            {punct.colon}
            {whistle.instructions}
          </p>
        ) : null}
        {whistle.elapsedMs !== null && whistle.dispatchedAt ? <Elapsed since={whistle.dispatchedAt} initialMs={whistle.elapsedMs} /> : null}
      </header>
      {error && !error.sent.assignmentId ? <FormMessage errors={[error.message]} /> : null}
      {data.suggestion && whistle.state === "requested" ? <BlowForm data={data} /> : null}
      {data.assignments.length ? <AssignmentList data={data} result={result} /> : null}
      <Decisions data={data} result={result} />
      {whistle.state === "resolved" && (data.can.rate || data.ratings.mine) ? <RateForm data={data} result={result} /> : null}
      {["resolved", "closed"].includes(whistle.state) || data.ratings.count > 0 ? (
        <RatingsSummary count={data.ratings.count} tally={data.ratings.tally} />
      ) : null}
      <Timeline events={data.events} photos={data.photos} />
    </div>
  );
}
