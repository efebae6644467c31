import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BidForm, type BidReply } from "~/components/projects/bid-form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { CommandError } from "~/lib/command.server";
import { readPhotoForm } from "~/lib/images.server";
import { parseId } from "~/lib/input";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { TOO_BIG } from "~/lib/uploads.server";
import { db } from "#db/client.server";
import { getActor } from "~/modules/identity/actor.server";
import { sealedBidBody } from "~/modules/projects/bid-schemas";
import { getBidPage, submitBid, withdrawBid } from "~/modules/projects/bids.server";
import { MAX_BID_FILE_MB } from "~/modules/projects/seal";
import "~/i18n/scoped/projects";

export const meta: MetaFunction = (args) => pageTitle(args, "bids.title");

/**
 * The bid page (ADR 0042): an organisation's admin drafts a bid, the page's
 * scripts seal it in the browser under the committee's key and post only the
 * sealed bid and sealed attachments here; the answer is the receipt. Without
 * scripts a bid cannot be sealed, and the page says so; withdrawing needs no
 * sealing and works as a plain form.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const page = await getBidPage(db(), idParam(params.id), await getActor(context));
  if (!page) throw new Response("Not Found", { status: 404 });
  return page;
}

export async function action({ context, params, request }: ActionFunctionArgs): Promise<BidReply> {
  requireUser(context, request);
  const projectId = idParam(params.id);
  const actor = await getActor(context);
  const { formData, tooLarge } = await readPhotoForm(request);
  if (tooLarge) return { ok: false, error: `bids.error.fileTooBig|{"mb":${MAX_BID_FILE_MB}}`, field: "attachments" };
  const organizationId = parseId(formData.get("organizationId"));
  if (organizationId === null) throw new Response("Not Found", { status: 404 });
  let sealed: unknown;
  let fileDigests: unknown = [];
  try {
    sealed = formData.get("sealed") ? JSON.parse(String(formData.get("sealed"))) : undefined;
    fileDigests = formData.get("fileDigests") ? JSON.parse(String(formData.get("fileDigests"))) : [];
  } catch {
    return { ok: false, error: "bids.error.sealed", field: "sealed" };
  }
  const parsed = sealedBidBody.safeParse({ intent: formData.get("intent") ?? "submit", sealed, fileDigests, clientKey: formData.get("clientKey") });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.path[0] === "clientKey" ? "form.networkError" : "bids.error.sealed", field: "sealed" };
  const body = parsed.data;
  try {
    if (body.intent === "withdraw") {
      const a = await withdrawBid(actor, { projectId, organizationId, clientKey: body.clientKey });
      return { ok: true, kind: a.kind, revision: a.revision, receipt: a.receipt };
    }
    if (!body.sealed) return { ok: false, error: "bids.error.sealed", field: "sealed" };
    const uploads = formData.getAll("files");
    if (uploads.some((f) => f === TOO_BIG)) return { ok: false, error: `bids.error.fileTooBig|{"mb":${MAX_BID_FILE_MB}}`, field: "attachments" };
    const files = await Promise.all(uploads.filter((f): f is File => typeof f === "object").map(async (f) => new Uint8Array(await f.arrayBuffer())));
    const a = await submitBid(actor, { projectId, organizationId, sealed: body.sealed, fileDigests: body.fileDigests, files, clientKey: body.clientKey });
    return { ok: true, kind: a.kind, revision: a.revision, receipt: a.receipt };
  } catch (error) {
    if (error instanceof CommandError)
      return { ok: false, error: error.params ? `${error.messageKey}|${JSON.stringify(error.params)}` : error.messageKey, field: error.field };
    return toHttpError(error);
  }
}

export default function BidPage() {
  const { t, date, number } = useI18n();
  const page = useLoaderData<typeof loader>();
  const { project } = page;
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/projects/${project.id}`}>← {project.title}</Link>
      </p>
      <h1>
        {t("bids.title")} · {project.title}
      </h1>
      <p className="muted">
        {t("bids.deadline", { time: date(project.bidDeadline) })} · {t("bids.budgetCap", { amount: number(project.budgetCap) })} · {t("bids.count", { count: project.bidCount })}
      </p>
      <p>{t("bids.intro", { t: page.threshold })}</p>
      <noscript>
        <p className="notice notice--error">{t("bids.needsScript")}</p>
      </noscript>
      {!project.open ? (
        <p className="notice">{t("bids.closed")}</p>
      ) : !page.openingKey ? (
        <p className="notice">{t("bids.noKey")}</p>
      ) : page.organizations.length === 0 ? (
        <p className="notice">{t("bids.noOrg")}</p>
      ) : (
        <BidForm page={page} />
      )}
      {page.organizations.map((o) => (
        <p key={o.id}>
          <Link to={`/projects/${project.id}/receipts?org=${o.id}`}>
            {t("bids.receipts.link")} · {o.name}
          </Link>
        </p>
      ))}
    </div>
  );
}
