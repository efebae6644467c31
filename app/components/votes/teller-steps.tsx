import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useI18n } from "~/i18n/react";
import type { Ciphertext, Hex, Sealed, Vault } from "~/modules/votes/crypto";
import type { SecretState } from "./secret-ballot";

interface Work {
  threshold: number;
  sums: Ciphertext[] | null;
  me: {
    index: number;
    setupVault: Vault | null;
    shareVault: Vault | null;
    dealt: boolean;
    published: boolean;
    confirmed: boolean;
    unlocked: boolean;
  };
  peers: { index: number; transportKey: Hex | null; commitments: Hex[] | null; dealt: boolean }[];
  received: { from: number; sealed: Sealed }[];
}

type Next = "publish" | "deal" | "confirm" | "unlock" | "waitKeys" | "waitDeal" | "waitOpen" | "waitClose" | "done";

/** What this teller can do now, from what the server relayed. */
function nextStep(work: Work, voteState: string): Next {
  const { me, peers } = work;
  if (voteState === "tallying") return me.unlocked ? "done" : "unlock";
  if (voteState !== "scheduled") return me.confirmed ? (voteState === "open" ? "waitClose" : "done") : "done";
  if (!me.published) return "publish";
  if (!me.dealt) return peers.every((p) => p.transportKey) ? "deal" : "waitKeys";
  if (!me.confirmed) return peers.every((p) => p.dealt) ? "confirm" : "waitDeal";
  return "waitOpen";
}

async function post(voteId: number, body: object): Promise<{ ok: boolean; error?: string }> {
  try {
    const res = await fetch(`/api/votes/${voteId}/teller`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { ok: boolean; error?: string };
  } catch {
    return { ok: false, error: "form.networkError" };
  }
}

/**
 * The teller's steps, run in this browser (shared/crypto.md §1, §3): the
 * passphrase never leaves it; what is posted is public or locked under it.
 */
export function TellerSteps({ voteId, voteState, work, state }: { voteId: number; voteState: string; work: Work; state: SecretState }) {
  const { t, tx, date, punct } = useI18n();
  const revalidator = useRevalidator();
  const [busy, setBusy] = useState(false);
  // Until the scripts run, the button stays disabled: a native submit would send the passphrase to the server.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const next = nextStep(work, voteState);
  const waiting = next.startsWith("wait");
  // While waiting for the others, look again every 10 seconds.
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => revalidator.revalidate(), 10_000);
    return () => window.clearInterval(timer);
  }, [waiting, revalidator]);

  // The field is read on submit (not kept in state), so what was typed before the page's scripts woke up counts too.
  async function run(passphrase: string) {
    if (passphrase.length < (next === "publish" ? 10 : 1)) return setMessage({ tone: "error", text: t("teller.passphraseShort") });
    setBusy(true);
    setMessage(null);
    const steps = await import("~/modules/votes/tellers");
    let reply: { ok: boolean; error?: string };
    try {
      if (next === "publish")
        reply = await post(voteId, { intent: "publish", ...(await steps.tellerStart(voteId, work.threshold, passphrase)) });
      else if (next === "deal") {
        const shares = await steps.tellerDeal(
          voteId,
          work.me.index,
          passphrase,
          work.me.setupVault!,
          work.peers.map((p) => ({ index: p.index, transportKey: p.transportKey! })),
        );
        reply = await post(voteId, { intent: "deal", shares });
      } else if (next === "confirm") {
        try {
          const done = await steps.tellerConfirm(
            voteId,
            work.me.index,
            passphrase,
            work.me.setupVault!,
            work.received,
            work.peers.map((p) => ({ index: p.index, commitments: p.commitments! })),
          );
          reply = await post(voteId, { intent: "confirm", ...done });
        } catch (error) {
          if (!(error instanceof steps.Complaint)) throw error;
          await post(voteId, { intent: "complain", against: error.against });
          reply = { ok: false, error: "teller.complained" };
        }
      } else
        reply = await post(voteId, {
          intent: "unlock",
          partial: await steps.tellerUnlock(voteId, passphrase, work.me.shareVault!, work.sums!),
        });
    } catch (error) {
      reply = {
        ok: false,
        error: error instanceof Error && error.message === "wrong passphrase" ? "teller.wrongPassphrase" : "teller.failed",
      };
    }
    setBusy(false);
    setMessage(reply.ok ? { tone: "success", text: t("teller.stepDone") } : { tone: "error", text: tx(reply.error ?? "teller.failed") });
    revalidator.revalidate();
  }

  const canAct = next === "publish" || next === "deal" || next === "confirm" || next === "unlock";
  return (
    <section className="card form" aria-labelledby="teller-step">
      <h2 id="teller-step">{t(`teller.next.${next}`)}</h2>
      <ol className="rules-list">
        {state.tellers.map((x) => (
          <li key={x.index}>
            {x.name}
            {punct.colon}
            {t(`vote.tellerStep.${x.step as "none"}`)}
          </li>
        ))}
      </ol>
      {voteState === "tallying" && state.tallyDeadline ? (
        <p className="muted">{t("vote.tallyingText", { time: date(state.tallyDeadline), t: state.threshold })}</p>
      ) : null}
      {canAct ? (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(String(new FormData(e.currentTarget).get("passphrase") ?? ""));
          }}
        >
          <label className="field">
            <span className="field__label">{t("teller.passphrase")}</span>
            <span className="field__hint">{next === "publish" ? t("teller.passphraseNew") : t("teller.passphraseAgain")}</span>
            <input
              className="field__input"
              type="password"
              name="passphrase"
              autoComplete={next === "publish" ? "new-password" : "current-password"}
              required
            />
          </label>
          <button type="submit" className="button button--primary button--block" disabled={busy || !ready} aria-busy={busy}>
            {busy ? t("teller.working") : t(`teller.do.${next}`)}
          </button>
        </form>
      ) : null}
      {message ? (
        <p className={`notice notice--${message.tone}`} role="status">
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
