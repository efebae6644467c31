import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/wishes";
import "~/i18n/scoped/structure";
import { requireUser } from "~/lib/auth.server";
import { performIntent } from "~/lib/intents.server";
import { workLinks } from "~/modules/identity/actor";
import { profileIntents } from "~/modules/identity/intents.server";
import { getActor } from "~/modules/identity/actor.server";
import { getMyProfile } from "~/modules/identity/queries.server";
import { listCommunities } from "~/modules/units/queries.server";
import { pageTitle } from "~/lib/meta";
import { readForm } from "~/lib/input.server";
import { DraftList } from "~/components/proposals/draft-panel";
import { ClaimForm, PartyBadge, PartyReportForm } from "~/components/identity/profile-forms";
import { listMyDrafts } from "~/modules/proposals/queries.server";
import { MyWishes } from "~/components/wishes/my-wishes";
import { myClaimedWishes } from "~/modules/wishes/queries.server";

export const meta: MetaFunction = (args) => pageTitle(args, "nav.me");

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const [profile, communities, drafts, wishes] = await Promise.all([
    getMyProfile(db(), user.id),
    listCommunities(db()),
    listMyDrafts(db(), user.id),
    getActor(context).then(myClaimedWishes),
  ]);
  return { user: { id: user.id, displayName: user.displayName }, ...profile, links: workLinks(profile.positions.map((p) => p.kind)), communities, drafts, wishes };
}

/** Residency claims, the Party report, the badge, invitations: `modules/identity/intents.server.ts`. */
export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), profileIntents, { actor: await getActor(context) });
}

const statusTone = { pending: "warn", verified: "ok", confirmed: "ok", rejected: "bad", withdrawn: "info" } as const;

