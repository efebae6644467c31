import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useRevalidator, type ShouldRevalidateFunction } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { db } from "#db/client.server";
import type { ProposalState, Stance } from "#db/schema/halls";
import type { CommentPayload } from "#realtime/events";
import { FieldErrors, FormMessage, SubmitButton } from "~/components/form";
import { StatePill } from "~/components/proposal-state";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { CommandError } from "~/lib/command.server";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/identity/permissions";
import {
  declineProposal,
  deleteDraft,
  publishDraft,
  editComment,
  markSelfHandled,
  moderateComment,
  openDebate,
  postComment,
  reportComment,
  secondProposal,
  setFollow,
  withdrawProposal,
  writeMinutes,
} from "~/modules/proposals/commands.server";
import { getProposalPage } from "~/modules/proposals/queries.server";
import { escalateProposal } from "~/modules/whistles/commands.server";
import { escalateSchema } from "~/modules/whistles/schemas";
import { canStillEdit, isDebateOpen, MAX_REPLY_DEPTH, STEP_BAR } from "~/modules/proposals/rules";
import { commentSchema, declineSchema, editCommentSchema, minutesSchema } from "~/modules/proposals/schemas";
import { getSocket } from "~/realtime/socket.client";
import { useApiSubmit } from "~/lib/api-submit";
import { useRoom, useSocketEvent } from "~/realtime/hooks";
import { SecondsBar } from "~/components/seconds-bar";
import { pageTitle } from "~/lib/meta";
import { parseId } from "~/lib/input";
import { formId, readForm } from "~/lib/input.server";
import { removeStoredPhotos } from "~/lib/images.server";
import { DraftPanel } from "~/components/proposals/draft-panel";
import { serverNow } from "~/lib/clock.server";
import { StaffBadge } from "~/components/staff-badge";

