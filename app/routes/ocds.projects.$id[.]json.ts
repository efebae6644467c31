import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client.server";
import { config } from "~/config.server";
import { parseId } from "~/lib/input";
import { projectPackage } from "~/modules/projects/ocds.server";

/** One published service project as an OCDS 1.1 release package: its release as it stands (ADR 0043). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const base = (config().baseUrl ?? new URL(request.url).origin).replace(/\/$/, "");
  const body = id !== null ? await projectPackage(db(), id, base) : null;
  if (!body) return Response.json({ error: "No such project" }, { status: 404 });
  return Response.json(body, { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache" } });
}
