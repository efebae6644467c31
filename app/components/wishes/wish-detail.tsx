import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import { usePublicName, WishStatusPill, type WishView } from "./wish-card";

type Detail = WishView & { fulfilmentNote: string | null; staffNote: string | null; postedBy: string; claimedAt: string | null };

/** The public facts of a wish: whose (as 王阿姨), where, what, who claimed it and what they did. */
export function WishFacts({ wish, released }: { wish: Detail; released: { name: string; reason: string | null; at: string | null }[] }) {
  const { t, date, punct } = useI18n();
  const name = usePublicName();
  return (
    <div className="card">
      <p className="muted">{t("wish.whose", { person: name(wish) })}</p>
      <dl className="facts">
        <dt>{t("wish.place")}</dt>
        <dd>{wish.place}</dd>
        <dt>{t("wish.category")}</dt>
        <dd>{t(`pledge.category.${wish.category}`)}</dd>
        <dt>{t("wish.status")}</dt>
        <dd>
          <WishStatusPill status={wish.status} />
        </dd>
        <dt>{t("wish.postedAt")}</dt>
        <dd>{date(wish.createdAt, "date")}</dd>
        {wish.claimedBy ? (
          <>
            <dt>{t("wish.claimedBy")}</dt>
            <dd data-testid="wish-claimer">{wish.claimedBy}</dd>
          </>
        ) : null}
        {wish.claimedAt ? (
          <>
            <dt>{t("wish.claimedAt")}</dt>
            <dd>{date(wish.claimedAt, "date")}</dd>
          </>
        ) : null}
        {wish.fulfilmentNote && (wish.status === "fulfilled" || wish.status === "confirmed") ? (
          <>
            <dt>{t("wish.fulfilmentNote")}</dt>
            <dd className="pre-line">{wish.fulfilmentNote}</dd>
          </>
        ) : null}
        {wish.confirmedAt ? (
          <>
            <dt>{t("wish.confirmedAt")}</dt>
            <dd>{date(wish.confirmedAt, "date")}</dd>
          </>
        ) : null}
      </dl>
      {wish.staffNote ? (
        <p className="notice notice--warn">
          {t("wish.staffNote")}{punct.colon}{wish.staffNote}
        </p>
      ) : null}
      {released.length > 0 ? (
        <details>
          <summary>{t("wish.released")}</summary>
          <ul className="plain-list">
            {released.map((r, i) => (
              <li key={i}>
                {t("wish.releasedBy", { name: r.name, reason: r.reason ?? "" })} {r.at ? <span className="muted">{date(r.at, "date")}</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** Who the wish is for, and their consent: rendered only when the page query read it (staff over the community). */
export function PersonCard({ person }: { person: { fullName: string; address: string; phone: string; consentBy: string; consentAt: string; recordedBy: string } }) {
  const { t, date } = useI18n();
  return (
    <section className="card" aria-labelledby="person-title" data-testid="wish-person">
      <h2 id="person-title">{t("wish.person.title")}</h2>
      <dl className="facts">
        <dt>{t("wish.person.fullName")}</dt>
        <dd>{person.fullName}</dd>
        <dt>{t("wish.person.address")}</dt>
        <dd>{person.address}</dd>
        {person.phone ? (
          <>
            <dt>{t("wish.person.phone")}</dt>
            <dd>
              <a href={`tel:${person.phone.replace(/\s/g, "")}`}>{person.phone}</a>
            </dd>
          </>
        ) : null}
        <dt>{t("wish.person.consent")}</dt>
        <dd>{t("wish.person.consentBy", { by: person.consentBy, recordedBy: person.recordedBy, at: date(person.consentAt, "date") })}</dd>
      </dl>
    </section>
  );
}

/** For someone who cannot claim: how one may (log in, or report to a community as a Party member). */
export function HowToClaim({ signedIn, wishId }: { signedIn: boolean; wishId: number }) {
  const { t } = useI18n();
  return signedIn ? (
    <p className="notice notice--info">
      {t("wish.onlyMembers")} <Link to="/me">{t("nav.me")}</Link>
    </p>
  ) : (
    <Link to={`/login?redirectTo=/wishes/${wishId}`} className="button">
      {t("wish.loginToClaim")}
    </Link>
  );
}
