import { Form } from "@remix-run/react";
import { FormMessage, SubmitButton } from "~/components/form-parts";
import { firstError, type IntentReply } from "~/lib/intents";
import { SecondsBar } from "~/components/seconds-bar";
import { useI18n } from "~/i18n/react";
import type { LiveHead } from "~/modules/proposals/live";
import { DraftPanel } from "./draft-panel";
import type { ProposalPageData } from "./page-data";

const BUTTON_INTENTS = ["second", "unsecond", "follow", "unfollow", "withdraw", "publish-draft", "delete-draft"];

/** The proposal's text and photos, its seconds (or the draft's tools), and what the viewer may do: second (or take it back), follow, withdraw. */
export function ProposalBody({ data, live, result }: { data: ProposalPageData; live: LiveHead; result?: IntentReply }) {
  const { t } = useI18n();
  // A refusal of one of these buttons (seconded already, the state moved on) is said beside them.
  const error = result && BUTTON_INTENTS.includes(result.intent) ? firstError(result) : undefined;
  const { proposal } = data;
  return (
    <section className="card">
      <p className="pre-line proposal-body">{proposal.body}</p>
      {data.photos.length ? (
        <div className="photos">
          {data.photos.map((p) => (
            <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
              <img src={p.url} alt={t("proposal.photo")} loading="lazy" />
            </a>
          ))}
        </div>
      ) : null}
      {live.state === "draft" ? (
        <DraftPanel proposalId={proposal.id} canEdit={data.can.editDraft} canPublish={data.can.publishDraft} hall={data.hall} />
      ) : live.state === "open" ? (
        <SecondsBar seconds={live.seconds} required={proposal.secondsRequired} />
      ) : (
        <p className="muted">{t("proposal.secondsCount", { seconds: live.seconds })}</p>
      )}
      {error ? <FormMessage errors={[error.message]} /> : null}
      <div className="actions">
        {data.can.second && live.state === "open" ? (
          <Form method="post">
            <SubmitButton intent="second" className="button button--primary">
              {t("proposal.second")}
            </SubmitButton>
          </Form>
        ) : data.secondedByMe ? (
          <span className="pill pill--ok">✓ {t("proposal.seconded")}</span>
        ) : null}
        {data.can.unsecond && live.state === "open" ? (
          // While it still collects seconds, a second may be taken back (rules.ts, mayWithdrawSecond).
          <Form method="post">
            <SubmitButton intent="unsecond" className="button button--quiet">
              {t("proposal.unsecond")}
            </SubmitButton>
          </Form>
        ) : null}
        {data.me !== null && live.state !== "draft" ? (
          <Form method="post">
            <SubmitButton intent={data.following ? "unfollow" : "follow"} className="button">
              {data.following ? t("proposal.unfollow") : t("proposal.follow")}
            </SubmitButton>
          </Form>
        ) : null}
        {data.can.withdraw ? (
          <Form method="post" onSubmit={(e) => !window.confirm(t("proposal.withdrawConfirm")) && e.preventDefault()}>
            <SubmitButton intent="withdraw" className="button button--quiet">
              {t("proposal.withdraw")}
            </SubmitButton>
          </Form>
        ) : null}
      </div>
    </section>
  );
}
