import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { db } from "#db/client.server";
import { FieldErrors } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { CommandError } from "~/lib/command.server";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/identity/permissions";
import { cancelVote, castBallot, recordPaperBallot } from "~/modules/votes/commands.server";
import { paperSchema } from "~/modules/votes/schemas";
import { COMMUNITY_STAFF, holdsKind } from "~/modules/identity/actor";
import { findPaperElectors } from "~/modules/roll/queries.server";
import { PaperBallot } from "~/components/votes/paper-ballot";
import { getSecretState, getVotePage } from "~/modules/votes/queries.server";
import { castEncrypted, keepReceipt, SecretReceipt, TellersCard, useKeptReceipt } from "~/components/votes/secret-ballot";
import { useRoom, useSocketEvent } from "~/realtime/hooks";
import { useApiSubmit, type ApiReply } from "~/lib/api-submit";
import { pageTitle } from "~/lib/meta";
import "~/i18n/scoped/vote-page";
import { Bars, VoteResultCard } from "~/components/votes/result";
import { CastConfirmation, VoterStanding } from "~/components/votes/standing";
import { readResult, thresholdKey } from "~/modules/votes/rules";
import { readForm } from "~/lib/input.server";
import { parseChoices } from "~/modules/votes/schemas";
import { serverNow } from "~/lib/clock.server";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.vote.question }) : pageTitle(args));

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const actor = await getActor(context);
  const page = await getVotePage(db(), idParam(params.id), actor);
  if (!page) throw new Response("Not Found", { status: 404 });
  const { vote } = page;
  // Paper ballots are chosen from the roll: for staff who moderate the hall and keep a roll (ADR 0020).
  const canRecordPaper = can(actor, "hall:moderate", page.hall.context) && holdsKind(actor, COMMUNITY_STAFF);
  const who = new URL(request.url).searchParams.get("who") ?? "";
  const paperMatches = canRecordPaper && vote.state === "open" && who.trim() ? await findPaperElectors(db(), actor, vote, who) : [];
  const secretState = vote.secret ? await getSecretState(db(), vote.id) : null;
  return {
    secretState,
    electionKey: page.electionKey,
    myUserId: actor.userId,
    vote: {
      id: vote.id,
      question: vote.question,
      method: vote.method,
      options: vote.options,
      maxChoices: vote.maxChoices,
      electorate: vote.electorate,
      opensAt: vote.opensAt,
      closesAt: vote.closesAt,
      quorumPercent: vote.quorumPercent,
      threshold: vote.threshold,
      abstentionsCountForQuorum: vote.abstentionsCountForQuorum,
      secret: vote.secret,
      liveResults: vote.liveResults,
      state: vote.state,
      electorateSize: vote.electorateSize ?? 0,
      result: readResult(vote.result, vote),
      cancelReason: vote.cancelReason,
      proposalId: vote.proposalId,
      hallId: vote.hallId,
    },
    hallName: page.hallName,
    proposalTitle: page.proposalTitle,
    turnout: page.turnout,
    paper: page.paper,
    votedOnPaper: page.votedOnPaper,
    canRecordPaper,
    paperMatches,
    eligible: page.eligible,
    voted: page.voted,
    myChoices: page.myChoices,
    votedByOther: page.votedByOther,
    myBallot: page.myBallot,
    tally: page.tally,
    canModerate: can(actor, "hall:moderate", page.hall.context),
    signedIn: actor.userId !== null,
    now: serverNow().toISOString(),
  };
}

type Reply = { ok: boolean; intent: string; receipt?: string | null; changed?: boolean; choices?: number[]; error?: string; field?: string };

export async function action({ context, params, request }: ActionFunctionArgs): Promise<Reply> {
  requireUser(context, request);
  const voteId = idParam(params.id);
  const actor = await getActor(context);
  const form = await readForm(request);
  const intent = String(form.get("intent"));
  const choices = parseChoices(form.getAll("choice"));
  try {
    if (intent === "cast") {
      const r = await castBallot(actor, { voteId, choices });
      return { ok: true, intent, receipt: r.receipt, changed: r.changed, choices };
    }
    if (intent === "paper") {
      const paper = paperSchema.safeParse(Object.fromEntries(form));
      if (!paper.success) {
        const issue = paper.error.issues[0]!;
        return { ok: false, intent, error: issue.message, field: String(issue.path[0]) };
      }
      const [kind, id] = [paper.data.elector.slice(0, 1), Number(paper.data.elector.slice(2))];
      await recordPaperBallot(actor, {
        voteId,
        ...(kind === "h" ? { householdId: id } : { residentId: id }),
        choices,
        meeting: paper.data.meeting,
      });
      return { ok: true, intent };
    }
    if (intent === "cancel") {
      await cancelVote(actor, { voteId, reason: String(form.get("reason") ?? "") });
      return { ok: true, intent };
    }
    throw new Response("Bad Request", { status: 400 });
  } catch (error) {
    if (error instanceof CommandError) return { ok: false, intent, error: error.messageKey, field: error.field };
    if (error instanceof Response) throw error;
    return toHttpError(error);
  }
}

