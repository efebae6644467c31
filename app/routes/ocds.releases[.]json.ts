import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client.server";
import { config } from "~/config.server";
import { pageOf, releasesStream } from "~/modules/projects/ocds.server";

/** Every published service project as an OCDS 1.1 release package, newest first, paged (?page, ?limit; links.next), streamed (ADR 0043). */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const page = pageOf(url.searchParams);
  if (!page) return Response.json({ error: "page is a whole number from 1; limit from 1 to 10000" }, { status: 400 });
  const base = (config().baseUrl ?? url.origin).replace(/\/$/, "");
  const stream = await releasesStream(db(), page, base);
  if (!stream) return Response.json({ error: "No such page" }, { status: 404 });
  return new Response(stream, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
