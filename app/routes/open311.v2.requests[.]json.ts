import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client.server";
import { open311Requests } from "~/modules/whistles/open311.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const body = await open311Requests(db(), {
    status: url.searchParams.get("status") ?? undefined,
    serviceCode: url.searchParams.get("service_code") ?? undefined,
    limit: Number(url.searchParams.get("limit")) || undefined,
  });
  return Response.json(body, { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache" } });
}
