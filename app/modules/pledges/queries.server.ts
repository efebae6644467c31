import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "#db/client.server";
import { activities, activityRoles, organizations, partyReports, pledges, residencyClaims, signups, starLevels, units, users, type PledgeCategory } from "#db/schema";
import { ForbiddenError, NotFoundError } from "~/lib/command.server";
import { COMMUNITY_STAFF, type Actor } from "~/modules/identity/actor";
import { can } from "./permissions";
import { canWithdrawPledge, DEFAULT_STAR_HOURS, hoursToNextStar, pledgeProgress, serviceMinutes, signupOpen, starLevel, venueCode, venueCodeChangesAt } from "./rules";
import type { WallFilter } from "./schemas";
import { serverNow } from "~/lib/clock.server";
import { localDate } from "~/lib/time";

/** One named query per page of pledges, activities and service records. */

const PAGE_SIZE = 30;

/** Subdistricts and communities, for the place filter and forms (tree order). */
async function places() {
  return db()
    .select({ id: units.id, name: units.name, kind: units.kind, path: units.path })
    .from(units)
    .where(inArray(units.kind, ["subdistrict", "community"]))
    .orderBy(asc(units.path));
}

/** Organisations the actor is an admin of, as OrgRefs. */
async function adminOrgs(actor: Actor) {
  const ids = Object.entries(actor.organizations)
    .filter(([, role]) => role === "admin")
    .map(([id]) => Number(id));
  if (ids.length === 0) return [];
  const rows = await db()
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, status: organizations.status, unitPath: units.path })
    .from(organizations)
    .innerJoin(units, eq(units.id, organizations.unitId))
    .where(inArray(organizations.id, ids));
  return rows.map((o) => ({ ...o, confirmed: o.status === "confirmed" }));
}

// ——— Pledges ———

const pledgeColumns = {
  id: pledges.id,
  category: pledges.category,
  text: pledges.text,
  unit: pledges.unit,
  amount: pledges.amount,
  achieved: pledges.achieved,
  status: pledges.status,
  startsOn: pledges.startsOn,
  endsOn: pledges.endsOn,
  userId: pledges.userId,
  organizationId: pledges.organizationId,
  withdrawReason: pledges.withdrawReason,
  pledger: sql<string>`coalesce(${users.displayName}, ${organizations.name})`,
  place: units.name,
};

function pledgeRows(where: SQL | undefined) {
  return db()
    .select(pledgeColumns)
    .from(pledges)
    .innerJoin(units, eq(units.id, pledges.unitId))
    .leftJoin(users, eq(users.id, pledges.userId))
    .leftJoin(organizations, eq(organizations.id, pledges.organizationId))
    .where(where);
}

/** The public pledge wall, filtered by place (a unit and everything under it), category and status. */
export async function pledgeWallPage(actor: Actor, filter: WallFilter, timeZone: string) {
  const [placeList, orgs] = await Promise.all([places(), adminOrgs(actor)]);
  const place = filter.unit ? placeList.find((p) => p.id === filter.unit) : undefined;
  const conditions: SQL[] = [];
  // The units under the place, as ids: the index on (unit_id, status, id) answers a narrow filter, and the
  // newest-first scan of the primary key stops after one page for a wide one (100 000 pledges: ADR 0021).
  if (place) conditions.push(sql`${pledges.unitId} in (select u.id from ${units} u where u.path like ${place.path + "%"})`);
  if (filter.category) conditions.push(eq(pledges.category, filter.category));
  if (filter.status) conditions.push(eq(pledges.status, filter.status));
  const rows = await pledgeRows(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(pledges.id))
    .limit(PAGE_SIZE + 1)
    .offset((filter.page - 1) * PAGE_SIZE);
  return {
    places: placeList.map(({ id, name, kind }) => ({ id, name, kind })),
    filter,
    pledges: rows.slice(0, PAGE_SIZE).map((p) => ({ ...p, progress: pledgeProgress(p) })),
    more: rows.length > PAGE_SIZE,
    canPledge: actor.partyMember || orgs.some((o) => can(actor, "pledge:create", { organization: o })),
    today: localDate(serverNow(), timeZone),
  };
}

