import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { FormMessage } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/roll";
import "~/i18n/scoped/structure";
import { requireUser } from "~/lib/auth.server";
import { CommandError } from "~/lib/command.server";
import { toHttpError } from "~/lib/route.server";
import { COMMUNITY_STAFF, holdsKind } from "~/modules/identity/actor";
import { getActor } from "~/modules/identity/actor.server";
import { decideOrganization } from "~/modules/identity/organizations.server";
import { getDesk } from "~/modules/identity/queries.server";
import { decidePartyReport, decideResidencyClaim } from "~/modules/identity/residency.server";
import { decisionSchema } from "~/modules/identity/structure-schemas";
import { rollMatchesForClaims } from "~/modules/roll/queries.server";
import { useRoomReload } from "~/realtime/hooks";
import { pageTitle } from "~/lib/meta";
import { readForm } from "~/lib/input.server";
import { withRooms } from "#realtime/room-log.server";

export const meta: MetaFunction = (args) => pageTitle(args, "desk.title");

/** The staff desk: residency claims, Party member reports and organisations waiting for this person. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  if (!holdsKind(actor, COMMUNITY_STAFF)) throw new Response("Forbidden", { status: 403 });
  const rooms = actor.positions.filter((p) => COMMUNITY_STAFF.includes(p.kind) && p.unitId).map((p) => `unit:${p.unitId}`);
  return withRooms(rooms, async () => {
    const desk = await getDesk(db(), actor);
    // Someone already on the roll (居民名册) who has now registered: verifying can link them (ADR 0020).
    return { ...desk, rollMatches: await rollMatchesForClaims(db(), desk.claims) };
  });
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const formData = await readForm(request);
  const kind = String(formData.get("kind"));
  const parsed = decisionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Bad Request", { status: 400 });
  const { id, decision, reason, residentId } = parsed.data;
  try {
    if (kind === "claim") await decideResidencyClaim(actor, { claimId: id, decision: decision === "approve" ? "verify" : "reject", reason, residentId });
    else if (kind === "party") await decidePartyReport(actor, { reportId: id, decision: decision === "approve" ? "confirm" : "reject", reason });
    else if (kind === "organization") await decideOrganization(actor, { organizationId: id, decision: decision === "approve" ? "confirm" : "reject", reason });
    else throw new Response("Bad Request", { status: 400 });
    return { ok: true as const, kind, id };
  } catch (error) {
    if (error instanceof CommandError) return { ok: false as const, kind, id, error: error.messageKey };
    if (error instanceof Response) throw error;
    return toHttpError(error);
  }
}

export default function DeskPage() {
  const { t, date, punct } = useI18n();
  const { claims, reports, organizations, rollMatches, live } = useLoaderData<typeof loader>();
  useRoomReload(live, (_room, event) => event.event === "desk:changed");
  const total = claims.length + reports.length + organizations.length;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("desk.title")}</h1>
        <span className="pill pill--accent" aria-live="polite">
          {t("desk.waiting", { count: total })}
        </span>
      </div>
      <p className="card">
        <Link to="/desk/roll" className="button">
          {t("roll.deskLink")}
        </Link>{" "}
        <span className="muted">{t("roll.deskLinkText")}</span>
      </p>
      {total === 0 ? <p className="empty">{t("desk.empty")}</p> : null}

      {claims.length > 0 ? (
        <section aria-labelledby="claims-title" className="section">
          <h2 id="claims-title">{t("desk.claims")}</h2>
          <ul className="list">
            {claims.map((c) => (
              <li key={c.id} className="list-item" data-testid={`claim-${c.id}`}>
                <p className="list-item__title">{c.displayName}</p>
                <p>
                  {c.communityName} · {c.address}
                </p>
                <p className="muted">{t("desk.submittedAt", { time: date(c.createdAt) })}</p>
                {rollMatches[c.id]?.length ? (
                  <div className="decision">
                    <p className="field__label">{t("desk.rollMatches")}</p>
                    {rollMatches[c.id]!.map((m) => (
                      <Form method="post" key={m.id}>
                        <input type="hidden" name="kind" value="claim" />
                        <input type="hidden" name="id" value={c.id} />
                        <input type="hidden" name="residentId" value={m.id} />
                        <button type="submit" name="decision" value="approve" className="button button--primary">
                          {t("desk.verifyAs", { name: m.birthYear ? `${m.name}${punct.comma}${t("roll.born", { year: String(m.birthYear) })}` : m.name, address: m.address })}
                        </button>
                      </Form>
                    ))}
                  </div>
                ) : null}
                <Decision kind="claim" id={c.id} approve={rollMatches[c.id]?.length ? t("desk.verifyNew") : t("desk.verify")} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {reports.length > 0 ? (
        <section aria-labelledby="reports-title" className="section">
          <h2 id="reports-title">{t("desk.partyReports")}</h2>
          <ul className="list">
            {reports.map((r) => (
              <li key={r.id} className="list-item">
                <p className="list-item__title">{r.displayName}</p>
                <p>
                  {r.communityName} · {r.workUnit} · {r.partyOrgName}
                </p>
                <Decision kind="party" id={r.id} approve={t("desk.confirm")} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {organizations.length > 0 ? (
        <section aria-labelledby="orgs-title" className="section">
          <h2 id="orgs-title">{t("desk.organizations")}</h2>
          <ul className="list">
            {organizations.map((o) => (
              <li key={o.id} className="list-item">
                <Link to={`/orgs/${o.id}`} className="list-item__title">
                  {o.name}
                </Link>
                <p>
                  {t(`organization.kind.${o.kind}`)} · {o.unitName}
                  {o.registrationNumber ? ` · ${o.registrationNumber}` : ""}
                </p>
                {o.serviceScope ? <p className="muted">{o.serviceScope}</p> : null}
                <Decision kind="organization" id={o.id} approve={o.kind === "social_org" ? t("desk.verifyOrg") : t("desk.confirm")} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** Approve in one tap; rejecting asks for the reason the person will read. */
function Decision({ kind, id, approve }: { kind: string; id: number; approve: string }) {
  const { t } = useI18n();
  const result = useActionData<typeof action>();
  const mine = result && !result.ok && result.kind === kind && result.id === id ? result : undefined;
  return (
    <div className="decision">
      <Form method="post">
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="id" value={id} />
        <button type="submit" name="decision" value="approve" className="button button--primary">
          {approve}
        </button>
      </Form>
      <details className="decision__reject">
        <summary className="button">{t("desk.reject")}</summary>
        <Form method="post" className="form">
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="id" value={id} />
          <div className="field">
            <label htmlFor={`reason-${kind}-${id}`} className="field__label">
              {t("desk.reason")}
            </label>
            <textarea id={`reason-${kind}-${id}`} name="reason" className="field__input" maxLength={200} required />
          </div>
          <button type="submit" name="decision" value="reject" className="button">
            {t("desk.confirmReject")}
          </button>
        </Form>
      </details>
      {mine ? <FormMessage errors={[mine.error]} /> : null}
    </div>
  );
}
