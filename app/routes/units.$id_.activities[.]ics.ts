import type { LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { translate } from "~/i18n/i18n";
import { idParam, toHttpError } from "~/lib/route.server";
import { activitiesCalendar } from "~/modules/pledges/ical";
import { unitCalendar } from "~/modules/pledges/queries.server";
import { meetingEvent } from "~/modules/meetings/ical";
import { unitMeetingsCalendar } from "~/modules/meetings/queries.server";
import { serverNow } from "~/lib/clock.server";

/** A community's (or subdistrict's) volunteer activities, and its halls' meetings (议事会), as an iCalendar feed to subscribe to. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  const { name, items } = await unitCalendar(id, serverNow()).catch(toHttpError);
  const url = new URL(request.url);
  const extra = (await unitMeetingsCalendar(id, serverNow())).flatMap((m) => meetingEvent(m, { origin: url.origin, host: url.host }));
  return new Response(activitiesCalendar(items, { origin: url.origin, host: url.host, name: `${name} · ${translate(config().defaultLocale, "activity.list.title")}`, extra }), {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