/** The form to make a pledge: as oneself (a reported member) or for a unit Party organisation one administers. */
export async function newPledgePage(actor: Actor, now: Date, timeZone: string) {
  const orgs = (await adminOrgs(actor)).filter((o) => can(actor, "pledge:create", { organization: o }));
  const options = [...(can(actor, "pledge:create", { organization: null }) ? [{ value: "self", label: null as string | null }] : []), ...orgs.map((o) => ({ value: String(o.id), label: o.name }))];
  if (options.length === 0) throw new ForbiddenError("pledge:create");
  const today = localDate(now, timeZone);
  return { options, today, yearEnd: `${today.slice(0, 4)}-12-31` };
}

export async function pledgePage(actor: Actor, pledgeId: number, timeZone: string) {
  const [pledge] = await pledgeRows(eq(pledges.id, pledgeId));
  if (!pledge) throw new NotFoundError("pledge");
  const who =
    pledge.userId !== null
      ? sql`s.user_id = ${pledge.userId}`
      : sql`s.user_id in (select pr.user_id from ${partyReports} pr where pr.organization_id = ${pledge.organizationId} and pr.status = 'confirmed')`;
  // The verified service that counts toward it (what `achieved` sums), newest first.
  const contributions = await db().execute(sql`
    select a.id, a.title, a.starts_at as "startsAt", s.minutes, u.display_name as "name"
    from ${signups} s join ${activities} a on a.id = s.activity_id join ${users} u on u.id = s.user_id
    where s.attendance = 'verified' and s.minutes > 0 and a.category = ${pledge.category} and ${who}
      and (a.starts_at at time zone ${timeZone})::date between ${pledge.startsOn} and ${pledge.endsOn}
    order by a.starts_at desc limit 50`);
  const rows = (Array.isArray(contributions) ? contributions : (contributions as { rows: unknown[] }).rows) as {
    id: number;
    title: string;
    startsAt: string | Date;
    minutes: number;
    name: string;
  }[];
  return {
    pledge: { ...pledge, progress: pledgeProgress(pledge) },
    contributions: rows.map((r) => ({ ...r, startsAt: new Date(r.startsAt).toISOString() })),
    canWithdraw: canWithdrawPledge(pledge.status) && can(actor, "pledge:withdraw", { userId: pledge.userId, organizationId: pledge.organizationId }),
  };
}

// ——— Activities ———

const roleTotals = () =>
  db()
  .select({
    activityId: activityRoles.activityId,
    slots: sql<number>`sum(${activityRoles.slots})`.mapWith(Number).as("slots"),
  })
  .from(activityRoles)
  .groupBy(activityRoles.activityId);

/** Upcoming activities (and the last few past ones), with free slots. */
export async function activitiesPage(actor: Actor, now: Date) {
  const totals = roleTotals().as("totals");
  const taken = sql<number>`(select count(*) from ${signups} s where s.activity_id = ${activities.id} and s.status = 'signed_up')`.mapWith(Number);
  const base = () =>
    db()
      .select({
        id: activities.id,
        title: activities.title,
        category: activities.category,
        place: activities.place,
        startsAt: activities.startsAt,
        endsAt: activities.endsAt,
        eligibility: activities.eligibility,
        status: activities.status,
        unitName: units.name,
        slots: totals.slots,
        taken,
      })
      .from(activities)
      .innerJoin(units, eq(units.id, activities.unitId))
      .innerJoin(totals, eq(totals.activityId, activities.id));
  const [upcoming, past, orgs] = await Promise.all([
    base().where(gte(activities.endsAt, now)).orderBy(asc(activities.startsAt)).limit(50),
    base().where(lt(activities.endsAt, now)).orderBy(desc(activities.startsAt)).limit(10),
    adminOrgs(actor),
  ]);
  const view = (rows: typeof upcoming) => rows.map((a) => ({ ...a, startsAt: a.startsAt.toISOString(), endsAt: a.endsAt.toISOString() }));
  const canOrganize = actor.positions.some((p) => COMMUNITY_STAFF.includes(p.kind)) || orgs.some((o) => can(actor, "activity:organize", { unitPath: o.unitPath, organization: o }));
  return { upcoming: view(upcoming), past: view(past), canOrganize };
}