export default function MePage() {
  const { t, date, punct } = useI18n();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const openClaim = data.claims.find((c) => c.claim.status === "pending" || c.claim.status === "verified");
  const lastClaim = data.claims[0];
  const openReport = data.reports.find((r) => r.report.status === "pending" || r.report.status === "confirmed");
  const lastReport = data.reports[0];
  const { desk: isStaff, inbox: isOfficer, supervision: isSubdistrict, admin: isAdmin } = data.links;

  return (
    <div className="page narrow">
      <header className="profile card">
        <h1>
          {data.user.displayName}
          {openReport?.report.status === "confirmed" && openReport.report.showBadge ? <PartyBadge /> : null}
        </h1>
        <div className="actions">
          {isStaff ? (
            <Link to="/desk" className="button button--primary">
              {t("desk.title")}
            </Link>
          ) : null}
          {isStaff ? (
            <Link to="/whistles/new" className="button">
              {t("whistle.new")}
            </Link>
          ) : null}
          {isOfficer ? (
            <Link to="/inbox" className="button button--primary">
              {t("nav.inbox")}
            </Link>
          ) : null}
          {isSubdistrict ? (
            <Link to="/supervision" className="button">
              {t("nav.supervision")}
            </Link>
          ) : null}
          {isAdmin ? (
            <Link to="/admin" className="button">
              {t("admin.title")}
            </Link>
          ) : null}
          <Link to="/settings" className="button">
            {t("nav.settings")}
          </Link>
        </div>
      </header>

      {data.drafts.length > 0 ? <DraftList drafts={data.drafts} showHall /> : null}

      <section className="card" aria-labelledby="residency-title">
        <h2 id="residency-title">{t("residency.title")}</h2>
        {lastClaim ? (
          <div className="status-line" data-testid="residency-status">
            <span className={`pill pill--${statusTone[lastClaim.claim.status]}`}>{t(`residency.status.${lastClaim.claim.status}`)}</span>
            <span>
              {lastClaim.communityName} · {lastClaim.claim.address}
            </span>
            {lastClaim.claim.status === "rejected" && lastClaim.claim.reason ? (
              <p className="muted">
                {t("residency.reason")}{punct.colon}{lastClaim.claim.reason}
              </p>
            ) : null}
            {lastClaim.claim.status === "pending" ? (
              <Form method="post">
                <input type="hidden" name="claimId" value={lastClaim.claim.id} />
                <SubmitButton intent="withdraw-claim" className="button button--small button--quiet">
                  {t("residency.withdraw")}
                </SubmitButton>
              </Form>
            ) : null}
          </div>
        ) : (
          <p className="muted">{t("residency.explain")}</p>
        )}
        {!openClaim ? <ClaimForm communities={data.communities} lastResult={actionData?.intent === "claim" ? actionData.reply : undefined} /> : null}
      </section>

      <section className="card" aria-labelledby="party-title">
        <h2 id="party-title">{t("party.title")}</h2>
        <p className="muted">{t("party.explain")}</p>
        {lastReport ? (
          <div className="status-line" data-testid="party-status">
            <span className={`pill pill--${statusTone[lastReport.report.status]}`}>{t(`party.status.${lastReport.report.status}`)}</span>
            <span>
              {lastReport.communityName} · {lastReport.report.workUnit}
            </span>
            {lastReport.report.status === "rejected" && lastReport.report.reason ? (
              <p className="muted">
                {t("residency.reason")}{punct.colon}{lastReport.report.reason}
              </p>
            ) : null}
          </div>
        ) : null}
        {openReport ? (
          <Form method="post" className="inline-actions">
            <input type="hidden" name="showBadge" value={openReport.report.showBadge ? "false" : "true"} />
            <SubmitButton intent="badge" className="button button--small">
              {openReport.report.showBadge ? t("party.hideBadge") : t("party.showBadge")}
            </SubmitButton>
          </Form>
        ) : (
          <PartyReportForm communities={data.communities} lastResult={actionData?.intent === "party" ? actionData.reply : undefined} />
        )}
      </section>

      {data.wishes.length > 0 || openReport?.report.status === "confirmed" || isStaff ? <MyWishes wishes={data.wishes} /> : null}

      {data.invitations.length > 0 ? (
        <section className="card" aria-labelledby="invitations-title">
          <h2 id="invitations-title">{t("organization.invitations")}</h2>
          <ul className="list">
            {data.invitations.map((i) => (
              <li key={i.id} className="list-item">
                <p>{t("organization.invitedTo", { organization: i.organizationName, role: t(`organization.role.${i.role}`) })}</p>
                <Form method="post" className="actions">
                  <input type="hidden" name="invitationId" value={i.id} />
                  <button type="submit" name="intent" value="invitation" className="button button--primary button--small" onClick={(e) => e.currentTarget.form?.querySelector<HTMLInputElement>("[name=accept]")?.setAttribute("value", "true")}>
                    {t("organization.accept")}
                  </button>
                  <input type="hidden" name="accept" value="false" />
                  <button type="submit" name="intent" value="invitation" className="button button--small">
                    {t("organization.decline")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="orgs-title">
        <div className="page-head">
          <h2 id="orgs-title">{t("organization.mine")}</h2>
          <Link to="/orgs/new" className="button button--small">
            {t("organization.create")}
          </Link>
        </div>
        {data.organizations.length === 0 ? (
          <p className="muted">{t("organization.noneMine")}</p>
        ) : (
          <ul className="list">
            {data.organizations.map((o) => (
              <li key={o.id} className="list-item list-item--row">
                <Link to={`/orgs/${o.id}`} className="list-item__title">
                  {o.name}
                </Link>
                <span className={`pill pill--${statusTone[o.status]}`}>{t(`organization.status.${o.status}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {data.positions.length > 0 ? (
        <section className="card" aria-labelledby="positions-title">
          <h2 id="positions-title">{t("position.mine")}</h2>
          <ul className="plain-list">
            {data.positions.map((p) => (
              <li key={p.id}>
                <strong>{t(`position.kind.${p.kind}`)}</strong> · {p.unitName ?? p.departmentName ?? p.alleyName}{" "}
                <span className="muted">({date(p.grantedAt, "date")})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
