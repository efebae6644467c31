import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { hasWorkbench } from "~/modules/workbench/rules";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { EvidencePhotos } from "~/components/evidence-photos";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/whistles";
import { requireUser } from "~/lib/auth.server";
import { getActor } from "~/modules/identity/actor.server";
import { isDepartmentOfficer } from "~/modules/whistles/commands.server";
import { getInbox, INBOX_PAGE_SIZE, inboxRooms, photosOfAssignments } from "~/modules/whistles/queries.server";
import { useRoomReload } from "~/realtime/hooks";
import { pageTitle } from "~/lib/meta";
import { serverNow } from "~/lib/clock.server";
import { withRooms } from "#realtime/room-log.server";
import type { Actor } from "~/modules/identity/actor";

export const meta: MetaFunction = (args) => pageTitle(args, "inbox.title");

/** A department or station officer's assignments, most urgent first, with the time left. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  // Other staff (a subdistrict officer) find what waits for them on the workbench, not a 403.
  if (!isDepartmentOfficer(actor)) throw hasWorkbench(actor) ? redirect("/workbench") : new Response("Forbidden", { status: 403 });
  const pageParam = new URL(request.url).searchParams.get("page");
  const page = pageParam === null ? 1 : Number(pageParam);
  if (!Number.isSafeInteger(page) || page < 1 || page > 10_000) throw new Response("Not Found", { status: 404 });
  return withRooms(inboxRooms(actor), () => inboxPage(actor, page));
}

async function inboxPage(actor: Actor, page: number) {
  const found = await getInbox(db(), actor, page);
  const rows = found.slice(0, INBOX_PAGE_SIZE);
  const photos = await photosOfAssignments(db(), rows.map((r) => r.a.id));
  return {
    items: rows.map((r) => ({ id: r.a.id, whistleId: r.whistleId, title: r.title, kind: r.kind, address: r.address, state: r.a.state, department: r.departmentName, nextDue: r.nextDue, role: r.a.role, photos: (photos.get(r.a.id) ?? []).map((p) => ({ id: p.id, url: `/uploads/${p.fileName}` })) })),
    page,
    hasNext: found.length > INBOX_PAGE_SIZE,
    now: serverNow().toISOString(),
  };
}

export default function Inbox() {
  const { t, date } = useI18n();
  const { items, now, page, hasNext, live } = useLoaderData<typeof loader>();
  useRoomReload(live, (_room, event) => event.event === "whistle:changed");
  return (
    <div className="page narrow">
      <h1>{t("inbox.title")}</h1>
      {items.length === 0 && page === 1 ? <p className="empty">{t("inbox.empty")}</p> : null}
      <ul className="list">
        {items.map((i) => {
          const left = i.nextDue ? new Date(i.nextDue).getTime() - new Date(now).getTime() : null;
          const overdue = left !== null && left < 0;
          return (
            <li key={i.id} className={`list-item${overdue ? " assignment--overdue" : ""}`}>
              <Link to={`/whistles/${i.whistleId}`} className="list-item__title">
                {i.title}
              </Link>
              <div className="proposal-row__meta">
                <span className={`pill pill--${i.kind === "emergency" ? "bad" : "info"}`}>{t(`whistle.kind.${i.kind}`)}</span>
                <span className="pill pill--warn">{t(`assignment.state.${i.state}`)}</span>
                <span className="muted">{i.department}</span>
              </div>
              {i.nextDue ? (
                <p className={overdue ? "overdue" : ""} title={date(i.nextDue)}>
                  {overdue ? `⚠ ${t("inbox.overdue")}` : t("inbox.left", { hours: Math.max(0, Math.floor(left! / 3_600_000)), minutes: Math.max(0, Math.floor((left! % 3_600_000) / 60_000)) })} · {date(i.nextDue)}
                </p>
              ) : null}
              <EvidencePhotos photos={i.photos} />
            </li>
          );
        })}
      </ul>
      {page > 1 || hasNext ? (
        <nav className="actions" aria-label={t("inbox.pages")}>
          {page > 1 ? (
            <Link to={page === 2 ? "/inbox" : `/inbox?page=${page - 1}`} className="button" rel="prev">
              {t("inbox.previous")}
            </Link>
          ) : null}
          <span className="muted">{t("inbox.page", { page })}</span>
          {hasNext ? (
            <Link to={`/inbox?page=${page + 1}`} className="button" rel="next">
              {t("inbox.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
