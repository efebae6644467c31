import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { parseId } from "~/lib/input";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { getReceipts } from "~/modules/projects/bids.server";
import "~/i18n/scoped/projects";

export const meta: MetaFunction = (args) => pageTitle(args, "bids.receipts.title");

/** An organisation's receipts for a call (`?org=<id>`): every submission, revision and withdrawal with its hash. Its own people only before the opening. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const org = parseId(new URL(request.url).searchParams.get("org"));
  if (org === null) throw new Response("Not Found", { status: 404 });
  try {
    return await getReceipts(db(), await getActor(context), idParam(params.id), org);
  } catch (error) {
    return toHttpError(error);
  }
}

export default function ReceiptsPage() {
  const { t, date } = useI18n();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/projects/${data.project.id}/bid`}>← {data.project.title}</Link>
      </p>
      <h1>{t("bids.receipts.title")}</h1>
      <p>{data.organization.name}</p>
      {data.receipts.length === 0 ? (
        <p className="muted">{t("bids.receipts.empty")}</p>
      ) : (
        <ol className="bid-receipts">
          {data.receipts.map((r) => (
            <li key={`${r.revision}-${r.kind}`} className="card">
              <strong>{t(`bids.receiptKind.${r.kind}`)}</strong> · {t("bids.receipts.revision", { revision: r.revision })} · {date(r.at)}
              <br />
              <code className="receipt-hash">{r.receipt}</code>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
