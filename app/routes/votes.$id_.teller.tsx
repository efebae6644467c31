import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { votes } from "#db/schema";
import { TellerSteps } from "~/components/votes/teller-steps";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/votes";
import { requireUser } from "~/lib/auth.server";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/route.server";
import { getSecretState, getTellerWork } from "~/modules/votes/queries.server";

export const meta: MetaFunction = (args) => pageTitle(args, "teller.title");

/**
 * A teller's page: their step of the key ceremony, or their partial
 * decryption at closing (ADR 0016). The steps run in the browser and post
 * to the JSON API (`/api/votes/<id>/teller`); this route only reads.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const voteId = idParam(params.id);
  const [vote] = await db().select().from(votes).where(eq(votes.id, voteId));
  if (!vote || !vote.secret) throw new Response("Not Found", { status: 404 });
  const work = await getTellerWork(db(), voteId, user.id);
  if (!work) throw new Response("Forbidden", { status: 403 });
  return { vote: { id: vote.id, question: vote.question, state: vote.state }, work, state: (await getSecretState(db(), voteId))! };
}

export default function TellerPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/votes/${data.vote.id}`}>← {data.vote.question}</Link>
      </p>
      <h1>{t("teller.title")}</h1>
      <p>{t("teller.intro", { t: data.state.threshold, n: data.state.tellers.length })}</p>
      <noscript>
        <p className="notice notice--error">{t("teller.needsScript")}</p>
      </noscript>
      <TellerSteps voteId={data.vote.id} voteState={data.vote.state} work={data.work} state={data.state} />
    </div>
  );
}
