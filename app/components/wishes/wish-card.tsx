import { Link } from "@remix-run/react";
import type { PledgeCategory } from "#db/schema/pledges";
import type { WishHonorific, WishStatus } from "#db/schema/wishes";
import { useI18n } from "~/i18n/react";

/** What the public sees of a wish: the person only as surname and form of address. */
export interface WishView {
  id: number;
  category: PledgeCategory;
  text: string;
  surname: string;
  honorific: WishHonorific;
  status: WishStatus;
  createdAt: string;
  fulfilledAt: string | null;
  confirmedAt: string | null;
  place: string;
  claimedBy: string | null;
}

/** "王阿姨" / "Auntie 王". */
export function usePublicName() {
  const { t } = useI18n();
  return (w: Pick<WishView, "surname" | "honorific">) => t(`wish.person.${w.honorific}`, { surname: w.surname });
}

const tone: Record<WishStatus, string> = { posted: "info", claimed: "accent", fulfilled: "warn", confirmed: "ok", withdrawn: "bad" };

export function WishStatusPill({ status }: { status: WishStatus }) {
  const { t } = useI18n();
  return <span className={`pill pill--${tone[status]}`}>{t(`wish.status.${status}`)}</span>;
}

/** One wish on the wall. */
export function WishCard({ wish }: { wish: WishView }) {
  const { t, date, punct } = useI18n();
  const name = usePublicName();
  return (
    <li className="list-item" data-testid="wish">
      <p className="list-item__title">
        <Link to={`/wishes/${wish.id}`}>{wish.text}</Link>
      </p>
      <p className="list-item__text">
        <strong>{name(wish)}</strong> · {wish.place} · {t(`pledge.category.${wish.category}`)} <WishStatusPill status={wish.status} />
      </p>
      <p className="muted">
        {wish.claimedBy ? `${t("wish.claimedBy")}${punct.colon}${wish.claimedBy} · ` : ""}
        {date(wish.confirmedAt ?? wish.createdAt, "date")}
      </p>
    </li>
  );
}
