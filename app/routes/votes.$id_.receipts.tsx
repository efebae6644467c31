import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { votes } from "#db/schema";
import { useI18n } from "~/i18n/react";
import { idParam } from "~/lib/route.server";
import { listReceipts } from "~/modules/votes/queries.server";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction = (args) => pageTitle(args, "vote.receiptsTitle");

/** Every receipt of a closed secret vote with its choice, so each voter can check theirs was counted. */
export async function loader({ params }: LoaderFunctionArgs) {
  const [vote] = await db().select().from(votes).where(eq(votes.id, idParam(params.id)));
  if (!vote || !vote.secret) throw new Response("Not Found", { status: 404 });
  if (vote.state !== "closed") throw new Response("Forbidden", { status: 403 });
  return { vote: { id: vote.id, question: vote.question, method: vote.method, options: vote.options }, receipts: await listReceipts(db(), vote.id) };
}

export default function Receipts() {
  const { t } = useI18n();
  const { vote, receipts } = useLoaderData<typeof loader>();
  const [q, setQ] = useState("");
  const code = q.trim().toUpperCase();
  const label = (i: number) => (vote.method === "yes_no" ? t(`vote.option.${vote.options[i] as "yes"}`) : vote.options[i]!);
  const found = code.length >= 4 ? receipts.find((r) => r.receipt === code || r.receipt.replace(/-/g, "") === code.replace(/-/g, "")) : undefined;
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/votes/${vote.id}`}>← {vote.question}</Link>
      </p>
      <h1>{t("vote.receiptsTitle")}</h1>
      <p className="muted">{t("vote.receiptsText", { count: receipts.length })}</p>
      <div className="field">
        <label htmlFor="receipt" className="field__label">
          {t("vote.findReceipt")}
        </label>
        <input id="receipt" className="field__input" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
        {code.length >= 4 ? (
          <p className={`notice notice--${found ? "success" : "error"}`} role="status" data-testid="receipt-check">
            {found ? t("vote.receiptFound", { choice: found.choices.map(label).join("、") || t("vote.option.abstain") }) : t("vote.receiptNotFound")}
          </p>
        ) : null}
      </div>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("vote.receipt")}</th>
            <th scope="col">{t("vote.choice")}</th>
          </tr>
        </thead>
        <tbody>
          {receipts.map((r) => (
            <tr key={r.receipt}>
              <td className="mono">{r.receipt}</td>
              <td>{r.choices.map(label).join("、") || t("vote.option.abstain")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
