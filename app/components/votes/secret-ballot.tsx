import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useI18n } from "~/i18n/react";
// The projects' evaluation panels show it too: its messages come with it.
import "~/i18n/scoped/votes";
import type { ApiReply } from "~/lib/api-submit";
import type { BallotShape } from "~/modules/votes/crypto";

/**
 * The secret-ballot parts of the vote page (ADR 0016): who the tellers are,
 * the ballot encrypted in this browser, and the receipt shown once.
 */
export interface SecretState {
  threshold: number;
  ready: boolean;
  tallyDeadline: string | Date | null;
  notTallied: string | null;
  tellers: { index: number; userId: number; name: string; username: string | null; step: string }[];
}

/** Encrypt the form's choices here (the crypto is loaded only now) and send the ciphertexts and proofs. */
export async function castEncrypted(
  voteId: number,
  electionKey: string,
  shape: BallotShape,
  form: HTMLFormElement,
): Promise<ApiReply<{ receipt: string | null }>> {
  const choices = new FormData(form).getAll("choice").map((c) => Number(c));
  if (shape.method !== "approval" && choices.length !== 1) return { ok: false, error: "vote.error.chooseOne", field: "choices" };
  if (choices.length > shape.maxChoices) return { ok: false, error: `vote.error.tooMany|{"max":${shape.maxChoices}}`, field: "choices" };
  const { encryptBallot } = await import("~/modules/votes/crypto");
  const ballot = encryptBallot(voteId, electionKey, shape, choices);
  try {
    const res = await fetch(`/api/votes/${voteId}/ballots`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ ballot }),
    });
    return res.headers.get("content-type")?.includes("application/json")
      ? ((await res.json()) as ApiReply<{ receipt: string | null }>)
      : { ok: false, error: `error.${res.status}` };
  } catch {
    return { ok: false, error: "form.networkError" };
  }
}

const storageKey = (voteId: number) => `gongzhi:receipt:${voteId}`;

/** Keep the receipt in this browser only (the server cannot show it again). */
export function keepReceipt(voteId: number, receipt: string) {
  try {
    window.localStorage.setItem(storageKey(voteId), receipt);
  } catch {
    // private mode: the voter still sees it, and can save or print it
  }
}

/** The receipt this browser kept for the vote, once hydrated. */
export function useKeptReceipt(voteId: number, fresh: string | null | undefined) {
  const [kept, setKept] = useState<string | null>(null);
  useEffect(() => {
    try {
      setKept(window.localStorage.getItem(storageKey(voteId)));
    } catch {
      setKept(null);
    }
  }, [voteId, fresh]);
  return fresh ?? kept;
}

export function SecretReceipt({ voteId, receipt, question, fresh }: { voteId: number; receipt: string; question: string; fresh: boolean }) {
  const { t } = useI18n();
  const text = `${question}\n${t("vote.receiptTitle")}: ${receipt}\n${t("vote.receiptBoardAt")}: /votes/${voteId}/board\n`;
  return (
    <section className="card receipt" data-testid="receipt" aria-labelledby="receipt-title">
      <h2 id="receipt-title">{t("vote.receiptTitle")}</h2>
      <p className="receipt__code mono" style={{ overflowWrap: "anywhere" }}>
        <strong>{receipt.slice(0, 16)}</strong>
        {receipt.slice(16)}
      </p>
      <p>{fresh ? t("vote.receiptOnce") : t("vote.receiptKept")}</p>
      <p className="muted">{t("vote.receiptCheck")}</p>
      <div className="actions">
        <a className="button" download={`receipt-vote-${voteId}.txt`} href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}>
          {t("vote.saveReceipt")}
        </a>
        <button type="button" className="button" onClick={() => window.print()}>
          {t("vote.printReceipt")}
        </button>
        <Link className="button button--quiet" to={`/votes/${voteId}/board?receipt=${receipt.slice(0, 16)}`}>
          {t("vote.boardLink")}
        </Link>
      </div>
    </section>
  );
}

/** Who the tellers are, in plain words, and where the key and the tally stand. */
export function TellersCard({
  voteId,
  state,
  secret,
  voteState,
  myUserId,
}: {
  voteId: number;
  state: SecretState;
  secret: boolean;
  voteState: string;
  myUserId: number | null;
}) {
  const { t, tx, date, punct } = useI18n();
  if (!secret) return null;
  const names = punct.join(state.tellers.map((x) => x.name));
  const mine = state.tellers.some((x) => x.userId === myUserId);
  return (
    <section className="card" aria-labelledby="tellers-title" data-testid="tellers">
      <h2 id="tellers-title">{t("vote.tellersTitle")}</h2>
      <p>{t("vote.tellersText", { names, t: state.threshold, n: state.tellers.length })}</p>
      <ul className="rules-list">
        {state.tellers.map((x) => (
          <li key={x.index}>
            {x.name}
            {x.username ? punct.parens(x.username) : ""}
            {punct.colon}
            {t(`vote.tellerStep.${x.step as "none"}`)}
          </li>
        ))}
      </ul>
      {voteState === "scheduled" && !state.ready ? <p className="notice notice--info">{t("vote.waitingForKeys")}</p> : null}
      {voteState === "tallying" && state.tallyDeadline ? (
        <p className="notice notice--info">{t("vote.tallyingText", { time: date(state.tallyDeadline), t: state.threshold })}</p>
      ) : null}
      {state.notTallied ? <p className="notice notice--error">{tx(state.notTallied)}</p> : null}
      <p className="actions">
        {mine ? (
          <Link className="button button--primary" to={`/votes/${voteId}/teller`}>
            {t("vote.tellerPage")}
          </Link>
        ) : null}
        <Link className="button button--quiet" to={`/votes/${voteId}/board`}>
          {t("vote.boardLink")}
        </Link>
      </p>
    </section>
  );
}