/** Where the actor may organise, and as whom. */
export async function newActivityPage(actor: Actor) {
  const [placeList, orgs] = await Promise.all([places(), adminOrgs(actor)]);
  const asStaff = placeList.filter((p) => can(actor, "activity:organize", { unitPath: p.path, organization: null }));
  const asOrgs = orgs.filter((o) => can(actor, "activity:organize", { unitPath: o.unitPath, organization: o }));
  const units = placeList.filter((p) => asStaff.includes(p) || asOrgs.some((o) => p.path.startsWith(o.unitPath)));
  if (units.length === 0) throw new ForbiddenError("activity:organize");
  return {
    as: [...(asStaff.length ? [{ value: "staff", label: null as string | null }] : []), ...asOrgs.map((o) => ({ value: String(o.id), label: o.name }))],
    units: units.map(({ id, name, kind }) => ({ id, name, kind })),
  };
}

/** One activity: its roles and free slots, the viewer's place, and for its organiser the roster and the venue code. */
export async function activityPage(actor: Actor, activityId: number, now: Date) {
  const creator = alias(users, "creator");
  const [row] = await db()
    .select({ a: activities, unitName: units.name, unitPath: units.path, orgName: organizations.name, creatorName: creator.displayName })
    .from(activities)
    .innerJoin(units, eq(units.id, activities.unitId))
    .innerJoin(creator, eq(creator.id, activities.createdBy))
    .leftJoin(organizations, eq(organizations.id, activities.organizationId))
    .where(eq(activities.id, activityId));
  if (!row) throw new NotFoundError("activity");
  const { a } = row;
  const roles = await db()
    .select({
      id: activityRoles.id,
      name: activityRoles.name,
      slots: activityRoles.slots,
      signedUp: sql<number>`count(${signups.id}) filter (where ${signups.status} = 'signed_up')`.mapWith(Number),
      waitlisted: sql<number>`count(${signups.id}) filter (where ${signups.status} = 'waitlisted')`.mapWith(Number),
    })
    .from(activityRoles)
    .leftJoin(signups, eq(signups.roleId, activityRoles.id))
    .where(eq(activityRoles.activityId, a.id))
    .groupBy(activityRoles.id)
    .orderBy(activityRoles.sortOrder);
  const [mine] = actor.userId ? await db().select().from(signups).where(and(eq(signups.activityId, a.id), eq(signups.userId, actor.userId))) : [];
  const organiser = can(actor, "activity:manage", { unitPath: row.unitPath, organizationId: a.organizationId, createdBy: a.createdBy });
  const roster = organiser
    ? (
        await db()
          .select({ s: signups, name: users.displayName })
          .from(signups)
          .innerJoin(users, eq(users.id, signups.userId))
          .where(and(eq(signups.activityId, a.id), sql`${signups.status} <> 'cancelled'`))
          .orderBy(asc(signups.seq))
      ).map(({ s, name }) => ({
        id: s.id,
        name,
        roleId: s.roleId,
        status: s.status,
        checkedInAt: s.checkedInAt?.toISOString() ?? null,
        checkedOutAt: s.checkedOutAt?.toISOString() ?? null,
        attendance: s.attendance,
        minutes: s.minutes,
        proposedMinutes: serviceMinutes(a, s.checkedInAt, s.checkedOutAt),
        correctionRequest: s.correctionAnswer === null ? s.correctionRequest : null,
      }))
    : null;
  const started = now.getTime() >= a.startsAt.getTime();
  return {
    activity: {
      id: a.id,
      title: a.title,
      description: a.description,
      category: a.category as PledgeCategory,
      place: a.place,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      eligibility: a.eligibility,
      status: a.status,
      unitId: a.unitId,
      unitName: row.unitName,
      organiser: row.orgName ?? row.creatorName,
    },
    roles,
    mine: mine
      ? {
          status: mine.status,
          roleId: mine.roleId,
          checkedInAt: mine.checkedInAt?.toISOString() ?? null,
          checkedOutAt: mine.checkedOutAt?.toISOString() ?? null,
          attendance: mine.attendance,
          minutes: mine.minutes,
          correctionRequest: mine.correctionRequest,
          correctionAnswer: mine.correctionAnswer,
        }
      : null,
    signupOpen: signupOpen(a, now),
    canSignUp: signupOpen(a, now) && can(actor, "activity:signUp", { eligibility: a.eligibility }),
    started,
    signedIn: actor.userId !== null,
    organiser: roster ? { roster, code: venueCode(a.codeSecret, now), codeChangesAt: venueCodeChangesAt(now).toISOString() } : null,
  };
}

