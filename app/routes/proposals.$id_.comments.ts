import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { proposals } from "#db/schema";
import { idParam } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/access";
import { hallContext } from "~/modules/halls/queries.server";
import { debatePage } from "~/modules/proposals/queries.server";
import { queryId } from "~/lib/input.server";

/** The next page of a proposal's debate (`?after=<thread id>`), for its "show more" button. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const proposalId = idParam(params.id);
  const after = queryId(new URL(request.url), "after") ?? 0;
  const actor = await getActor(context);
  const [proposal] = await db()
    .select({ hallId: proposals.hallId, authorId: proposals.authorId, state: proposals.state })
    .from(proposals)
    .where(eq(proposals.id, proposalId));
  const hall = proposal ? await hallContext(db(), proposal.hallId, actor) : null;
  if (!proposal || !hall || !can(actor, "proposal:view", { hall: hall.context, authorId: proposal.authorId, state: proposal.state }))
    throw new Response("Not Found", { status: 404 });
  // Plain JSON: a resource route, fetched by the page's fetcher.
  return Response.json(await debatePage(db(), proposalId, after));
}