/**
 * A new comment, an edit or a report arrives through the socket already: do
 * not refetch the whole debate after posting one (it is the page's largest data).
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, actionResult, defaultShouldRevalidate }) => {
  const intent = formData?.get("intent");
  if ((intent === "comment" || intent === "edit" || intent === "report") && (actionResult as { ok?: boolean } | undefined)?.ok)
    return false;
  return defaultShouldRevalidate;
};

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.proposal.title }) : pageTitle(args));

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = await getActor(context);
  const page = await getProposalPage(db(), idParam(params.id), actor);
  if (!page) throw new Response("Not Found", { status: 404 });
  const ctx = { hall: page.hall.context, authorId: page.proposal.authorId, state: page.proposal.state };
  if (!can(actor, "proposal:view", ctx)) throw new Response("Not Found", { status: 404 });
  const { proposal } = page;
  return {
    proposal: {
      id: proposal.id,
      title: proposal.title,
      body: proposal.body,
      state: proposal.state,
      address: proposal.address,
      createdAt: proposal.createdAt,
      secondsRequired: proposal.secondsRequired,
      secondingDeadline: proposal.secondingDeadline,
      authorId: proposal.authorId,
      declineReason: proposal.declineReason,
      declineText: proposal.declineText,
      mergedIntoId: proposal.mergedIntoId,
      hallId: proposal.hallId,
    },
    authorName: page.authorName,
    organizationName: page.organizationName,
    category: { zh: page.categoryZh, en: page.categoryEn },
    alleyName: page.alleyName,
    hall: {
      id: page.hall.hall.id,
      name: page.hall.hall.name,
      commentMaxLength: page.hall.hall.commentMaxLength,
      stanceRequired: page.hall.hall.stanceRequired,
    },
    events: page.events,
    seconds: page.seconds,
    secondedByMe: page.secondedByMe,
    debate: page.debate,
    minutes: page.minutes,
    photos: page.photos.map((p) => ({ id: p.id, url: `/uploads/${p.fileName}` })),
    following: page.following,
    vote: page.vote,
    whistle: page.whistle,
    me: actor.userId,
    myOrganizations: page.myOrganizations,
    can: {
      second: can(actor, "proposal:second", ctx) && !page.secondedByMe,
      comment: can(actor, "proposal:comment", ctx),
      withdraw: can(actor, "proposal:withdraw", ctx) && ["open", "on_agenda", "in_debate"].includes(proposal.state),
      editDraft: can(actor, "proposal:editDraft", ctx),
      publishDraft: can(actor, "proposal:publishDraft", ctx),
      moderate: can(actor, "proposal:moderate", ctx),
      report: actor.userId !== null && page.hall.context.membership === "active",
    },
    clientKey: crypto.randomUUID(),
    now: serverNow().toISOString(),
  };
}

type Reply = { intent: string; ok: boolean; error?: string; field?: string; commentId?: number };

export async function action({ context, params, request }: ActionFunctionArgs): Promise<Reply> {
  requireUser(context, request);
  const proposalId = idParam(params.id);
  const actor = await getActor(context);
  const form = Object.fromEntries(await readForm(request));
  const intent = String(form.intent ?? "");
  const invalid = (error: { issues: { path: (string | number)[]; message: string }[] }): Reply => ({
    intent,
    ok: false,
    error: error.issues[0]!.message,
    field: String(error.issues[0]!.path[0] ?? ""),
  });
  try {
    switch (intent) {
      case "second":
        await secondProposal(actor, proposalId);
        break;
      case "follow":
      case "unfollow":
        await setFollow(actor, proposalId, intent === "follow");
        break;
      case "publish-draft":
        await publishDraft(actor, proposalId);
        break;
      case "delete-draft": {
        const gone = await deleteDraft(actor, proposalId);
        await removeStoredPhotos(gone.photoFiles);
        throw redirect(`/halls/${gone.hallId}?deleted=draft`);
      }
      case "withdraw":
        await withdrawProposal(actor, proposalId, String(form.reason ?? ""));
        break;
      case "open-debate":
        await openDebate(actor, proposalId);
        break;
      case "escalate":
      case "escalate-stations": {
        const parsed = escalateSchema.safeParse(form);
        if (!parsed.success) return invalid(parsed.error);
        await escalateProposal(actor, proposalId, serverNow(), intent === "escalate" ? "subdistrict" : "stations", parsed.data.message);
        break;
      }
      case "self-handle":
        await markSelfHandled(actor, proposalId);
        break;
      case "decline": {
        const parsed = declineSchema.safeParse(form);
        if (!parsed.success) return invalid(parsed.error);
        await declineProposal(actor, { proposalId, ...parsed.data });
        break;
      }
      case "minutes": {
        const parsed = minutesSchema.safeParse(form);
        if (!parsed.success) return invalid(parsed.error);
        await writeMinutes(actor, { proposalId, ...parsed.data });
        break;
      }
      case "comment": {
        const parsed = commentSchema.safeParse(form);
        if (!parsed.success) return invalid(parsed.error);
        const comment = await postComment(actor, { proposalId, ...parsed.data });
        return { intent, ok: true, commentId: comment.id };
      }
      case "edit": {
        const parsed = editCommentSchema.safeParse(form);
        if (!parsed.success) return invalid(parsed.error);
        await editComment(actor, parsed.data);
        return { intent, ok: true, commentId: parsed.data.commentId };
      }
      case "report":
        await reportComment(actor, { commentId: formId(form, "commentId"), reason: String(form.reason) as "spam" });
        return { intent, ok: true, commentId: formId(form, "commentId") };
      case "hide":
      case "restore":
        await moderateComment(actor, { commentId: formId(form, "commentId"), hide: intent === "hide", reason: String(form.reason ?? "") });
        return { intent, ok: true, commentId: formId(form, "commentId") };
      default:
        throw new Response("Bad Request", { status: 400 });
    }
    return { intent, ok: true };
  } catch (error) {
    if (error instanceof CommandError)
      return { intent, ok: false, error: error.messageKey, field: error.field, commentId: parseId(form.commentId) ?? undefined };
    if (error instanceof Response) throw error;
    return toHttpError(error);
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function ProposalPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale, date } = useI18n();
  const revalidator = useRevalidator();
  const [debate, setDebate] = useState(() => debateState(data.debate));
  const [live, setLive] = useState({ state: data.proposal.state as ProposalState, seconds: data.seconds });
  const [fresh, setFresh] = useState<number | null>(null);
  // New comments heard live, kept so that loader data read just before one was committed (a reload racing
  // the news) cannot take it off the page again; data that has it wins.
  const heard = useRef(new Map<number, CommentPayload>());
  useEffect(() => {
    let next = debateState(data.debate);
    for (const c of heard.current.values()) if (!next.comments.some((x) => x.id === c.id)) next = upsertComment(next, c);
    setDebate(next);
  }, [data.debate]);
  // Within one state seconds only grow: stale data must not take back a second heard live.
  useEffect(
    () => setLive((l) => ({ state: data.proposal.state, seconds: l.state === data.proposal.state ? Math.max(l.seconds, data.seconds) : data.seconds })),
    [data.proposal.state, data.seconds],
  );

  useRoom(`proposal:${data.proposal.id}`);
  useSocketEvent("comment:upserted", (c) => {
    if (c.proposalId !== data.proposal.id) return;
    // A change to a comment of a thread not loaded yet: its old stance is unknown here, so ask for fresh totals.
    if (!c.isNew && !debate.comments.some((x) => x.id === c.id)) return revalidator.revalidate();
    if (c.isNew) heard.current.set(c.id, c);
    setDebate((d) => upsertComment(d, c));
    setFresh(c.id);
  });
  useSocketEvent("whistle:changed", (e) => e.proposalId === data.proposal.id && revalidator.revalidate());
  useSocketEvent("proposal:changed", (e) => {
    if (e.proposalId !== data.proposal.id) return;
    setLive((l) => ({ state: e.state as ProposalState, seconds: l.state === e.state ? Math.max(l.seconds, e.seconds) : e.seconds }));
    if (e.reload) revalidator.revalidate();
  });
  // After a dropped connection, catch up on whatever was missed.
  useCatchUp(() => revalidator.revalidate());

  const { proposal } = data;
  return (
    <div className="page proposal-page">
      <p className="muted">
        <Link to={`/halls/${data.hall.id}`}>← {data.hall.name}</Link>
      </p>
      <header className="card proposal-head">
        <div className="proposal-row__meta">
          <StatePill state={live.state} />
          <span className="pill pill--info">{locale === "en" ? data.category.en : data.category.zh}</span>
        </div>
        <h1>{proposal.title}</h1>
        <p className="muted">
          {data.organizationName ? `${data.organizationName}（${data.authorName}）` : data.authorName} · {date(proposal.createdAt)}
          {proposal.address ? ` · ${proposal.address}` : ""}
          {data.alleyName ? ` · ${data.alleyName}` : ""}
        </p>
        <StepBar state={live.state} />
      </header>

      {data.minutes ? (
        <section className="card minutes" aria-labelledby="minutes-title">
          <h2 id="minutes-title">
            {t("minutes.title")} <span className="muted">{t("minutes.version", { version: data.minutes.version })}</span>
          </h2>
          <h3>{t("minutes.agreed")}</h3>
          <p className="pre-line">{data.minutes.agreed}</p>
          {data.minutes.open ? (
            <>
              <h3>{t("minutes.open")}</h3>
              <p className="pre-line">{data.minutes.open}</p>
            </>
          ) : null}
          {data.minutes.nextStep ? (
            <>
              <h3>{t("minutes.nextStep")}</h3>
              <p className="pre-line">{data.minutes.nextStep}</p>
            </>
          ) : null}
        </section>
      ) : null}

      {live.state === "declined" && proposal.declineText ? (
        <p className="notice notice--error">
          {t(`proposal.decline.${proposal.declineReason as "duplicate"}`)}：{proposal.declineText}
          {proposal.mergedIntoId ? (
            <>
              {" "}
              <Link to={`/proposals/${proposal.mergedIntoId}`}>{t("proposal.mergedInto")}</Link>
            </>
          ) : null}
        </p>
      ) : null}

      <section className="card">
        <p className="pre-line proposal-body">{proposal.body}</p>
        {data.photos.length ? (
          <div className="photos">
            {data.photos.map((p) => (
              <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
                <img src={p.url} alt={t("proposal.photo")} loading="lazy" />
              </a>
            ))}
          </div>
        ) : null}
        {live.state === "draft" ? (
          <DraftPanel proposalId={proposal.id} canEdit={data.can.editDraft} canPublish={data.can.publishDraft} hall={data.hall} />
        ) : live.state === "open" ? (
          <SecondsBar seconds={live.seconds} required={proposal.secondsRequired} />
        ) : (
          <p className="muted">{t("proposal.secondsCount", { seconds: live.seconds })}</p>
        )}
        <div className="actions">
          {data.can.second && live.state === "open" ? (
            <Form method="post">
              <SubmitButton intent="second" className="button button--primary">
                {t("proposal.second")}
              </SubmitButton>
            </Form>
          ) : data.secondedByMe ? (
            <span className="pill pill--ok">✓ {t("proposal.seconded")}</span>
          ) : null}
          {data.me !== null && live.state !== "draft" ? (
            <Form method="post">
              <SubmitButton intent={data.following ? "unfollow" : "follow"} className="button">
                {data.following ? t("proposal.unfollow") : t("proposal.follow")}
              </SubmitButton>
            </Form>
          ) : null}
          {data.can.withdraw ? (
            <Form method="post" onSubmit={(e) => !window.confirm(t("proposal.withdrawConfirm")) && e.preventDefault()}>
              <SubmitButton intent="withdraw" className="button button--quiet">
                {t("proposal.withdraw")}
              </SubmitButton>
            </Form>
          ) : null}
        </div>
      </section>

      {data.vote && data.vote.state !== "cancelled" ? (
        <p className={`notice notice--${data.vote.outcome === "passed" ? "success" : "info"}`}>
          <Link to={`/votes/${data.vote.id}`} className="button button--primary">
            {data.vote.state === "closed" ? t("vote.seeResult") : t("vote.goVote")}
          </Link>{" "}
          {data.vote.outcome ? t(`vote.outcome.${data.vote.outcome}`) : null}
        </p>
      ) : null}

      {data.whistle ? (
        <section className="card whistle-summary" aria-labelledby="whistle-title" data-testid="whistle-timeline">
          <h2 id="whistle-title">
            {t("whistle.onProposal")} <span className="pill pill--accent">{t(`whistle.state.${data.whistle.state}`)}</span>
          </h2>
          <ol className="timeline">
            {data.whistle.events.map((e) => (
              <li key={e.id}>
                <time dateTime={String(e.at)}>{date(e.at)}</time>
                <span>
                  {t(`whistle.event.${e.kind as "dispatched"}`)}
                  {e.departmentName ? ` · ${e.departmentName}` : ""}
                  {e.publicText ? `：${e.publicText}` : ""}
                </span>
              </li>
            ))}
          </ol>
          <Link to={`/whistles/${data.whistle.id}`} className="button">
            {t("whistle.open")}
          </Link>
        </section>
      ) : null}

      {data.can.moderate ? <ConvenerTools data={data} state={live.state} /> : null}

      {live.state === "draft" ? null : <Debate data={data} debate={debate} setDebate={setDebate} state={live.state} fresh={fresh} />}

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t("proposal.history")}</h2>
        <ol className="timeline">
          {data.events.map((e) => (
            <li key={e.id}>
              <time dateTime={String(e.at)}>{date(e.at)}</time>
              <span>
                {e.kind === "state" && e.toState
                  ? t("event.state", { state: t(`proposal.state.${e.toState}`) })
                  : t(`event.${e.kind as "minutes"}`)}
                {e.actorName ? ` · ${e.actorName}` : ` · ${t("event.system")}`}
                {e.reason && e.kind !== "state" ? `：${e.reason}` : e.reason && e.toState !== "on_agenda" ? `：${e.reason}` : ""}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function useCatchUp(onReconnect: () => void) {
  const latest = useRef(onReconnect);
  latest.current = onReconnect;
  useEffect(() => {
    const socket = getSocket();
    let dropped = false;
    const down = () => (dropped = true);
    const up = () => {
      if (dropped) latest.current();
      dropped = false;
    };
    socket.on("disconnect", down);
    socket.on("connect", up);
    return () => {
      socket.off("disconnect", down);
      socket.off("connect", up);
    };
  }, []);
}

const NEXT_OWNER: Partial<Record<ProposalState, "members" | "convener" | "voters" | "community">> = {
  open: "members",
  on_agenda: "convener",
  in_debate: "convener",
  voting: "voters",
  decided_passed: "community",
};

/** Where the proposal is in its lifecycle, the next step and who owns it. */
function StepBar({ state }: { state: ProposalState }) {
  const { t } = useI18n();
  const index = STEP_BAR.indexOf(
    state === "decided_failed" || state === "self_handled" || state === "escalated" ? "decided_passed" : state,
  );
  const owner = NEXT_OWNER[state];
  return (
    <div className="stepbar-wrap">
      <ol className="stepbar" aria-label={t("proposal.progress")}>
        {STEP_BAR.map((s, i) => (
          <li key={s} className={i < index ? "done" : i === index ? "current" : ""} aria-current={i === index ? "step" : undefined}>
            <span className="stepbar__dot" aria-hidden="true">
              {i < index ? "✓" : i + 1}
            </span>
            <span className="stepbar__label">{t(`proposal.step.${s}`)}</span>
          </li>
        ))}
      </ol>
      {owner ? <p className="muted">{t(`proposal.next.${owner}`)}</p> : null}
    </div>
  );
}

