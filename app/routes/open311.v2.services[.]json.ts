import { db } from "#db/client.server";
import { open311Services } from "~/modules/whistles/open311.server";

export async function loader() {
  return Response.json(await open311Services(db()), { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" } });
}
