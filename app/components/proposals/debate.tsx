import type { ProposalState, Stance } from "#db/schema/halls";
import type { CommentPayload } from "#realtime/events";
import { Link, useFetcher } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { FieldErrors, FormMessage } from "~/components/form-parts";
import { StaffBadge } from "~/components/staff-badge";
import { useI18n } from "~/i18n/react";
import { useApiSubmit } from "~/lib/api-submit";
import { firstError, type IntentReply } from "~/lib/intents";
import { appendPage, STANCES, upsertComment, type DebateState } from "~/modules/proposals/live";
import { canStillEdit, isDebateOpen, MAX_REPLY_DEPTH } from "~/modules/proposals/rules";
import type { ProposalPageData } from "./page-data";

/** The debate: stance totals, the speaking form, threads or columns, and more threads on demand. */
export function Debate({
  data,
  debate,
  setDebate,
  state,
  fresh,
}: {
  data: ProposalPageData;
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
    setDebate((d) => appendPage(d, page));
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
            {STANCES.map((s) => (totals[s] ? <span key={s} className={`split-bar__${s}`} style={{ flexGrow: totals[s] }} /> : null))}
            {all === 0 ? <span className="split-bar__empty" /> : null}
          </div>
          <p>
            {STANCES.map((s) => (
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
              {more.state !== "idle" ? t("common.loading") : t("debate.more", { count: Math.max(totals.threads - loadedThreads, 0) })}
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
      {STANCES.map((s) => (
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

function CommentForm({ data, parentId, onDone }: { data: ProposalPageData; parentId?: number; onDone?: () => void }) {
  const { t } = useI18n();
  const onPosted = useContext(PostedContext);
  const api = useApiSubmit<{ commentId: number; comment: CommentPayload }>();
  const [clientKey, setClientKey] = useState(data.clientKey + (parentId ? `-${parentId}` : ""));
  // A member's page may come from the page cache (ADR 0044), so two tabs can hold the same rendered key: once
  // running, each form takes a key of its own, or a second tab's comment would count as a retry of the first's.
  useEffect(() => setClientKey(crypto.randomUUID()), []);
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
  data: ProposalPageData;
  fresh: number | null;
  flat?: boolean;
}) {
  const { t, date, punct } = useI18n();
  const [mode, setMode] = useState<"none" | "reply" | "edit" | "report" | "moderate">("none");
  const fetcher = useFetcher<IntentReply>();
  const mine = data.me === c.authorId;
  const editable = mine && !c.hidden && canStillEdit(new Date(c.createdAt), new Date()) && isDebateOpen(data.proposal.state);
  const replies = childrenOf?.get(c.id) ?? [];
  const error = firstError(fetcher.data)?.message;
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
            {c.organizationName ? <span className="muted">{punct.parens(c.authorName)}</span> : null}
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
