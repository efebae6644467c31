import type { LoaderFunctionArgs } from "@remix-run/node";
import { serverNow } from "~/lib/clock.server";
import { idParam, toHttpError } from "~/lib/route.server";
import { meetingLive } from "~/modules/meetings/queries.server";

/**
 * A meeting's live state as JSON, read with the server's time: a phone
 * catching up after a reconnect, and measuring the server's clock for its
 * countdown (components/meetings/use-meeting-live.ts). Public, like the page.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const live = await meetingLive(idParam(params.id), serverNow()).catch(toHttpError);
  return new Response(JSON.stringify(live), { headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" } });
}