function ConvenerTools({ data, state }: { data: Data; state: ProposalState }) {
  const { t } = useI18n();
  const fetcher = useFetcher<typeof action>();
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data : undefined;
  const [reason, setReason] = useState("out_of_scope");
  return (
    <section className="card convener" aria-labelledby="convener-title">
      <h2 id="convener-title">{t("convener.title")}</h2>
      {error && error.field !== "message" ? <FormMessage errors={[error.error!]} /> : null}
      {state === "on_agenda" ? (
        <fetcher.Form method="post">
          <SubmitButton intent="open-debate" className="button button--primary">
            {t("convener.openDebate")}
          </SubmitButton>
        </fetcher.Form>
      ) : null}
      {state === "in_debate" ? (
        // A full page load: the link can appear (live) before the router has discovered the vote form's route.
        <Link to={`/votes/new?proposal=${data.proposal.id}`} className="button button--primary" reloadDocument>
          {t("vote.new")}
        </Link>
      ) : null}
      {state === "decided_passed" ? (
        <>
          <fetcher.Form method="post" className="form">
            <div className="field" data-invalid={error?.field === "message" ? "" : undefined}>
              <label htmlFor="escalate-message" className="field__label">
                {t("whistle.escalateMessage")}
              </label>
              <p id="escalate-message-hint" className="field__hint">
                {t("whistle.escalateMessageHint")}
              </p>
              <textarea id="escalate-message" name="message" className="field__input" maxLength={1000} aria-describedby="escalate-message-hint" aria-invalid={error?.field === "message" || undefined} />
              {error?.field === "message" ? <FieldErrors errors={[error.error!]} /> : null}
            </div>
            <div className="actions">
              <SubmitButton intent="escalate" className="button button--primary">
                {t("whistle.escalate")}
              </SubmitButton>
              <SubmitButton intent="escalate-stations" className="button">
                {t("whistle.escalateStations")}
              </SubmitButton>
            </div>
          </fetcher.Form>
          <fetcher.Form method="post" className="actions">
            <SubmitButton intent="self-handle" className="button">
              {t("whistle.selfHandle")}
            </SubmitButton>
          </fetcher.Form>
        </>
      ) : null}
      <details>
        <summary className="button">{t("convener.writeMinutes")}</summary>
        <fetcher.Form method="post" className="form">
          <input type="hidden" name="intent" value="minutes" />
          <label className="field">
            <span className="field__label">{t("minutes.agreed")}</span>
            <textarea name="agreed" className="field__input" required maxLength={2000} defaultValue={data.minutes?.agreed} />
          </label>
          <label className="field">
            <span className="field__label">{t("minutes.open")}</span>
            <textarea name="open" className="field__input" maxLength={2000} defaultValue={data.minutes?.open} />
          </label>
          <label className="field">
            <span className="field__label">{t("minutes.nextStep")}</span>
            <textarea name="nextStep" className="field__input" maxLength={1000} defaultValue={data.minutes?.nextStep} />
          </label>
          <button type="submit" className="button button--primary">
            {t("convener.saveMinutes")}
          </button>
        </fetcher.Form>
      </details>
      {["open", "on_agenda", "in_debate"].includes(state) ? (
        <details>
          <summary className="button">{t("convener.decline")}</summary>
          <fetcher.Form method="post" className="form">
            <input type="hidden" name="intent" value="decline" />
            <label className="field">
              <span className="field__label">{t("convener.declineReason")}</span>
              <select name="reason" className="field__input" value={reason} onChange={(e) => setReason(e.target.value)}>
                <option value="out_of_scope">{t("proposal.decline.out_of_scope")}</option>
                <option value="duplicate">{t("proposal.decline.duplicate")}</option>
                <option value="unlawful">{t("proposal.decline.unlawful")}</option>
              </select>
            </label>
            {reason === "duplicate" ? (
              <label className="field">
                <span className="field__label">{t("convener.mergeInto")}</span>
                <input name="mergeIntoId" inputMode="numeric" className="field__input" required />
                {error?.field === "mergeIntoId" ? <FieldErrors errors={[error.error!]} /> : null}
              </label>
            ) : null}
            <label className="field">
              <span className="field__label">{t("convener.publicText")}</span>
              <textarea name="text" className="field__input" required maxLength={500} />
            </label>
            <button type="submit" className="button">
              {t("convener.confirmDecline")}
            </button>
          </fetcher.Form>
        </details>
      ) : null}
    </section>
  );
}

