import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import { usePublicName, WishStatusPill, type WishView } from "./wish-card";

/** On /me: the wishes one has claimed and not yet seen confirmed, and the way to the wall. */
export function MyWishes({ wishes }: { wishes: WishView[] }) {
  const { t } = useI18n();
  const name = usePublicName();
  return (
    <section className="card" aria-labelledby="wishes-title">
      <div className="page-head">
        <h2 id="wishes-title">{t("wish.mine")}</h2>
        <Link to="/wishes" className="button button--small">
          {t("wish.wall.link")}
        </Link>
      </div>
      {wishes.length > 0 ? (
        <ul className="list">
          {wishes.map((w) => (
            <li key={w.id} className="list-item list-item--row">
              <Link to={`/wishes/${w.id}`} className="list-item__title">
                {w.text}
              </Link>
              <span className="muted">{name(w)}</span>
              <WishStatusPill status={w.status} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
