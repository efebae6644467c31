import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client.server";
import { open311Request } from "~/modules/whistles/open311.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const body = Number.isSafeInteger(id) && id > 0 ? await open311Request(db(), id) : [];
  if (body.length === 0) return Response.json([{ code: 404, description: "No such request" }], { status: 404 });
  return Response.json(body, { headers: { "Access-Control-Allow-Origin": "*" } });
}
