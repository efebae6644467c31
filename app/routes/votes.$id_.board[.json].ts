import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client.server";
import { idParam } from "~/lib/route.server";
import { getBoard } from "~/modules/votes/queries.server";

/** A secret vote's bulletin board as JSON: what `npm run verify-vote -- <this URL>` checks (ADR 0016). */
export async function loader({ params }: LoaderFunctionArgs) {
  const board = await getBoard(db(), idParam(params.id));
  if (!board) throw new Response("Not Found", { status: 404 });
  return new Response(JSON.stringify(board, null, 1), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "Content-Disposition": `inline; filename="vote-${board.voteId}-board.json"` },
  });
}