const stanceOrder: Stance[] = ["support", "oppose", "neutral"];

type Totals = Record<Stance, number> & { all: number; threads: number };
type DebateState = { comments: CommentPayload[]; totals: Totals; nextAfter: number | null };

function debateState(d: Data["debate"]): DebateState {
  return { comments: d.comments, totals: d.totals, nextAfter: d.nextAfter };
}

const counted = (c: CommentPayload | undefined, s: Stance) => (c && !c.hidden && c.stance === s ? 1 : 0);

/** Fold a new or changed comment into the debate, keeping the totals right. */
function upsertComment(d: DebateState, c: CommentPayload): DebateState {
  const old = d.comments.find((x) => x.id === c.id);
  const totals = { ...d.totals };
  for (const s of stanceOrder) totals[s] += counted(c, s) - counted(old, s);
  if (!old) {
    totals.all++;
    if (c.parentId === null) totals.threads++;
  }
  return { ...d, totals, comments: old ? d.comments.map((x) => (x.id === c.id ? c : x)) : [...d.comments, c] };
}

function Debate({
  data,
  debate,
  setDebate,
  state,
  fresh,
}: {
  data: Data;
  debate: DebateState;
  setDebate: (update: (d: DebateState) => DebateState) => void;
  state: ProposalState;
  fresh: number | null;
}) {
  const { t, number } = useI18n();
  const [view, setView] = useState<"thread" | "columns">("thread");
  const { comments, totals } = debate;
  const all = totals.support + totals.oppose + totals.neutral;
  const children = useMemo(() => {
    const map = new Map<number | null, CommentPayload[]>();
    for (const c of comments) map.set(c.parentId, [...(map.get(c.parentId) ?? []), c]);
    for (const list of map.values()) list.sort((a, b) => a.id - b.id);
    return map;
  }, [comments]);
  const more = useFetcher<{ comments: CommentPayload[]; nextAfter: number | null }>();
  useEffect(() => {
    if (more.state !== "idle" || !more.data) return;
    const page = more.data;
    setDebate((d) => {
      const known = new Set(d.comments.map((c) => c.id));
      return { ...d, comments: [...d.comments, ...page.comments.filter((c) => !known.has(c.id))], nextAfter: page.nextAfter };
    });
  }, [more.state, more.data, setDebate]);
  const loadedThreads = children.get(null)?.length ?? 0;
  const posted = useCallback((c: CommentPayload) => setDebate((d) => upsertComment(d, c)), [setDebate]);

  return (
    <PostedContext.Provider value={posted}>
      <section className="debate" aria-labelledby="debate-title">
        <div className="page-head">
          <h2 id="debate-title">{t("debate.title", { count: totals.all })}</h2>
          <div className="segmented" role="group" aria-label={t("debate.view")}>
            <button type="button" aria-pressed={view === "thread"} onClick={() => setView("thread")}>
              {t("debate.thread")}
            </button>
            <button type="button" aria-pressed={view === "columns"} onClick={() => setView("columns")}>
              {t("debate.columns")}
            </button>
          </div>
        </div>
        <div className="stance-totals" data-testid="stance-totals">
          <div className="split-bar" aria-hidden="true">
            {stanceOrder.map((s) => (totals[s] ? <span key={s} className={`split-bar__${s}`} style={{ flexGrow: totals[s] }} /> : null))}
            {all === 0 ? <span className="split-bar__empty" /> : null}
          </div>
          <p>
            {stanceOrder.map((s) => (
              <span key={s} className={`stance-count stance-count--${s}`} data-stance={s}>
                {t(`stance.${s}`)} {number(totals[s])}
              </span>
            ))}
          </p>
        </div>

        {data.can.comment ? (
          <CommentForm data={data} />
        ) : data.me === null ? (
          <p className="notice notice--info">
            <Link to={`/login?redirectTo=/proposals/${data.proposal.id}`}>{t("debate.loginToSpeak")}</Link>
          </p>
        ) : !isDebateOpen(state) ? (
          <p className="notice notice--info">{t("debate.closed")}</p>
        ) : (
          <p className="notice notice--info">
            {t("debate.joinToSpeak")} <Link to={`/halls/${data.hall.id}`}>{data.hall.name}</Link>
          </p>
        )}

        {totals.all === 0 && comments.length === 0 ? (
          <p className="empty">{t("debate.empty")}</p>
        ) : view === "thread" ? (
          <ol className="comments">
            {(children.get(null) ?? []).map((c) => (
              <CommentItem key={c.id} comment={c} childrenOf={children} data={data} fresh={fresh} />
            ))}
          </ol>
        ) : (
          <div className="columns">
            {(["support", "oppose"] as const).map((s) => (
              <div key={s} className={`column column--${s}`}>
                <h3>
                  {t(`stance.${s}`)} ({totals[s]})
                </h3>
                <ol className="comments">
                  {comments
                    .filter((c) => c.stance === s && !c.hidden)
                    .map((c) => (
                      <CommentItem key={c.id} comment={c} data={data} fresh={fresh} flat />
                    ))}
                </ol>
              </div>
            ))}
          </div>
        )}
        {debate.nextAfter !== null ? (
          <p className="load-more">
            <button
              type="button"
              className="button"
              disabled={more.state !== "idle"}
              aria-busy={more.state !== "idle"}
              onClick={() => more.load(`/proposals/${data.proposal.id}/comments?after=${debate.nextAfter}`)}
            >
              {more.state !== "idle"
                ? t("common.loading")
                : t("debate.more", { count: Math.max(totals.threads - loadedThreads, 0) })}
            </button>
          </p>
        ) : null}
      </section>
    </PostedContext.Provider>
  );
}

