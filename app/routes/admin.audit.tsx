import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { desc, eq, inArray, like, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "#db/client.server";
import { alleys, auditEvents, departments, positions, units, users } from "#db/schema";
import { isMessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { getActor } from "~/modules/identity/actor.server";
import { requireAdminScopes } from "~/modules/units/admin-schemas";

const LIMIT = 200;

/**
 * The latest 200 audit events an administrator may read. The rule, kept
 * simple on purpose:
 * - a platform administrator reads every event;
 * - a district administrator reads the events of people who hold or have held
 *   any position scoped inside their districts (a unit, a department of the
 *   district, an alley of its subdistricts), their own events, and events
 *   whose subject is a unit of their districts (or its duty list) — so a
 *   platform administrator's change to their district shows too.
 * Events of people without a position there (residents registering, say) are
 * not shown.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const scopes = requireAdminScopes(await getActor(context));
  const q = db();
  const subjectUnit = alias(units, "subject_unit");
  // Audit subjects are text: "12" for a unit, "12:noise" for a district's duty list.
  const subjectUnitId = sql`case ${auditEvents.subjectType} when 'unit' then ${auditEvents.subjectId} when 'duty_list' then split_part(${auditEvents.subjectId}, ':', 1) end`;

  let visible = sql`true`;
  if (!scopes.includes("/")) {
    const departmentDistrict = alias(units, "department_district");
    const alleySubdistrict = alias(units, "alley_subdistrict");
    const scopePath = sql<string>`coalesce(${units.path}, ${departmentDistrict.path}, ${alleySubdistrict.path})`;
    const holders = q
      .selectDistinct({ userId: positions.userId })
      .from(positions)
      .leftJoin(units, eq(units.id, positions.unitId))
      .leftJoin(departments, eq(departments.id, positions.departmentId))
      .leftJoin(departmentDistrict, eq(departmentDistrict.id, departments.districtId))
      .leftJoin(alleys, eq(alleys.id, positions.alleyId))
      .leftJoin(alleySubdistrict, eq(alleySubdistrict.id, alleys.subdistrictId))
      .where(or(...scopes.map((s) => sql`${scopePath} like ${`${s}%`}`)));
    visible = or(
      eq(auditEvents.actorId, user.id),
      inArray(auditEvents.actorId, holders),
      ...scopes.map((s) => like(subjectUnit.path, `${s}%`)),
    )!;
  }

  const rows = await q
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      subjectType: auditEvents.subjectType,
      subjectId: auditEvents.subjectId,
      subjectName: subjectUnit.name,
      at: auditEvents.at,
      actorName: users.displayName,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .leftJoin(subjectUnit, sql`${subjectUnit.id}::text = ${subjectUnitId}`)
    .where(visible)
    .orderBy(desc(auditEvents.id))
    .limit(LIMIT);
  return { events: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
}

export default function AdminAuditPage() {
  const { t, date } = useI18n();
  const { events } = useLoaderData<typeof loader>();
  const known = (key: string, fallback: string) => (isMessageKey(key) ? t(key) : fallback);
  return (
    <>
      <h2>{t("admin.audit.title")}</h2>
      <p className="muted">{t("admin.audit.lead", { count: LIMIT })}</p>
      {events.length === 0 ? <p className="empty">{t("admin.audit.empty")}</p> : null}
      <ul className="list">
        {events.map((e) => (
          <li key={e.id} className="list-item">
            <div className="page-head" style={{ marginBottom: 0 }}>
              <strong>{known(`admin.audit.action.${e.action}`, e.action)}</strong>
              <time className="muted" dateTime={e.at}>
                {date(e.at)}
              </time>
            </div>
            <p style={{ margin: 0 }}>
              {t("admin.audit.by", { name: e.actorName ?? t("admin.audit.system") })}
              {" · "}
              {known(`admin.audit.subject.${e.subjectType}`, e.subjectType)} #{e.subjectId}
              {e.subjectName ? t("admin.parenthesis", { text: e.subjectName }) : ""}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
