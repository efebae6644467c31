import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
// The admin.* messages, for this frame and every page under it (they are not in the shared catalogue).
import "~/i18n/scoped/admin";
import "~/i18n/scoped/structure";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { getActor } from "~/modules/identity/actor.server";
import { requireAdminScopes } from "~/modules/units/admin-schemas";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction = (args) => pageTitle(args, "admin.title");

/**
 * The frame of /admin/*: district and platform administrators only. Every
 * child loader and action checks again on its own; this guard only keeps the
 * frame from showing to anybody else.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  requireAdminScopes(await getActor(context));
  return null;
}

const sections = [
  { to: "/admin", end: true, label: "admin.nav.structure" },
  { to: "/admin/positions", end: false, label: "admin.nav.positions" },
  { to: "/admin/duty-list", end: false, label: "admin.nav.dutyList" },
  { to: "/admin/weights", end: false, label: "admin.nav.weights" },
  { to: "/admin/stars", end: false, label: "admin.nav.stars" },
  { to: "/admin/audit", end: false, label: "admin.nav.audit" },
  { to: "/admin/deliveries", end: false, label: "admin.nav.deliveries" },
] as const;

export default function AdminLayout() {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1>{t("admin.title")}</h1>
      <nav aria-label={t("admin.nav.label")} className="actions" style={{ marginTop: 0, marginBottom: 16 }}>
        {sections.map((s) => (
          <NavLink
            key={s.to}
            to={s.to}
            end={s.end}
            prefetch="intent"
            className={({ isActive }) => `button button--small${isActive ? " button--primary" : ""}`}
          >
            {t(s.label)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
