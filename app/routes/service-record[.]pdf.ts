import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { requireUser } from "~/lib/auth.server";
import { serverNow } from "~/lib/clock.server";
import { logError } from "~/lib/log.server";
import { toHttpError } from "~/lib/route.server";
import { localDate } from "~/lib/time";
import { getActor } from "~/modules/identity/actor.server";
import { serviceRecordPage } from "~/modules/pledges/queries.server";
import { PdfFontMissingError, serviceRecordPdf } from "~/modules/pledges/record-pdf.server";
import { recordQuerySchema } from "~/modules/pledges/schemas";

/**
 * The yearly service record as a PDF (`?year=`, and `?user=` for community
 * staff), for the same people as the print page and from the same query.
 * Without the CJK font the server cannot set Chinese: back to the print
 * page, which says so.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const url = new URL(request.url);
  const q = recordQuerySchema.parse(Object.fromEntries(url.searchParams));
  const tz = config().timeZone;
  const now = serverNow();
  const year = q.year ?? Number(localDate(now, tz).slice(0, 4));
  const record = await serviceRecordPage(await getActor(context), { userId: q.user ?? user.id, year }, tz).catch(toHttpError);
  let pdf: Buffer;
  try {
    pdf = await serviceRecordPdf(record, { locale: context.locale, timeZone: tz, now });
  } catch (error) {
    if (!(error instanceof PdfFontMissingError)) throw error;
    logError("service record PDF", error);
    const back = new URLSearchParams({ year: String(year), ...(q.user ? { user: String(q.user) } : {}), pdf: "unavailable" });
    return redirect(`/service-record?${back.toString()}`);
  }
  const name = `${record.person.name}-${year}.pdf`;
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.length),
      "Content-Disposition": `attachment; filename="service-record-${year}.pdf"; filename*=UTF-8''${encodeURIComponent(`志愿服务记录-${name}`)}`,
      // A person's record: never kept by a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
}
