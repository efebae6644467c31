import { useI18n } from "~/i18n/react";

export interface OpeningRecordView {
  at: string | Date;
  bids: { bidId: number; name: string; price: number | null; status: string; reason: string | null }[];
}

/** The public record of the opening (开标): when, each bidder, its price and whether the bid is valid. For the project page too. */
export function OpeningRecord({ record }: { record: OpeningRecordView }) {
  const { t, date, number, punct } = useI18n();
  return (
    <section className="card" aria-labelledby="opening-record">
      <h2 id="opening-record">{t("opening.title")}</h2>
      <p className="muted">{t("opening.at", { time: date(record.at) })}</p>
      <ul className="bid-opening">
        {record.bids.map((b) => (
          <li key={b.bidId}>
            <strong>{b.name}</strong>
            {punct.colon}
            {b.price === null ? "—" : `¥${number(b.price)}`} · {t(`bids.status.${b.status as "valid"}`)}
            {b.reason ? punct.parens(t(`bids.reason.${b.reason as "schema"}`)) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
