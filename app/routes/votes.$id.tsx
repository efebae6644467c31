import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { db } from "#db/client.server";
import { FieldErrors, FormMessage, SubmitButton } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { CommandError } from "~/lib/command.server";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/identity/permissions";
import { cancelVote, castBallot, recordPaperBallot } from "~/modules/votes/commands.server";
import { getSecretState, getVotePage } from "~/modules/votes/queries.server";
import { castEncrypted, keepReceipt, SecretReceipt, TellersCard, useKeptReceipt } from "~/components/votes/secret-ballot";
import { useRoom, useSocketEvent } from "~/realtime/hooks";
import { useApiSubmit, type ApiReply } from "~/lib/api-submit";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.vote.question }) : pageTitle(args));

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = await getActor(context);
  const page = await getVotePage(db(), idParam(params.id), actor);
  if (!page) throw new Response("Not Found", { status: 404 });
  const { vote } = page;
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
      result: vote.result,
      cancelReason: vote.cancelReason,
      proposalId: vote.proposalId,
      hallId: vote.hallId,
    },
    hallName: page.hallName,
    proposalTitle: page.proposalTitle,
    turnout: page.turnout,
    eligible: page.eligible,
    voted: page.voted,
    myChoices: page.myChoices,
    votedByOther: page.votedByOther,
    tally: page.tally,
    canModerate: can(actor, "hall:moderate", page.hall.context),
    signedIn: actor.userId !== null,
    now: new Date().toISOString(),
  };
}

type Reply = { ok: boolean; intent: string; receipt?: string | null; error?: string; field?: string };