// ——— Service records ———

/** The star levels (hours per star) of the district a place is in: its own setting, else the defaults. */
export async function starHoursAt(placePath: string | null): Promise<number[]> {
  if (!placePath) return [...DEFAULT_STAR_HOURS];
  const [row] = await db()
    .select({ hours: starLevels.hours })
    .from(starLevels)
    .innerJoin(units, eq(units.id, starLevels.districtId))
    .where(sql`${placePath} like ${units.path} || '%'`)
    .limit(1);
  return row?.hours ?? [...DEFAULT_STAR_HOURS];
}

/** A district's star levels as its administrators set them (null: the defaults apply). */
export async function districtStarLevels(districtId: number) {
  const [row] = await db().select().from(starLevels).where(eq(starLevels.districtId, districtId));
  return row ? { hours: row.hours, setAt: row.setAt.toISOString() } : null;
}

/** A member's yearly service record (who, what, where, when, hours, certified by whom), with their star level. */
export async function serviceRecordPage(actor: Actor, input: { userId: number; year: number }, timeZone: string) {
  const [person] = await db()
    .select({ name: users.displayName, workUnit: partyReports.workUnit, communityName: units.name, communityPath: units.path })
    .from(users)
    .leftJoin(partyReports, and(eq(partyReports.userId, users.id), eq(partyReports.status, "confirmed")))
    .leftJoin(units, eq(units.id, partyReports.communityId))
    .where(eq(users.id, input.userId));
  if (!person) throw new NotFoundError("person");
  if (!can(actor, "record:view", { userId: input.userId, communityPath: person.communityPath })) throw new ForbiddenError("record:view");
  // The stars of the district they serve in: where they reported, else where they live.
  const [home] = person.communityPath
    ? [{ path: person.communityPath, name: person.communityName }]
    : await db()
        .select({ path: units.path, name: units.name })
        .from(residencyClaims)
        .innerJoin(units, eq(units.id, residencyClaims.communityId))
        .where(and(eq(residencyClaims.userId, input.userId), eq(residencyClaims.status, "verified")))
        .limit(1);
  const starHours = await starHoursAt(home?.path ?? null);
  const certifier = alias(users, "certifier");
  const place = alias(units, "place");
  const lines = await db()
    .select({
      activityId: activities.id,
      title: activities.title,
      category: activities.category,
      place: activities.place,
      unitName: place.name,
      startsAt: activities.startsAt,
      role: activityRoles.name,
      minutes: signups.minutes,
      certifiedBy: certifier.displayName,
      organisation: organizations.name,
    })
    .from(signups)
    .innerJoin(activities, eq(activities.id, signups.activityId))
    .innerJoin(activityRoles, eq(activityRoles.id, signups.roleId))
    .innerJoin(place, eq(place.id, activities.unitId))
    .leftJoin(certifier, eq(certifier.id, signups.verifiedBy))
    .leftJoin(organizations, eq(organizations.id, activities.organizationId))
    .where(
      and(
        eq(signups.userId, input.userId),
        eq(signups.attendance, "verified"),
        sql`extract(year from ${activities.startsAt} at time zone ${timeZone}) = ${input.year}`,
      ),
    )
    .orderBy(asc(activities.startsAt));
  const [all] = await db()
    .select({ minutes: sql<number>`coalesce(sum(${signups.minutes}), 0)`.mapWith(Number) })
    .from(signups)
    .where(and(eq(signups.userId, input.userId), eq(signups.attendance, "verified")));
  const totalMinutes = lines.reduce((sum, l) => sum + (l.minutes ?? 0), 0);
  const cumulative = all!.minutes;
  return {
    person: { name: person.name, workUnit: person.workUnit, communityName: person.communityName },
    /** The community the record is issued in: where they reported, else where they live (null: neither). */
    home: home?.name ?? null,
    year: input.year,
    lines: lines.map((l) => ({ ...l, startsAt: l.startsAt.toISOString(), minutes: l.minutes ?? 0 })),
    totalMinutes,
    cumulativeMinutes: cumulative,
    stars: starLevel(cumulative, starHours),
    hoursToNextStar: hoursToNextStar(cumulative, starHours),
    starHours,
  };
}

