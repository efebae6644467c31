import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormMessage, SubmitButton } from "~/components/form-parts";
import { HallIcon } from "~/components/icons";
import { StatePill } from "~/components/proposal-state";
import { SecondsBar } from "~/components/seconds-bar";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { firstError } from "~/lib/intents";
import { performIntent } from "~/lib/intents.server";
import { hallIntents } from "~/modules/halls/intents.server";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { useRoomReload } from "~/realtime/hooks";
import { withRooms } from "#realtime/room-log.server";
import { pageTitle } from "~/lib/meta";
import { readForm } from "~/lib/input.server";
import { DraftList } from "~/components/proposals/draft-panel";
import { HallVotes } from "~/components/votes/hall-votes";
import { hallPage } from "~/modules/proposals/queries.server";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.hall.name }) : pageTitle(args));

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  return withRooms([`hall:${id}`], async () => hallPage(await getActor(context), id, new URL(request.url).searchParams)).catch(toHttpError);
}

/** Joining, leaving, deciding an application: `modules/halls/intents.server.ts`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const hallId = idParam(params.id);
  return performIntent(await readForm(request), hallIntents, { actor: await getActor(context), hallId });
}

export default function HallPage() {
  const { t, locale, date, punct } = useI18n();
  const data = useLoaderData<typeof loader>();
  const { hall } = data;
  const refused = firstError(useActionData<typeof action>());
  const [params, setParams] = useSearchParams();
  useRoomReload(data.live);
  const rule = hall.secondingRule.kind === "count" ? t("hall.ruleCount", { n: hall.secondingRule.n, days: hall.secondingDays }) : t("hall.rulePercent", { p: hall.secondingRule.p, days: hall.secondingDays });
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { preventScrollReset: true, replace: true });
  };

  return (
    <div className="page hall-page">
      {refused ? <FormMessage errors={[refused.message]} /> : null}
      <header className="card hall-head">
        <p className="muted">
          <Link to={`/units/${hall.unitId}`}>{hall.unitName}</Link>
        </p>
        <h1>
          <HallIcon size={28} /> {hall.name}
        </h1>
        {hall.description ? <p>{hall.description}</p> : null}
        <p className="muted">
          {rule} · {t(`hall.policy.${hall.policy}`)}
          {data.conveners.length ? ` · ${t("hall.conveners")}${punct.colon}${punct.join(data.conveners.map((c) => c.displayName))}` : ""}
        </p>
        <div className="actions">
          {data.canPropose ? (
            <Link to={`/proposals/new?hall=${hall.id}`} className="button button--primary">
              {t("hall.raise")}
            </Link>
          ) : null}
          {data.membership === "active" ? (
            <Form method="post">
              <SubmitButton intent="leave" className="button button--quiet">
                {t("hall.leave")}
              </SubmitButton>
            </Form>
          ) : data.membership === "pending" ? (
            <span className="pill pill--warn">{t("hall.applicationPending")}</span>
          ) : data.canJoin ? (
            <Form method="post">
              <SubmitButton intent="join" className="button button--primary">
                {hall.policy === "open" ? t("hall.join") : t("hall.apply")}
              </SubmitButton>
            </Form>
          ) : data.signedIn && !data.eligible ? (
            <p className="notice notice--info">
              {t("hall.notEligible", { unit: hall.unitName })} <Link to="/me">{t("hall.verifyFirst")}</Link>
            </p>
          ) : !data.signedIn ? (
            <Link to={`/login?redirectTo=/halls/${hall.id}`} className="button">
              {t("hall.loginToJoin")}
            </Link>
          ) : null}
          <Link to={`/halls/${hall.id}/meetings`} className="button button--quiet">
            {t("meeting.hallMeetings")}
          </Link>
        </div>
        {hall.rules ? (
          <details className="rules">
            <summary>{t("hall.rules")}</summary>
            <p className="pre-line">{hall.rules}</p>
            {/* What the site enforces, from the hall's settings: the text above is the hall's own words. */}
            <p className="muted" data-testid="enforced-rules">
              {t("hall.enforced", { max: hall.commentMaxLength })}
              {hall.commentsPerPerson !== null ? t("hall.enforcedPerPerson", { n: hall.commentsPerPerson }) : null}
            </p>
          </details>
        ) : null}
      </header>

      {data.draftDeleted ? (
        <p className="notice notice--success" role="status">
          {t("draft.deleted")}
        </p>
      ) : null}
      {data.drafts.length > 0 ? <DraftList drafts={data.drafts} /> : null}

      {data.applications.length > 0 ? (
        <section className="card" aria-labelledby="applications-title">
          <h2 id="applications-title">{t("hall.applications")}</h2>
          <ul className="list">
            {data.applications.map((a) => (
              <li key={a.id} className="list-item list-item--row">
                <span className="list-item__title">{a.displayName}</span>
                <span className="muted">{date(a.joinedAt, "date")}</span>
                <Form method="post" className="actions">
                  <input type="hidden" name="memberId" value={a.id} />
                  <SubmitButton intent="approve" className="button button--small button--primary">
                    {t("hall.approve")}
                  </SubmitButton>
                  <input type="text" name="reason" aria-label={t("desk.reason")} placeholder={t("desk.reason")} className="field__input field__input--inline" />
                  <SubmitButton intent="refuse" className="button button--small">
                    {t("desk.reject")}
                  </SubmitButton>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="proposals-title">
        <div className="page-head">
          <h2 id="proposals-title">{t("hall.proposals")}</h2>
        </div>
        <div className="filters" role="group" aria-label={t("hall.filters")}>
          <label className="filter">
            <span>{t("hall.filterState")}</span>
            <select value={data.filters.group} onChange={(e) => setFilter("state", e.target.value)} className="field__input">
              <option value="active">{t("hall.group.active")}</option>
              <option value="decided">{t("hall.group.decided")}</option>
              <option value="ended">{t("hall.group.ended")}</option>
            </select>
          </label>
          <label className="filter">
            <span>{t("hall.filterCategory")}</span>
            <select value={data.filters.category} onChange={(e) => setFilter("category", e.target.value)} className="field__input">
              <option value="">{t("hall.allCategories")}</option>
              {data.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {locale === "en" ? c.en : c.zh}
                </option>
              ))}
            </select>
          </label>
          <label className="filter">
            <span>{t("hall.sort")}</span>
            <select value={data.filters.sort} onChange={(e) => setFilter("sort", e.target.value)} className="field__input">
              <option value="newest">{t("hall.sort.newest")}</option>
              <option value="seconded">{t("hall.sort.seconded")}</option>
              <option value="active">{t("hall.sort.active")}</option>
            </select>
          </label>
        </div>
        {data.proposals.length === 0 ? (
          <div className="empty">
            <HallIcon size={40} />
            <p>{t("hall.empty")}</p>
          </div>
        ) : (
          <ul className="list" data-testid="proposal-list">
            {data.proposals.map((p) => (
              <li key={p.id} className="list-item proposal-row">
                <Link to={`/proposals/${p.id}`} className="proposal-row__title">
                  {p.title}
                </Link>
                <div className="proposal-row__meta">
                  <StatePill state={p.state} />
                  <span className="pill pill--info">{locale === "en" ? p.categoryEn : p.categoryZh}</span>
                  <span className="muted">
                    {p.authorName} · {date(p.createdAt, "date")}
                  </span>
                </div>
                {p.state === "open" ? (
                  <SecondsBar seconds={p.seconds} required={p.secondsRequired} />
                ) : (
                  <p className="muted">{t("proposal.secondsAndComments", { seconds: p.seconds, comments: p.comments })}</p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      {data.votes.length > 0 ? <HallVotes votes={data.votes} /> : null}
    </div>
  );
}
