import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { ChairConsole } from "~/components/meetings/chair-console";
import { MeetingFacts, MeetingStatus, ProcedureRules } from "~/components/meetings/facts";
import { CurrentItem, Floor, QuorumMeter, Queue } from "~/components/meetings/floor";
import { LoginToSignIn, MemberPanel, SignInForm } from "~/components/meetings/member-panel";
import { Motions } from "~/components/meetings/motions";
import { useMeetingLive } from "~/components/meetings/use-meeting-live";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { serverNow } from "~/lib/clock.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { meetingIntents } from "~/modules/meetings/intents.server";
import { meetingPage } from "~/modules/meetings/queries.server";
import "~/i18n/scoped/meetings";

export const meta: MetaFunction<typeof loader> = (args) => pageTitle(args, { text: args.data?.meeting.title ?? "" }, "meeting.list.title");

/** Everyone reads a meeting and follows it live; the invited sign in and take part; the chair runs it. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  return meetingPage(await getActor(context), idParam(params.id), serverNow()).catch(toHttpError);
}

/** Sign in, hands, motions; the chair's console: `modules/meetings/intents.server.ts`. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), meetingIntents, { actor: await getActor(context), meetingId: idParam(params.id) });
}

export default function MeetingPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { live, offset } = useMeetingLive(data.live);
  const { meeting, me, can } = data;
  // The chair's lists of who is here follow the room's sign-ins.
  const revalidator = useRevalidator();
  const seen = useRef(live.present);
  useEffect(() => {
    if (data.chair && live.present !== seen.current) revalidator.revalidate();
    seen.current = live.present;
  }, [live.present, data.chair, revalidator]);
  const active = live.status === "open" || live.status === "scheduled";
  return (
    <div className="page narrow mtg-page">
      <p className="breadcrumbs">
        <Link to={`/halls/${data.hall.id}/meetings`}>{data.hall.name}</Link>
      </p>
      <h1>
        {meeting.title} <MeetingStatus status={live.status} />
      </h1>
      {active ? <QuorumMeter present={live.present} quorum={live.quorum} /> : null}
      {me.present ? <p className="notice notice--success">{t("meeting.signIn.done")}</p> : null}
      {can.signIn ? <SignInForm result={result} /> : null}
      {active && !me.invited && me.userId !== null && !can.chair ? <p className="muted">{t("meeting.signIn.notInvited")}</p> : null}
      {active && me.userId === null ? <LoginToSignIn meetingId={meeting.id} /> : null}
      {active && me.invited && !me.present && !data.signInOpen ? <p className="muted">{t("meeting.signIn.notYet")}</p> : null}
      {can.chair && data.chair ? <ChairConsole live={live} meetingId={meeting.id} chair={data.chair} code={data.code} proxies={meeting.procedure.proxies} result={result} /> : null}
      {live.status === "open" ? (
        <>
          {/* A neutral chair (the hall's rules) has no hand and no motion of their own: the server refuses them too (meeting:speak, meeting:move). */}
          <CurrentItem live={live} />
          <Floor live={live} offset={offset} />
          {me.present && me.userId !== null && can.speak ? <MemberPanel live={live} me={me.userId} participate={can.speak} result={result} /> : null}
          <Queue live={live} me={me.userId} />
          <Motions live={live} me={me.userId} participate={can.participate} move={can.move} chair={can.chair} mine={me.ballots} result={result} />
        </>
      ) : null}
      {data.hasMinutes || (can.minutes && live.status === "closed") ? (
        <p>
          <Link to={`/meetings/${meeting.id}/minutes`} className="button button--primary">
            {t("meeting.minutes.open")}
          </Link>
        </p>
      ) : null}
      <MeetingFacts meeting={{ ...meeting, status: live.status }} hall={data.hall} invited={data.invited} agenda={data.agenda} />
      <ProcedureRules procedure={meeting.procedure} />
    </div>
  );
}
