import { useI18n } from "~/i18n/react";

/** The receipt shown after each submission, revision or withdrawal: the hash the bidder keeps. */
export function BidReceipt({ kind, revision, receipt }: { kind: "submit" | "revise" | "withdraw"; revision: number; receipt: string }) {
  const { t } = useI18n();
  return (
    <section className="card notice notice--success" role="status" aria-labelledby="bid-receipt-title">
      <h2 id="bid-receipt-title">{t("bids.receipt.title")}</h2>
      <p>{kind === "withdraw" ? t("bids.receipt.withdrawn") : t("bids.receipt.done", { revision })}</p>
      <p>
        <code className="receipt-hash">{receipt}</code>
      </p>
    </section>
  );
}
