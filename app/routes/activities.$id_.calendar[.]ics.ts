import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam, toHttpError } from "~/lib/route.server";
import { activitiesCalendar } from "~/modules/pledges/ical";
import { activityCalendar } from "~/modules/pledges/queries.server";

/** One activity as a calendar file ("add to calendar"). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  const { name, items } = await activityCalendar(id).catch(toHttpError);
  const url = new URL(request.url);
  return new Response(activitiesCalendar(items, { origin: url.origin, host: url.host, name }), {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": `attachment; filename="activity-${id}.ics"` },
  });
}
