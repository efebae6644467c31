import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/votes";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/route.server";
import { getBoard } from "~/modules/votes/queries.server";

export const meta: MetaFunction = (args) => pageTitle(args, "board.title");

const SHOWN = 200;

/** A secret vote's public bulletin board, readable (ADR 0016); the whole of it is the JSON beside it. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const board = await getBoard(db(), idParam(params.id));
  if (!board) throw new Response("Not Found", { status: 404 });
  const q = (new URL(request.url).searchParams.get("receipt") ?? "").trim().toLowerCase().replace(/[^0-9a-f]/g, "");
  const found = q.length >= 8 ? board.ballots.filter((b) => b.receipt.startsWith(q)).map((b) => b.receipt) : null;
  return {
    board: { ...board, ballots: [] },
    receipts: board.ballots.slice(0, SHOWN).map((b) => b.receipt),
    total: board.ballots.length,
    query: q,
    found,
    origin: new URL(request.url).origin,
  };
}

const short = (hex: string | null | undefined) => (hex ? `${hex.slice(0, 16)}…` : "—");

export default function BoardPage() {
  const { t, tx, punct } = useI18n();
  const { board, receipts, total, query, found, origin } = useLoaderData<typeof loader>();
  const label = (i: number) => (board.method === "yes_no" ? t(`vote.option.${board.options[i] as "yes"}`) : board.options[i]!);
  const json = `/votes/${board.voteId}/board.json`;
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/votes/${board.voteId}`}>← {board.question}</Link>
      </p>
      <h1>{t("board.title")}</h1>
      <p>{t("board.intro")}</p>

      <section className="card" aria-labelledby="find-title">
        <h2 id="find-title">{t("board.find")}</h2>
        <Form method="get" className="form">
          <label className="field">
            <span className="field__label">{t("vote.findReceipt")}</span>
            <input name="receipt" className="field__input mono" defaultValue={query} autoComplete="off" autoCapitalize="off" />
          </label>
          <button type="submit" className="button">
            {t("board.search")}
          </button>
        </Form>
        {found ? (
          <p className={`notice notice--${found.length ? "success" : "error"}`} role="status" data-testid="receipt-check">
            {found.length ? t("board.receiptFound") : t("vote.receiptNotFound")}
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="key-title">
        <h2 id="key-title">{t("board.key")}</h2>
        <p className="mono" style={{ overflowWrap: "anywhere" }}>{board.electionKey ?? t("vote.waitingForKeys")}</p>
        <p>{t("vote.tellersText", { names: punct.join(board.tellers.map((x) => x.name)), t: board.threshold, n: board.tellers.length })}</p>
        <ul className="rules-list">
          {board.tellers.map((x) => (
            <li key={x.index}>
              {x.index}. {x.name} · <span className="mono">{short(x.verificationKey)}</span>
              {board.partials.some((p) => p.index === x.index) ? ` · ${t("vote.tellerStep.unlocked")}` : ""}
            </li>
          ))}
        </ul>
      </section>

      {board.result ? (
        <section className="card" aria-labelledby="result-title" data-testid="board-result">
          <h2 id="result-title">{t(`vote.outcome.${board.result.outcome}`)}</h2>
          <ul className="rules-list">
            {board.result.counts.map((n, i) => (
              <li key={i}>
                {label(i)}{punct.colon}{n}
              </li>
            ))}
          </ul>
        </section>
      ) : board.notTallied ? (
        <p className="notice notice--error">{tx(board.notTallied)}</p>
      ) : null}

      <section className="card" aria-labelledby="ballots-title">
        <h2 id="ballots-title">{t("board.ballots", { count: total })}</h2>
        <p className="muted">{t("board.ballotsText")}</p>
        <ol className="mono" style={{ overflowWrap: "anywhere", fontSize: "0.85em" }}>
          {receipts.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ol>
        {total > receipts.length ? <p className="muted">{t("board.more", { count: total - receipts.length })}</p> : null}
      </section>

      <section className="card" aria-labelledby="verify-title">
        <h2 id="verify-title">{t("board.verifyTitle")}</h2>
        <p>{t("board.verifyText")}</p>
        <pre className="mono" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>npm run verify-vote -- {origin + json}</pre>
        <a className="button" href={json}>
          {t("board.json")}
        </a>
      </section>
    </div>
  );
}
