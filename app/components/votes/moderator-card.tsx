import { Form } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import type { VotePageData, VoteReply } from "./page-data";
import { PaperBallot } from "./paper-ballot";

/** A moderator's part while the vote is open: paper ballots from the roll (community staff), and cancelling with a public reason. */
export function ModeratorCard({ data, reply, label }: { data: VotePageData; reply: VoteReply | undefined; label: (i: number) => string }) {
  const { t } = useI18n();
  const { vote } = data;
  return (
    <section className="card" aria-labelledby="paper-title">
      <h2 id="paper-title">{t("vote.paperTitle")}</h2>
      {data.canRecordPaper ? (
        <PaperBallot
          voteId={vote.id}
          electorate={vote.electorate}
          method={vote.method}
          optionCount={vote.options.length}
          label={label}
          matches={data.paperMatches}
          reply={reply}
        />
      ) : (
        <p className="muted">{t("vote.paperStaffOnly")}</p>
      )}
      <details>
        <summary className="button button--quiet">{t("vote.cancel")}</summary>
        <Form method="post" className="form">
          <input type="hidden" name="intent" value="cancel" />
          <label className="field">
            <span className="field__label">{t("convener.publicText")}</span>
            <textarea name="reason" className="field__input" required />
          </label>
          <button type="submit" className="button">
            {t("vote.confirmCancel")}
          </button>
        </Form>
      </details>
    </section>
  );
}