export async function action({ context, params, request }: ActionFunctionArgs): Promise<Reply> {
  requireUser(context, request);
  const voteId = idParam(params.id);
  const actor = await getActor(context);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const choices = form.getAll("choice").map(Number);
  try {
    if (intent === "cast") {
      const r = await castBallot(actor, { voteId, choices });
      return { ok: true, intent, receipt: r.receipt };
    }
    if (intent === "paper") {
      await recordPaperBallot(actor, {
        voteId,
        account: String(form.get("account") ?? ""),
        choices,
        meeting: String(form.get("meeting") ?? ""),
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
  const secretApi = useRun<{ receipt: string | null }>();
  const apiReply = secretApi.reply ?? api.reply;
  // Scripts cast through the JSON API (ADR 0013); without them the form posts to this route's action.
  const reply: Reply | undefined =
    apiReply && actionReply?.intent !== "paper" && actionReply?.intent !== "cancel"
      ? apiReply.ok
        ? { ok: true, intent: "cast", receipt: apiReply.receipt }
        : { ok: false, intent: "cast", error: apiReply.error, field: apiReply.field }
      : actionReply;
  const { t, tx, date, percent, number } = useI18n();
  const revalidator = useRevalidator();
  const { vote } = data;
  const [live, setLive] = useState({ turnout: data.turnout, counts: data.tally?.counts ?? null, state: vote.state as string });
  useEffect(
    () => setLive({ turnout: data.turnout, counts: data.tally?.counts ?? null, state: vote.state }),
    [data.turnout, data.tally, vote.state],
  );
  useRoom(`vote:${vote.id}`);
  useSocketEvent("vote:changed", (e) => {
    if (e.voteId !== vote.id) return;
    setLive((l) => ({ turnout: e.ballots, counts: e.counts ?? l.counts, state: e.state }));
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
  const turnoutShare = vote.electorateSize ? Math.min(1, live.turnout / vote.electorateSize) : 0;
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
          <li>{t(`vote.threshold.${vote.threshold}`)}</li>
          <li>
            {t("vote.quorumRule", { p: vote.quorumPercent })}
            {vote.abstentionsCountForQuorum ? t("vote.abstentionsIn") : t("vote.abstentionsOut")}
          </li>
          <li>{vote.secret ? t("vote.secretRule") : t("vote.openRule")}</li>
        </ul>
      </header>

      <section className="card" aria-labelledby="turnout-title">
        <h2 id="turnout-title">{t("vote.turnout")}</h2>
        <div className="turnout" role="img" aria-label={t("vote.turnoutText", { n: live.turnout, size: vote.electorateSize })}>
          <span className="turnout__fill" style={{ width: `${turnoutShare * 100}%` }} />
          <span className="turnout__quorum" style={{ left: `${quorumShare * 100}%` }} title={t("vote.quorumMark")} />
        </div>
        <p data-testid="turnout">
          <strong>{t("vote.turnoutText", { n: live.turnout, size: vote.electorateSize })}</strong>{" "}
          <span className="muted">
            （{percent(turnoutShare)}，{t("vote.quorumMarkText", { p: vote.quorumPercent })}）
          </span>
        </p>
        {live.counts && live.state === "open" ? <Bars counts={live.counts} label={label} /> : null}
      </section>

      {live.state === "cancelled" ? (
        <p className="notice notice--error">{t("vote.cancelled", { reason: tx(vote.cancelReason ?? "") })}</p>
      ) : null}

      {data.secretState ? <TellersCard voteId={vote.id} state={data.secretState} secret={vote.secret} voteState={live.state} myUserId={data.myUserId} /> : null}

      {vote.result && live.state === "closed" ? (
        <section className="card result" aria-labelledby="result-title" data-testid="result">
          <h2 id="result-title">{t(`vote.outcome.${vote.result.outcome}`)}</h2>
          <p>
            {t("vote.resultNumbers", {
              ballots: number(vote.result.ballots),
              size: number(vote.result.electorateSize),
              abstentions: number(vote.result.abstentions),
            })}
          </p>
          <p className="muted">
            {t("vote.ruleUsed", { rule: t(`vote.threshold.${vote.result.rule.threshold}`), p: vote.result.rule.quorumPercent })}
          </p>
          <Bars counts={vote.result.counts} label={label} />
          {vote.secret ? (
            <Link to={`/votes/${vote.id}/board`} className="button">
              {t("vote.checkReceipt")}
            </Link>
          ) : null}
        </section>
      ) : null}

      {vote.secret && receipt ? <SecretReceipt voteId={vote.id} receipt={receipt} question={vote.question} fresh={receipt === freshReceipt} /> : null}
      {reply?.ok && reply.intent === "cast" && !reply.receipt ? <FormMessage tone="success" errors={["vote.cast"]} /> : null}

      {canCast ? (
        <form
          method="post"
          className="card form ballot"
          aria-labelledby="ballot-title"
          onSubmit={async (event) => {
            event.preventDefault();
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
      ) : data.voted ? (
        <p className="notice notice--success">{data.votedByOther ? t("vote.householdVoted") : t("vote.youVoted")}</p>
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
          <p className="muted">{t("vote.paperText")}</p>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="paper" />
            <label className="field">
              <span className="field__label">{t("organization.inviteAccount")}</span>
              <input name="account" className="field__input" required />
            </label>
            <label className="field">
              <span className="field__label">{t("vote.meeting")}</span>
              <input name="meeting" className="field__input" required placeholder={t("vote.meetingPlaceholder")} />
            </label>
            <fieldset className="choices">
              <legend className="field__label">{t("vote.chooseOne")}</legend>
              {vote.options.map((_, i) => (
                <label key={i} className="check choice">
                  <input type={vote.method === "approval" ? "checkbox" : "radio"} name="choice" value={i} />
                  <span>{label(i)}</span>
                </label>
              ))}
            </fieldset>
            {reply && !reply.ok && reply.intent === "paper" ? <FieldErrors errors={[reply.error!]} /> : null}
            {reply?.ok && reply.intent === "paper" ? <FormMessage tone="success" errors={["vote.paperRecorded"]} /> : null}
            <SubmitButton intent="paper" className="button">
              {t("vote.recordPaper")}
            </SubmitButton>
          </Form>
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

function Bars({ counts, label }: { counts: number[]; label: (i: number) => string }) {
  const { number } = useI18n();
  const max = Math.max(1, ...counts);
  return (
    <ul className="bars" data-testid="bars">
      {counts.map((n, i) => (
        <li key={i}>
          <span className="bars__label">{label(i)}</span>
          <span className="bars__track">
            <span className="bars__fill" style={{ width: `${(n / max) * 100}%` }} />
          </span>
          <span className="bars__value">{number(n)}</span>
        </li>
      ))}
    </ul>
  );
}

/** "3 小时 12 分" until the time, ticking every 15 s; `done` once it has passed (by the server's clock offset). */
function useCountdown(until: string | Date, serverNow: string) {
  const { t } = useI18n();
  const [offset] = useState(() => new Date(serverNow).getTime() - Date.now());
  const [now, setNow] = useState(() => new Date(serverNow).getTime());
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
