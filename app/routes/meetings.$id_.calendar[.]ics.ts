import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam, toHttpError } from "~/lib/route.server";
import { meetingCalendar } from "~/modules/meetings/ical";
import { meetingCalendar as meetingForCalendar } from "~/modules/meetings/queries.server";

/** One meeting as a calendar file ("add to calendar"). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  const meeting = await meetingForCalendar(id).catch(toHttpError);
  const url = new URL(request.url);
  return new Response(meetingCalendar(meeting, { origin: url.origin, host: url.host }), {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": `attachment; filename="meeting-${id}.ics"` },
  });
}