// ——— Calendars ———

const calendarColumns = {
  id: activities.id,
  title: activities.title,
  description: activities.description,
  place: activities.place,
  unitName: units.name,
  startsAt: activities.startsAt,
  endsAt: activities.endsAt,
  status: activities.status,
  createdAt: activities.createdAt,
};

/** A unit's activities (itself and everything under it) from 30 days back, for its iCalendar feed. */
export async function unitCalendar(unitId: number, now: Date) {
  const [unit] = await db().select({ name: units.name, path: units.path }).from(units).where(eq(units.id, unitId));
  if (!unit) throw new NotFoundError("unit");
  const items = await db()
    .select(calendarColumns)
    .from(activities)
    .innerJoin(units, eq(units.id, activities.unitId))
    .where(and(sql`${units.path} like ${unit.path + "%"}`, gte(activities.endsAt, new Date(now.getTime() - 30 * 86_400_000))))
    .orderBy(asc(activities.startsAt))
    .limit(500);
  return { name: unit.name, items };
}

/** One activity as a calendar event ("add to calendar"). */
export async function activityCalendar(activityId: number) {
  const items = await db().select(calendarColumns).from(activities).innerJoin(units, eq(units.id, activities.unitId)).where(eq(activities.id, activityId));
  if (items.length === 0) throw new NotFoundError("activity");
  return { name: items[0]!.title, items };
}

/**
 * Yearly records of many members at once (a unit organisation printing its
 * reported members' records): three set-based statements whatever the number
 * of members. The caller has checked who may see them.
 */
export async function yearlyRecords(userIds: number[], year: number, timeZone: string, starHours: readonly number[] = DEFAULT_STAR_HOURS) {
  if (userIds.length === 0) return new Map<number, { name: string; lines: { title: string; startsAt: Date; minutes: number; certifiedBy: string | null }[]; totalMinutes: number; cumulativeMinutes: number; stars: number }>();
  const ids = sql`(select unnest(${`{${userIds.join(",")}}`}::int[]))`;
  const certifier = alias(users, "certifier");
  const [people, lines, totals] = await Promise.all([
    db().select({ id: users.id, name: users.displayName }).from(users).where(sql`${users.id} in ${ids}`),
    db()
      .select({ userId: signups.userId, title: activities.title, startsAt: activities.startsAt, minutes: signups.minutes, certifiedBy: certifier.displayName })
      .from(signups)
      .innerJoin(activities, eq(activities.id, signups.activityId))
      .leftJoin(certifier, eq(certifier.id, signups.verifiedBy))
      .where(and(sql`${signups.userId} in ${ids}`, eq(signups.attendance, "verified"), sql`extract(year from ${activities.startsAt} at time zone ${timeZone}) = ${year}`))
      .orderBy(asc(signups.userId), asc(activities.startsAt)),
    db()
      .select({ userId: signups.userId, minutes: sql<number>`sum(${signups.minutes})`.mapWith(Number) })
      .from(signups)
      .where(and(sql`${signups.userId} in ${ids}`, eq(signups.attendance, "verified")))
      .groupBy(signups.userId),
  ]);
  const cumulative = new Map(totals.map((t) => [t.userId, t.minutes]));
  const records = new Map(
    people.map((p) => [p.id, { name: p.name, lines: [] as { title: string; startsAt: Date; minutes: number; certifiedBy: string | null }[], totalMinutes: 0, cumulativeMinutes: cumulative.get(p.id) ?? 0, stars: starLevel(cumulative.get(p.id) ?? 0, starHours) }]),
  );
  for (const l of lines) {
    const r = records.get(l.userId);
    if (!r) continue;
    r.lines.push({ title: l.title, startsAt: l.startsAt, minutes: l.minutes ?? 0, certifiedBy: l.certifiedBy });
    r.totalMinutes += l.minutes ?? 0;
  }
  return records;
}
