import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useI18n } from "~/i18n/react";
import type { Hex, Sealed, Vault } from "~/modules/votes/crypto";

/** What the opener page's loader gives this member (app/modules/projects/ceremony.server.ts getOpenerWork). */
export interface OpenerWorkView {
  threshold: number;
  openingKey: string | null;
  me: { index: number; setupVault: Vault | null; shareVault: Vault | null; dealt: boolean; published: boolean; confirmed: boolean; opened: boolean };
  peers: { index: number; transportKey: Hex | null; commitments: Hex[] | null; dealt: boolean }[];
  members: { index: number; name: string; step: string }[];
  received: { from: number; sealed: Sealed }[];
}

type Next = "publish" | "deal" | "confirm" | "open" | "waitKeys" | "waitDeal" | "waitConfirm" | "waitClose" | "done";

/** What this member can do now, from what the server relayed and the call's state. */
export function openerNext(work: OpenerWorkView, status: string, opened: boolean): Next {
  const { me, peers } = work;
  if (status === "evaluating" && !opened) return me.opened ? "done" : me.confirmed ? "open" : "done";
  if (status !== "planning") return work.openingKey && status === "open" ? "waitClose" : "done";
  if (!me.published) return "publish";
  if (!me.dealt) return peers.every((p) => p.transportKey) ? "deal" : "waitKeys";
  if (!me.confirmed) return peers.every((p) => p.dealt) ? "confirm" : "waitDeal";
  return work.openingKey ? "waitClose" : "waitConfirm";
}

async function post(projectId: number, body: object): Promise<{ ok: boolean; error?: string }> {
  try {
    const res = await fetch(`/api/projects/${projectId}/opener`, {
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
 * A committee member's steps, run in this browser (shared/crypto.md §1, §5),
 * the tellers' steps with the context `project:<id>`: the passphrase never
 * leaves the page; what is posted is public or locked under it.
 */
export function OpenerSteps({
  projectId,
  status,
  opened,
  work,
  toOpen,
}: {
  projectId: number;
  status: string;
  opened: boolean;
  work: OpenerWorkView;
  toOpen: { id: number; R: string }[];
}) {
  const { t, tx, punct } = useI18n();
  const revalidator = useRevalidator();
  const [busy, setBusy] = useState(false);
  // Until the scripts run, the button stays disabled: a native submit would send the passphrase to the server.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const next = openerNext(work, status, opened);
  const waiting = next.startsWith("wait");
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => revalidator.revalidate(), 10_000);
    return () => window.clearInterval(timer);
  }, [waiting, revalidator]);

  async function run(passphrase: string) {
    if (passphrase.length < (next === "publish" ? 10 : 1)) return setMessage({ tone: "error", text: t("opener.passphraseShort") });
    setBusy(true);
    setMessage(null);
    const steps = await import("~/modules/votes/tellers");
    const scope = `project:${projectId}`;
    let reply: { ok: boolean; error?: string };
    try {
      if (next === "publish") reply = await post(projectId, { intent: "publish", ...(await steps.tellerStart(scope, work.threshold, passphrase)) });
      else if (next === "deal") {
        const peers = work.peers.map((p) => ({ index: p.index, transportKey: p.transportKey! }));
        reply = await post(projectId, { intent: "deal", shares: await steps.tellerDeal(scope, work.me.index, passphrase, work.me.setupVault!, peers) });
      } else if (next === "confirm") {
        try {
          const commitments = work.peers.map((p) => ({ index: p.index, commitments: p.commitments! }));
          const done = await steps.tellerConfirm(scope, work.me.index, passphrase, work.me.setupVault!, work.received, commitments);
          reply = await post(projectId, { intent: "confirm", ...done });
        } catch (error) {
          if (!(error instanceof steps.Complaint)) throw error;
          await post(projectId, { intent: "complain", against: error.against });
          reply = { ok: false, error: "opener.complained" };
        }
      } else {
        const secret = await steps.unlockShare(scope, passphrase, work.me.shareVault!);
        const { partialOpen } = await import("~/modules/projects/seal");
        const partials = Object.fromEntries(toOpen.map((b) => [String(b.id), partialOpen(projectId, b.id, secret, b.R)]));
        reply = await post(projectId, { intent: "open", partials });
      }
    } catch (error) {
      reply = { ok: false, error: error instanceof Error && error.message === "wrong passphrase" ? "opener.wrongPassphrase" : "opener.failed" };
    }
    setBusy(false);
    setMessage(reply.ok ? { tone: "success", text: t("opener.stepDone") } : { tone: "error", text: tx(reply.error ?? "opener.failed") });
    revalidator.revalidate();
  }

  const canAct = next === "publish" || next === "deal" || next === "confirm" || next === "open";
  return (
    <section className="card form" aria-labelledby="opener-step">
      <h2 id="opener-step">{t(`opener.next.${next}`)}</h2>
      <ol className="rules-list">
        {work.members.map((m) => (
          <li key={m.index}>
            {m.name}
            {punct.colon}
            {t(`opener.step.${m.step as "none"}`)}
          </li>
        ))}
      </ol>
      {next === "open" ? <p>{t("opener.bidsToOpen", { count: toOpen.length })}</p> : null}
      {canAct ? (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(String(new FormData(e.currentTarget).get("passphrase") ?? ""));
          }}
        >
          <label className="field">
            <span className="field__label">{t("opener.passphrase")}</span>
            <span className="field__hint">{next === "publish" ? t("opener.passphraseNew") : t("opener.passphraseAgain")}</span>
            <input className="field__input" type="password" name="passphrase" autoComplete={next === "publish" ? "new-password" : "current-password"} required />
          </label>
          <button type="submit" className="button button--primary button--block" disabled={busy || !ready} aria-busy={busy}>
            {busy ? t("opener.working") : t(`opener.do.${next}`)}
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
