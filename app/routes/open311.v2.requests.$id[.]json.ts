import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client.server";
import { parseId } from "~/lib/input";
import { open311Request } from "~/modules/whistles/open311.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const body = id !== null ? await open311Request(db(), id) : [];
  if (body.length === 0) return Response.json([{ code: 404, description: "No such request" }], { status: 404 });
  return Response.json(body, { headers: { "Access-Control-Allow-Origin": "*" } });
}
