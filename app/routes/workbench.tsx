import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { db } from "#db/client.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/whistles";
import { requireUser } from "~/lib/auth.server";
import { pageTitle } from "~/lib/meta";
import { getActor } from "~/modules/identity/actor.server";
import { getWorkbench, workbenchRooms } from "~/modules/workbench/queries.server";
import { useRoomReload, useSocketEvent } from "~/realtime/hooks";
import { serverNow } from "~/lib/clock.server";
import { withRooms } from "#realtime/room-log.server";

export const meta: MetaFunction = (args) => pageTitle(args, "workbench.title");

/** A staff member's home: what waits for them, section by section, with counts, oldest first, live (ADR 0023). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const now = serverNow();
  const rooms = await workbenchRooms(db(), actor);
  const sections = await withRooms(rooms, () => getWorkbench(db(), actor, now).then((sections) => ({ sections })));
  if (sections.sections.length === 0) throw redirect("/me");
  return { ...sections, now: now.toISOString() };
}

const MORE: Record<string, string> = { dispatches: "/supervision", verifications: "/desk", assignments: "/inbox", overdue: "/supervision", extensions: "/supervision", closures: "/supervision" };

export default function Workbench() {
  const { t, date } = useI18n();
  const data = useLoaderData<typeof loader>();
  const { sections } = data;
  const revalidator = useRevalidator();
  const refresh = () => revalidator.state === "idle" && revalidator.revalidate();
  useRoomReload(data.live, (_room, event) => event.event === "whistle:changed" || event.event === "desk:changed");
  useSocketEvent("notification:new", refresh);
  const waiting = sections.reduce((n, s) => n + s.count, 0);
  return (
    <div className="page narrow workbench">
      <h1>{t("workbench.title")}</h1>
      <p className="muted" role="status">
        {waiting ? t("workbench.summary", { count: waiting }) : t("workbench.allDone")}
      </p>
      <nav className="workbench__counts" aria-label={t("workbench.jump")}>
        {sections.map((s) => (
          <a key={s.key} href={`#wb-${s.key}`} className={`workbench__count${s.count ? " workbench__count--waiting" : ""}`}>
            <strong>{s.count}</strong>
            <span>{t(`workbench.section.${s.key}`)}</span>
          </a>
        ))}
      </nav>
      {sections.map((s) => (
        <section key={s.key} id={`wb-${s.key}`} className="card" aria-labelledby={`wb-${s.key}-title`} data-testid={`workbench-${s.key}`}>
          <h2 id={`wb-${s.key}-title`}>
            {t(`workbench.section.${s.key}`)} <span className="pill pill--info">{s.count}</span>
          </h2>
          {s.items.length === 0 ? (
            <p className="muted">{t("workbench.none")}</p>
          ) : (
            <ol className="list">
              {s.items.map((i) => (
                <li key={i.key} className={`list-item${i.overdue ? " assignment--overdue" : ""}`}>
                  <Link to={i.link} className="list-item__title">
                    {i.title}
                  </Link>
                  <p className="muted">
                    {i.detail ? `${i.detail} · ` : ""}
                    {t(s.key === "assignments" ? (i.overdue ? "workbench.overdueDue" : "workbench.due") : s.key === "extensions" ? "workbench.asksUntil" : s.key === "overdue" ? "workbench.lateSince" : "workbench.since", { date: date(i.at) })}
                  </p>
                </li>
              ))}
            </ol>
          )}
          {s.count > 0 ? (
            <p>
              <Link to={MORE[s.key]!}>{t("workbench.all", { count: s.count })}</Link>
            </p>
          ) : null}
        </section>
      ))}
      <p className="muted">
        <Link to="/?public=1">{t("workbench.publicHome")}</Link>
      </p>
    </div>
  );
}
