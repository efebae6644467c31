import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useMemo } from "react";
import { BallotForm } from "~/components/votes/ballot-form";
import { ModeratorCard } from "~/components/votes/moderator-card";
import { applyVoteEvent, liveOf } from "~/components/votes/page-data";
import { VoteResultCard } from "~/components/votes/result";
import { SecretReceipt, TellersCard, useKeptReceipt } from "~/components/votes/secret-ballot";
import { CastConfirmation, VoterStanding } from "~/components/votes/standing";
import { Turnout } from "~/components/votes/turnout";
import { useCasting, useCountdown } from "~/components/votes/use-casting";
import { VoteHeader } from "~/components/votes/vote-header";
import "~/i18n/scoped/vote-page";
import "~/i18n/scoped/votes";
import "~/i18n/scoped/roll";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { voteIntents } from "~/modules/votes/intents.server";
import { votePage } from "~/modules/votes/queries.server";
import { mayCast } from "~/modules/votes/rules";
import { useLiveState } from "~/realtime/hooks";
import { withRooms } from "#realtime/room-log.server";

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, { text: args.data.vote.question }) : pageTitle(args);

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const who = new URL(request.url).searchParams.get("who") ?? "";
  const id = idParam(params.id);
  return withRooms([`vote:${id}`], async () => votePage(await getActor(context), id, who)).catch(toHttpError);
}

/** Casting without scripts, a paper ballot, cancelling: `modules/votes/intents.server.ts`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const formData = await readForm(request);
  return performIntent(formData, voteIntents, { actor: await getActor(context), voteId: idParam(params.id), formData });
}

export default function VotePage() {
  const data = useLoaderData<typeof loader>();
  const { reply, cast, busy } = useCasting(data, useActionData<typeof action>());
  const { t, tx } = useI18n();
  const revalidator = useRevalidator();
  const { vote } = data;
  // Loaded figures, replaced by what the vote's room says until the next load.
  const room = `vote:${vote.id}`;
  const base = useMemo(() => liveOf(data), [data]);
  const live = useLiveState(room, data.live[room] ?? 0, base, applyVoteEvent, (e) => {
    if (e.event === "vote:changed" && e.args[0].state !== "open") revalidator.revalidate();
  });
  const countdown = useCountdown(vote.closesAt, data.now);
  useEffect(() => {
    // When the clock passes the closing time, fetch the frozen result (the server closes it within seconds).
    if (live.state === "open" && countdown.done) {
      const timer = window.setInterval(() => revalidator.revalidate(), 3000);
      return () => window.clearInterval(timer);
    }
  }, [live.state, countdown.done, revalidator]);

  const freshReceipt = reply?.ok && reply.intent === "cast" ? reply.receipt : null;
  const receipt = useKeptReceipt(vote.id, vote.secret ? freshReceipt : null);
  const label = (i: number) => (vote.method === "yes_no" ? t(`vote.option.${vote.options[i] as "yes"}`) : vote.options[i]!);
  const open = live.state === "open";
  const canCast =
    open &&
    !countdown.done &&
    mayCast({ eligible: data.eligible, voted: data.voted, secret: vote.secret, votedByOther: data.votedByOther });
  return (
    <div className="page narrow vote-page">
      <p className="muted">
        {vote.proposalId ? (
          <Link to={`/proposals/${vote.proposalId}`}>← {data.proposalTitle}</Link>
        ) : (
          <Link to={`/halls/${vote.hallId}`}>← {data.hallName}</Link>
        )}
      </p>
      <VoteHeader vote={vote} state={live.state} countdown={countdown} />
      <Turnout vote={vote} live={live} label={label} />
      {live.state === "cancelled" ? (
        <p className="notice notice--error">{t("vote.cancelled", { reason: tx(vote.cancelReason ?? "") })}</p>
      ) : null}
      {data.secretState ? (
        <TellersCard voteId={vote.id} state={data.secretState} secret={vote.secret} voteState={live.state} myUserId={data.myUserId} />
      ) : null}
      {vote.result && live.state === "closed" ? <VoteResultCard result={vote.result} vote={vote} label={label} /> : null}
      {vote.result && live.state === "closed" && vote.secret ? (
        <p>
          <Link to={`/votes/${vote.id}/board`} className="button">
            {t("vote.checkReceipt")}
          </Link>
        </p>
      ) : null}
      {vote.secret && receipt ? (
        <SecretReceipt voteId={vote.id} receipt={receipt} question={vote.question} fresh={receipt === freshReceipt} />
      ) : null}
      {reply?.ok && reply.intent === "cast" && !reply.receipt ? (
        <CastConfirmation choices={reply.choices ?? null} changed={!!reply.changed} label={label} />
      ) : null}
      {canCast ? (
        <BallotForm data={data} reply={reply} busy={busy} label={label} onCast={cast} />
      ) : data.myBallot ? (
        <VoterStanding ballot={data.myBallot} byOther={data.votedByOther} secret={vote.secret} />
      ) : !data.signedIn && open ? (
        <p className="notice notice--info">
          <Link to={`/login?redirectTo=/votes/${vote.id}`}>{t("vote.loginToVote")}</Link>
        </p>
      ) : open ? (
        <p className="notice notice--info">{t("vote.notEligible")}</p>
      ) : null}
      {data.canModerate && open ? <ModeratorCard data={data} reply={reply} label={label} /> : null}
    </div>
  );
}