function StancePicker({ name = "stance", defaultValue }: { name?: string; defaultValue?: Stance }) {
  const { t } = useI18n();
  return (
    <fieldset className="stance-picker">
      <legend className="field__label">{t("debate.yourStance")}</legend>
      {stanceOrder.map((s) => (
        <label key={s} className={`stance-option stance-option--${s}`}>
          <input type="radio" name={name} value={s} defaultChecked={defaultValue === s} required />
          <span>{t(`stance.${s}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** How a posted comment joins the debate at once (the socket may be slower, or down). */
const PostedContext = createContext<(comment: CommentPayload) => void>(() => {});

function CommentForm({ data, parentId, onDone }: { data: Data; parentId?: number; onDone?: () => void }) {
  const { t } = useI18n();
  const onPosted = useContext(PostedContext);
  const api = useApiSubmit<{ commentId: number; comment: CommentPayload }>();
  const [clientKey, setClientKey] = useState(data.clientKey + (parentId ? `-${parentId}` : ""));
  const busy = api.busy;
  const error = api.reply && !api.reply.ok ? api.reply : undefined;
  const bodyId = `comment-body-${parentId ?? "new"}`;
  // Scripts post to the JSON API (ADR 0013); without them the form posts to this route's action.
  async function send(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const sent = form.querySelector("textarea")?.value ?? null;
    const reply = await api.submit(`/api/proposals/${data.proposal.id}/comments`, form);
    if (!reply.ok) return;
    onPosted({ ...reply.comment, isNew: true });
    // Clear only what was sent: text typed while the post was on its way stays.
    const body = form.querySelector("textarea");
    if (body && body.value === sent) form.reset();
    setClientKey(crypto.randomUUID()); // the next comment is a new one
    onDone?.();
  }
  return (
    <form method="post" className="card form comment-form" aria-label={parentId ? t("debate.reply") : t("debate.speak")} onSubmit={send}>
      <input type="hidden" name="intent" value="comment" />
      <input type="hidden" name="clientKey" value={clientKey} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <StancePicker />
      {error?.field === "stance" ? <FieldErrors errors={[error.error!]} /> : null}
      <div className="field" data-invalid={error?.field === "body" ? "" : undefined}>
        <label htmlFor={bodyId} className="field__label">
          {parentId ? t("debate.reply") : t("debate.yourWords")}
        </label>
        <textarea
          id={bodyId}
          name="body"
          className="field__input"
          required
          maxLength={data.hall.commentMaxLength}
          aria-describedby={`${bodyId}-hint`}
        />
        <p id={`${bodyId}-hint`} className="field__hint">
          {t("debate.lengthHint", { max: data.hall.commentMaxLength })}
        </p>
        {error && error.field !== "stance" ? <FieldErrors errors={[error.error!]} /> : null}
      </div>
      {data.myOrganizations.length ? (
        <label className="field">
          <span className="field__label">{t("debate.speakAs")}</span>
          <select name="organizationId" className="field__input" defaultValue="">
            <option value="">{t("debate.asMyself")}</option>
            {data.myOrganizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
        {busy ? t("form.submitting") : parentId ? t("debate.sendReply") : t("debate.send")}
      </button>
    </form>
  );
}

function CommentItem({
  comment: c,
  childrenOf,
  data,
  fresh,
  flat,
}: {
  comment: CommentPayload;
  childrenOf?: Map<number | null, CommentPayload[]>;
  data: Data;
  fresh: number | null;
  flat?: boolean;
}) {
  const { t, date } = useI18n();
  const [mode, setMode] = useState<"none" | "reply" | "edit" | "report" | "moderate">("none");
  const fetcher = useFetcher<typeof action>();
  const mine = data.me === c.authorId;
  const editable = mine && !c.hidden && canStillEdit(new Date(c.createdAt), new Date()) && isDebateOpen(data.proposal.state);
  const replies = childrenOf?.get(c.id) ?? [];
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.error : undefined;
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) setMode("none");
  }, [fetcher.state, fetcher.data]);
  return (
    <li id={`comment-${c.id}`} className={`comment comment--${c.stance}${fresh === c.id ? " comment--fresh" : ""}`} data-testid="comment">
      {c.hidden ? (
        <div className="comment__stub" data-testid="hidden-stub">
          <strong>{c.authorName}</strong> ·{" "}
          {c.hidden.byReports ? t("debate.hiddenByReports") : t("debate.hiddenByConvener", { reason: c.hidden.reason })}
        </div>
      ) : (
        <>
          <div className="comment__head">
            <span className={`stance-tag stance-tag--${c.stance}`}>{t(`stance.${c.stance}`)}</span>
            <strong>{c.organizationName ?? c.authorName}</strong>
            {c.organizationName ? <span className="muted">（{c.authorName}）</span> : null}
            {c.partyBadge ? <span className="party-badge party-badge--small">{t("party.badge")}</span> : null}
            <StaffBadge account={c.staffAccount} />
            <time className="muted" dateTime={c.createdAt}>
              {date(c.createdAt)}
            </time>
            {c.editedAt ? <span className="muted">{t("debate.edited")}</span> : null}
          </div>
          <p className="comment__body pre-line">{c.body}</p>
        </>
      )}
      <div className="comment__actions">
        {!flat && data.can.comment && c.depth < MAX_REPLY_DEPTH && !c.hidden ? (
          <button type="button" className="link-button" onClick={() => setMode(mode === "reply" ? "none" : "reply")}>
            {t("debate.reply")}
          </button>
        ) : null}
        {editable ? (
          <button type="button" className="link-button" onClick={() => setMode(mode === "edit" ? "none" : "edit")}>
            {t("debate.edit")}
          </button>
        ) : null}
        {data.can.report && !mine && !c.hidden ? (
          <button type="button" className="link-button" onClick={() => setMode(mode === "report" ? "none" : "report")}>
            {t("debate.report")}
          </button>
        ) : null}
        {data.can.moderate ? (
          <button type="button" className="link-button" onClick={() => setMode(mode === "moderate" ? "none" : "moderate")}>
            {c.hidden ? t("debate.restore") : t("debate.hide")}
          </button>
        ) : null}
      </div>
      {error ? <FormMessage errors={[error]} /> : null}
      {mode === "reply" ? <CommentForm data={data} parentId={c.id} onDone={() => setMode("none")} /> : null}
      {mode === "edit" ? (
        <fetcher.Form method="post" className="form">
          <input type="hidden" name="intent" value="edit" />
          <input type="hidden" name="commentId" value={c.id} />
          <StancePicker defaultValue={c.stance} />
          <label className="field">
            <span className="field__label">{t("debate.edit")}</span>
            <textarea name="body" className="field__input" defaultValue={c.body ?? ""} required maxLength={data.hall.commentMaxLength} />
          </label>
          <button type="submit" className="button button--primary">
            {t("debate.saveEdit")}
          </button>
        </fetcher.Form>
      ) : null}
      {mode === "report" ? (
        <fetcher.Form method="post" className="form">
          <input type="hidden" name="intent" value="report" />
          <input type="hidden" name="commentId" value={c.id} />
          <label className="field">
            <span className="field__label">{t("debate.reportReason")}</span>
            <select name="reason" className="field__input">
              {(["spam", "offensive", "off_topic", "personal_data"] as const).map((r) => (
                <option key={r} value={r}>
                  {t(`report.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button">
            {t("debate.sendReport")}
          </button>
        </fetcher.Form>
      ) : null}
      {mode === "moderate" ? (
        <fetcher.Form method="post" className="form">
          <input type="hidden" name="intent" value={c.hidden ? "restore" : "hide"} />
          <input type="hidden" name="commentId" value={c.id} />
          <label className="field">
            <span className="field__label">{t("debate.moderationReason")}</span>
            <input name="reason" className="field__input" required maxLength={200} />
          </label>
          <button type="submit" className="button">
            {c.hidden ? t("debate.restore") : t("debate.hide")}
          </button>
        </fetcher.Form>
      ) : null}
      {replies.length ? (
        <ol className="comments comments--replies">
          {replies.map((r) => (
            <CommentItem key={r.id} comment={r} childrenOf={childrenOf} data={data} fresh={fresh} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}
