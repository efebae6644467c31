import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client.server";
import { parseWhole } from "~/lib/input";
import { open311Requests } from "~/modules/whistles/open311.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const body = await open311Requests(db(), {
    status: url.searchParams.get("status") ?? undefined,
    serviceCode: url.searchParams.get("service_code") ?? undefined,
    limit: parseWhole(url.searchParams.get("limit"), 1, 1000) ?? undefined,
  });
  return Response.json(body, { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache" } });
}