export default function VotePage() {
  const data = useLoaderData<typeof loader>();
  const actionReply = useActionData<typeof action>();
  const api = useApiSubmit<{ receipt: string | null; changed: boolean }>();
  const [sentChoices, setSentChoices] = useState<number[]>([]);
  const secretApi = useRun<{ receipt: string | null }>();
  const apiReply = secretApi.reply ?? api.reply;
  // Scripts cast through the JSON API (ADR 0013); without them the form posts to this route's action.
  const reply: Reply | undefined =
    apiReply && actionReply?.intent !== "paper" && actionReply?.intent !== "cancel"
      ? apiReply.ok
        ? { ok: true, intent: "cast", receipt: apiReply.receipt, changed: api.reply?.ok ? api.reply.changed : undefined, choices: sentChoices }
        : { ok: false, intent: "cast", error: apiReply.error, field: apiReply.field }
      : actionReply;
  const { t, tx, date, percent, number } = useI18n();
  const revalidator = useRevalidator();
  const { vote } = data;
  const initial = { turnout: data.turnout, paper: data.paper, counts: data.tally?.counts ?? null, abstentions: data.tally?.abstentions ?? null, state: vote.state as string };
  const [live, setLive] = useState(initial);
  useEffect(
    () => setLive({ turnout: data.turnout, paper: data.paper, counts: data.tally?.counts ?? null, abstentions: data.tally?.abstentions ?? null, state: vote.state }),
    [data.turnout, data.paper, data.tally, vote.state],
  );
  useRoom(`vote:${vote.id}`);
  useSocketEvent("vote:changed", (e) => {
    if (e.voteId !== vote.id) return;
    setLive((l) => ({ turnout: e.ballots, paper: e.paper ?? l.paper, counts: e.counts ?? l.counts, abstentions: e.abstentions ?? l.abstentions, state: e.state }));
    if (e.state !== "open") revalidator.revalidate();
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
  const quorumShare = vote.quorumPercent / 100;
  // The bar counts what the quorum counts: without abstentions when the rule leaves them out (ADR 0019).
  // While the tally is hidden, abstentions are too: the bar then counts every ballot and says so.
  const closedResult = live.state === "closed" ? vote.result : null;
  const excluded = vote.abstentionsCountForQuorum ? 0 : closedResult ? closedResult.abstentions : (live.abstentions ?? 0);
  const counted = closedResult ? closedResult.turnout : live.turnout - excluded;
  const abstentionsHidden = !vote.abstentionsCountForQuorum && !closedResult && live.abstentions === null;
  const turnoutShare = vote.electorateSize ? Math.min(1, counted / vote.electorateSize) : 0;
  const turnoutText = excluded > 0 ? t("voteStanding.turnoutCountedText", { n: counted, size: vote.electorateSize }) : t("vote.turnoutText", { n: counted, size: vote.electorateSize });
  const canCast = data.eligible && live.state === "open" && !countdown.done && (!data.voted || (!vote.secret && !data.votedByOther));

  return (
    <div className="page narrow vote-page">
      <p className="muted">
        {vote.proposalId ? (
          <Link to={`/proposals/${vote.proposalId}`}>← {data.proposalTitle}</Link>
        ) : (
          <Link to={`/halls/${vote.hallId}`}>← {data.hallName}</Link>
        )}
      </p>
      <header className="card">
        <span
          className={`pill pill--${live.state === "open" ? "accent" : live.state === "closed" ? "ok" : "info"}`}
          data-testid="vote-state"
        >
          {t(`vote.state.${live.state as "open"}`)}
        </span>
        <h1>{vote.question}</h1>
        {live.state === "open" || live.state === "scheduled" ? (
          <p className="countdown" data-testid="countdown">
            <time dateTime={String(vote.closesAt)} title={date(vote.closesAt)}>
              {countdown.done ? t("vote.closing") : t("vote.timeLeft", { time: countdown.text })}
            </time>{" "}
            <span className="muted">（{t("vote.closesAtShort", { time: date(vote.closesAt) })}）</span>
          </p>
        ) : null}
        <ul className="rules-list">
          <li>
            {t(`vote.electorate.${vote.electorate}`)} · {t("vote.electorateSize", { count: vote.electorateSize })}
          </li>
          <li>{t(thresholdKey(vote.method, vote.threshold))}</li>
          <li>
            {t("vote.quorumRule", { p: vote.quorumPercent })}
            {vote.abstentionsCountForQuorum ? t("vote.abstentionsIn") : t("vote.abstentionsOut")}
          </li>
          <li>{vote.secret ? t("vote.secretRule") : t("vote.openRule")}</li>
        </ul>
      </header>

      <section className="card" aria-labelledby="turnout-title">
        <h2 id="turnout-title">{t("vote.turnout")}</h2>
        <div className="turnout" role="img" aria-label={turnoutText}>
          <span className="turnout__fill" style={{ width: `${turnoutShare * 100}%` }} />
          <span className="turnout__quorum" style={{ left: `${quorumShare * 100}%` }} title={t("vote.quorumMark")} />
        </div>
        <p data-testid="turnout">
          <strong>{turnoutText}</strong>{" "}
          <span className="muted">
            （{percent(turnoutShare)}，{t("vote.quorumMarkText", { p: vote.quorumPercent })}）
          </span>
        </p>
        <p className="muted" data-testid="turnout-channels">
          {t("vote.turnoutChannels", { online: number(live.turnout - live.paper), paper: number(live.paper), size: number(vote.electorateSize) })}
        </p>
        {excluded > 0 ? <p className="muted">{t("voteStanding.turnoutCounts", { ballots: counted + excluded, abstentions: excluded })}</p> : null}
        {abstentionsHidden ? <p className="muted">{t("voteStanding.abstentionsLater")}</p> : null}
        {live.counts && live.state === "open" ? <Bars counts={live.counts} label={label} /> : null}
      </section>

      {live.state === "cancelled" ? (
        <p className="notice notice--error">{t("vote.cancelled", { reason: tx(vote.cancelReason ?? "") })}</p>
      ) : null}

      {data.secretState ? <TellersCard voteId={vote.id} state={data.secretState} secret={vote.secret} voteState={live.state} myUserId={data.myUserId} /> : null}

      {vote.result && live.state === "closed" ? <VoteResultCard result={vote.result} vote={vote} label={label} /> : null}
      {vote.result && live.state === "closed" && vote.secret ? (
        <p>
          <Link to={`/votes/${vote.id}/board`} className="button">
            {t("vote.checkReceipt")}
          </Link>
        </p>
      ) : null}

      {vote.secret && receipt ? <SecretReceipt voteId={vote.id} receipt={receipt} question={vote.question} fresh={receipt === freshReceipt} /> : null}
      {reply?.ok && reply.intent === "cast" && !reply.receipt ? <CastConfirmation choices={reply.choices ?? null} changed={!!reply.changed} label={label} /> : null}

      {canCast ? (
        <form
          method="post"
          className="card form ballot"
          aria-labelledby="ballot-title"
          onSubmit={async (event) => {
            event.preventDefault();
            setSentChoices(new FormData(event.currentTarget).getAll("choice").map(Number));
            // A secret ballot is encrypted here, with its proofs; only ciphertexts leave the browser (ADR 0016).
            const done =
              vote.secret && data.electionKey
                ? await secretApi.run(() => castEncrypted(vote.id, data.electionKey!, { method: vote.method, optionCount: vote.options.length, maxChoices: vote.maxChoices }, event.currentTarget))
                : await api.submit(`/api/votes/${vote.id}/ballots`, event.currentTarget);
            if (done.ok && "receipt" in done && done.receipt) keepReceipt(vote.id, done.receipt);
            // Accepted or refused, the page may be out of date (a housemate voted, the vote closed): reload its data.
            if (done.ok || done.error !== "form.networkError") revalidator.revalidate();
          }}
        >
          <h2 id="ballot-title">{data.voted ? t("vote.changeBallot") : t("vote.yourBallot")}</h2>
          <input type="hidden" name="intent" value="cast" />
          <fieldset className="choices">
            <legend className="field__label">
              {vote.method === "approval" ? t("vote.chooseUpTo", { k: vote.maxChoices }) : t("vote.chooseOne")}
            </legend>
            {vote.options.map((_, i) => (
              <label key={i} className="check choice">
                <input
                  type={vote.method === "approval" ? "checkbox" : "radio"}
                  name="choice"
                  value={i}
                  defaultChecked={data.myChoices?.includes(i)}
                  required={vote.method !== "approval"}
                />
                <span>{label(i)}</span>
              </label>
            ))}
          </fieldset>
          {reply && !reply.ok && reply.intent === "cast" ? <FieldErrors errors={[reply.error!]} /> : null}
          {vote.secret ? <p className="muted">{t("vote.secretFinal")}</p> : null}
          {vote.secret ? <p className="muted">{t("vote.encryptedHere")}</p> : null}
          <button
            type="submit"
            name="intent"
            value="cast"
            className="button button--primary button--block"
            disabled={api.busy || secretApi.busy}
            aria-busy={api.busy || secretApi.busy}
          >
            {api.busy || secretApi.busy ? t("form.submitting") : t("vote.castButton")}
          </button>
        </form>
      ) : data.myBallot ? (
        <VoterStanding ballot={data.myBallot} byOther={data.votedByOther} secret={vote.secret} />
      ) : !data.signedIn && live.state === "open" ? (
        <p className="notice notice--info">
          <Link to={`/login?redirectTo=/votes/${vote.id}`}>{t("vote.loginToVote")}</Link>
        </p>
      ) : live.state === "open" ? (
        <p className="notice notice--info">{t("vote.notEligible")}</p>
      ) : null}

      {data.canModerate && live.state === "open" ? (
        <section className="card" aria-labelledby="paper-title">
          <h2 id="paper-title">{t("vote.paperTitle")}</h2>
          {data.canRecordPaper ? (
            <PaperBallot
              voteId={vote.id}
              electorate={vote.electorate}
              method={vote.method}
              optionCount={vote.options.length}
              label={label}
              matches={data.paperMatches}
              reply={reply}
            />
          ) : (
            <p className="muted">{t("vote.paperStaffOnly")}</p>
          )}
          <details>
            <summary className="button button--quiet">{t("vote.cancel")}</summary>
            <Form method="post" className="form">
              <input type="hidden" name="intent" value="cancel" />
              <label className="field">
                <span className="field__label">{t("convener.publicText")}</span>
                <textarea name="reason" className="field__input" required />
              </label>
              <button type="submit" className="button">
                {t("vote.confirmCancel")}
              </button>
            </Form>
          </details>
        </section>
      ) : null}
    </div>
  );
}

/** Busy and reply state around an async call that answers like the JSON API. */
function useRun<T>() {
  const [state, setState] = useState<{ busy: boolean; reply: ApiReply<T> | null }>({ busy: false, reply: null });
  return {
    ...state,
    run: async (fn: () => Promise<ApiReply<T>>) => {
      setState({ busy: true, reply: null });
      const reply = await fn().catch((): ApiReply<T> => ({ ok: false, error: "form.networkError" }));
      setState({ busy: false, reply });
      return reply;
    },
  };
}

/** "3 小时 12 分" until the time, ticking every 15 s; `done` once it has passed (by the server's clock offset). */
function useCountdown(until: string | Date, serverTime: string) {
  const { t } = useI18n();
  // Measured again on each load: the server's clock is the one that closes the vote.
  const offset = useMemo(() => new Date(serverTime).getTime() - Date.now(), [serverTime]);
  const [now, setNow] = useState(() => new Date(serverTime).getTime());
  useEffect(() => {
    const tick = () => setNow(Date.now() + offset);
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [offset]);
  const left = new Date(until).getTime() - now;
  const minutes = Math.max(0, Math.ceil(left / 60_000));
  const text =
    minutes >= 1440
      ? t("time.daysHours", { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) })
      : minutes >= 60
        ? t("time.hoursMinutes", { h: Math.floor(minutes / 60), m: minutes % 60 })
        : left > 60_000
          ? t("time.minutes", { m: minutes })
          : t("time.seconds", { s: Math.max(0, Math.ceil(left / 1000)) });
  return { done: left <= 0, text };
}
