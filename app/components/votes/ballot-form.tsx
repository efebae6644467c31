import { FieldErrors } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import type { VotePageData, VoteReply } from "./page-data";

/** The ballot: one choice, or up to k for approval; a secret one is encrypted in the browser before it is sent. */
export function BallotForm({
  data,
  reply,
  busy,
  label,
  onCast,
}: {
  data: VotePageData;
  reply: VoteReply | undefined;
  busy: boolean;
  label: (i: number) => string;
  onCast: (form: HTMLFormElement) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const { vote } = data;
  return (
    <form
      method="post"
      className="card form ballot"
      aria-labelledby="ballot-title"
      onSubmit={(event) => {
        event.preventDefault();
        void onCast(event.currentTarget);
      }}
    >
      <h2 id="ballot-title">{data.voted ? t("vote.changeBallot") : t("vote.yourBallot")}</h2>
      <input type="hidden" name="intent" value="cast" />
      <fieldset className="choices">
        <legend className="field__label">
          {vote.method === "approval" ? t("vote.chooseUpTo", { k: vote.maxChoices }) : t("vote.chooseOne")}
        </legend>
        {vote.options.map((_, i) => (
          <label key={i} className="check choice">
            <input
              type={vote.method === "approval" ? "checkbox" : "radio"}
              name="choice"
              value={i}
              defaultChecked={data.myChoices?.includes(i)}
              required={vote.method !== "approval"}
            />
            <span>{label(i)}</span>
          </label>
        ))}
      </fieldset>
      {reply && !reply.ok && reply.intent === "cast" ? <FieldErrors errors={[reply.error!]} /> : null}
      {vote.secret ? <p className="muted">{t("vote.secretFinal")}</p> : null}
      {vote.secret ? <p className="muted">{t("vote.encryptedHere")}</p> : null}
      <button type="submit" name="intent" value="cast" className="button button--primary button--block" disabled={busy} aria-busy={busy}>
        {busy ? t("form.submitting") : t("vote.castButton")}
      </button>
    </form>
  );
}
