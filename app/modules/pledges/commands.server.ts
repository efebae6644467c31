import { randomBytes } from "node:crypto";
import { and, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { rowsOf, type Database, type Tx } from "#db/client.server";
import { activities, activityRoles, organizations, partyReports, pledges, signups, starLevels, units, type ActivityEligibility, type Attendance } from "#db/schema";
import { config } from "~/config.server";
import { audit } from "~/lib/audit.server";
import { batcher } from "~/lib/batch.server";
import { CommandError, ForbiddenError, NotFoundError, runCommand, runStatement, type Outbox } from "~/lib/command.server";
import type { Actor } from "~/modules/identity/actor";
import { notify, notifyMany } from "~/modules/notifications/commands.server";
import { can, type OrgRef, type PledgeAction, type PledgeRules } from "./permissions";
import {
  canWithdrawPledge,
  checkInOpen,
  CHECK_IN_EARLY_MS,
  CHECK_OUT_LATE_MS,
  codeAction,
  nextToPromote,
  pledgePeriodError,
  pledgeStatusAt,
  reminderDue,
  serviceMinutes,
  starLevelsError,
  signupOpen,
  venueCodeValid,
  type SignupAsk,
  type SignupRefusal,
  verificationError,
} from "./rules";
import type { ActivityInput, PledgeInput, StarLevelsInput } from "./schemas";
import { serverNow } from "~/lib/clock.server";
import { localDate, localToInstant } from "~/lib/time";

/**
 * Every write of pledges, activities and service records: authorised with
 * `can`, one transaction each, an audit row, realtime only after commit.
 */

function authorize<A extends PledgeAction>(actor: Actor, action: A, resource: PledgeRules[A]): void {
  if (!can(actor, action, resource)) throw new ForbiddenError(action);
}

const zone = () => config().timeZone;

async function orgRef(tx: Tx, id: number): Promise<OrgRef & { unitId: number }> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, id));
  if (!org) throw new NotFoundError("organization");
  return { id: org.id, kind: org.kind, confirmed: org.status === "confirmed", unitId: org.unitId };
}

// ——— Pledges ———

/** A member pledges for themselves, or an organisation's admin for it. */
export async function createPledge(actor: Actor, input: PledgeInput, now = serverNow(), timeZone = zone()) {
  return runCommand(async (tx) => {
    const organization = input.as === "self" ? null : await orgRef(tx, Number(input.as));
    authorize(actor, "pledge:create", { organization });
    let unitId = organization?.unitId;
    if (!organization) {
      const [report] = await tx
        .select({ communityId: partyReports.communityId })
        .from(partyReports)
        .where(and(eq(partyReports.userId, actor.userId!), eq(partyReports.status, "confirmed")));
      if (!report) throw new ForbiddenError("pledge:create");
      unitId = report.communityId;
    }
    const periodError = pledgePeriodError(input.startsOn, input.endsOn, localDate(now, timeZone));
    if (periodError) throw new CommandError(periodError, "endsOn");
    const [pledge] = await tx
      .insert(pledges)
      .values({
        userId: organization ? null : actor.userId,
        organizationId: organization?.id ?? null,
        unitId: unitId!,
        category: input.category,
        text: input.text,
        unit: input.unit,
        amount: input.amount,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        createdBy: actor.userId!,
        createdAt: now,
      })
      .returning();
    await audit(tx, { actorId: actor.userId, action: "pledge.create", subjectType: "pledge", subjectId: pledge!.id, data: { amount: input.amount, unit: input.unit } });
    // Service already verified within the period counts from the start.
    await recomputePledges(tx, [pledge!.id], now, timeZone);
    return pledge!;
  });
}

export async function withdrawPledge(actor: Actor, input: { pledgeId: number; reason: string }, now = serverNow()) {
  return runCommand(async (tx) => {
    const [pledge] = await tx.select().from(pledges).where(eq(pledges.id, input.pledgeId)).for("update");
    if (!pledge) throw new NotFoundError("pledge");
    authorize(actor, "pledge:withdraw", { userId: pledge.userId, organizationId: pledge.organizationId });
    if (!canWithdrawPledge(pledge.status)) throw new CommandError("pledge.error.notActive");
    await tx.update(pledges).set({ status: "withdrawn", withdrawReason: input.reason, closedAt: now }).where(eq(pledges.id, pledge.id));
    await audit(tx, { actorId: actor.userId, action: "pledge.withdraw", subjectType: "pledge", subjectId: pledge.id, data: { reason: input.reason } });
  });
}

/**
 * Recount what these pledges have achieved from verified service: a member's
 * own, an organisation's from the members who reported with it (双报到), in
 * the pledge's category and period. An active pledge that reaches its amount
 * is fulfilled.
 */
async function recomputePledges(tx: Tx, pledgeIds: number[], now: Date, timeZone: string) {
  if (pledgeIds.length === 0) return;
  await tx.execute(sql`
    update ${pledges} p set achieved = coalesce((
      select case when p.unit = 'hours' then sum(s.minutes) else count(*) end
      from ${signups} s join ${activities} a on a.id = s.activity_id
      where s.attendance = 'verified' and s.minutes > 0 and a.category = p.category
        and (a.starts_at at time zone ${timeZone})::date between p.starts_on and p.ends_on
        and (s.user_id = p.user_id or (p.organization_id is not null and s.user_id in (
          select pr.user_id from ${partyReports} pr where pr.organization_id = p.organization_id and pr.status = 'confirmed')))
    ), 0)
    where p.id in ${pledgeIds} and p.status in ('active', 'fulfilled')`);
  const rows = await tx.select().from(pledges).where(and(inArray(pledges.id, pledgeIds), eq(pledges.status, "active")));
  const today = localDate(now, timeZone);
  for (const p of rows) {
    if (pledgeStatusAt(p, today) === "fulfilled") await tx.update(pledges).set({ status: "fulfilled", closedAt: now }).where(eq(pledges.id, p.id));
  }
}

/** Recount every open pledge (the demo seed, after writing service directly). */
export async function recomputeAllPledges(tx: Tx, now: Date, timeZone: string) {
  const rows = await tx.select({ id: pledges.id }).from(pledges).where(inArray(pledges.status, ["active", "fulfilled"]));
  await recomputePledges(
    tx,
    rows.map((r) => r.id),
    now,
    timeZone,
  );
}

/** The pledges a person's verified service counts toward: their own and their reporting organisation's. */
async function recomputePledgesOf(tx: Tx, userId: number, now: Date, timeZone: string) {
  const rows = await tx
    .select({ id: pledges.id })
    .from(pledges)
    .where(
      sql`${pledges.status} in ('active', 'fulfilled') and (${pledges.userId} = ${userId} or ${pledges.organizationId} in (
        select organization_id from ${partyReports} where user_id = ${userId} and status = 'confirmed' and organization_id is not null))`,
    );
  await recomputePledges(
    tx,
    rows.map((r) => r.id),
    now,
    timeZone,
  );
}

/**
 * Pledges whose period has ended lapse by themselves (scheduler, ADR 0010):
 * restart-safe, several nodes may run it (skip-locked rows, guarded update).
 */
export async function lapseDuePledges(now = serverNow(), timeZone = zone()) {
  return runCommand(async (tx, outbox) => {
    const today = localDate(now, timeZone);
    const due = await tx
      .select()
      .from(pledges)
      .where(and(eq(pledges.status, "active"), lt(pledges.endsOn, today)))
      .for("update", { skipLocked: true })
      .limit(500);
    for (const p of due) {
      const status = pledgeStatusAt(p, today);
      // Active and past its end: fulfilled or lapsed, nothing else.
      if (status !== "fulfilled" && status !== "lapsed") continue;
      await tx.update(pledges).set({ status, closedAt: now }).where(and(eq(pledges.id, p.id), eq(pledges.status, "active")));
      await audit(tx, { actorId: null, action: `pledge.${status}`, subjectType: "pledge", subjectId: p.id });
      await notify(tx, outbox, { userId: p.createdBy, kind: status === "lapsed" ? "notification.pledgeLapsed" : "notification.pledgeFulfilled", params: { text: p.text }, link: `/pledges/${p.id}` });
    }
    return due.length;
  });
}

// ——— Activities ———

/**
 * Remind the volunteers signed up for an activity the day before and an hour
 * before it starts (scheduler, ADR 0010): from stored flags, so a restart
 * neither loses nor repeats one, and several nodes may run it (skip-locked
 * rows). In-app, and by email or SMS as each person chose (ADR 0022).
 */
export async function remindActivities(now = serverNow(), timeZone = zone()) {
  return runCommand(async (tx, outbox) => {
    const soon = await tx
      .select()
      .from(activities)
      .where(
        and(
          eq(activities.status, "open"),
          gt(activities.startsAt, now),
          lte(activities.startsAt, new Date(now.getTime() + 24 * 3_600_000)),
          or(isNull(activities.remindedDayAt), isNull(activities.remindedHourAt)),
        ),
      )
      .for("update", { skipLocked: true })
      .limit(200);
    let sent = 0;
    for (const a of soon) {
      const due = reminderDue(a, now);
      if (!due) continue;
      const volunteers = await tx
        .select({ userId: signups.userId })
        .from(signups)
        .where(and(eq(signups.activityId, a.id), eq(signups.status, "signed_up")));
      const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(a.startsAt);
      await notifyMany(
        tx,
        outbox,
        volunteers.map((v) => v.userId),
        { kind: due === "day" ? "notification.activityTomorrow" : "notification.activitySoon", params: { title: a.title, time, place: a.place }, link: `/activities/${a.id}`, at: now },
      );
      await tx
        .update(activities)
        .set(due === "day" ? { remindedDayAt: now } : { remindedHourAt: now, remindedDayAt: a.remindedDayAt ?? now })
        .where(eq(activities.id, a.id));
      sent += volunteers.length;
    }
    return sent;
  });
}

export async function createActivity(actor: Actor, input: ActivityInput, now = serverNow(), timeZone = zone()) {
  return runCommand(async (tx) => {
    const [unit] = await tx.select().from(units).where(eq(units.id, input.unitId));
    if (!unit || (unit.kind !== "community" && unit.kind !== "subdistrict")) throw new CommandError("validation.choose", "unitId");
    const organization = input.as === "staff" ? null : await orgRef(tx, Number(input.as));
    authorize(actor, "activity:organize", { unitPath: unit.path, organization });
    if (organization) {
      const [home] = await tx.select({ path: units.path }).from(units).where(eq(units.id, organization.unitId));
      if (!home || !unit.path.startsWith(home.path)) throw new CommandError("activity.error.unitOutside", "unitId");
    }
    const startsAt = localToInstant(input.startsAt, timeZone);
    const endsAt = localToInstant(input.endsAt, timeZone);
    if (!startsAt) throw new CommandError("activity.error.time", "startsAt");
    if (!endsAt) throw new CommandError("activity.error.time", "endsAt");
    if (startsAt.getTime() <= now.getTime()) throw new CommandError("activity.error.startsInPast", "startsAt");
    if (endsAt.getTime() <= startsAt.getTime()) throw new CommandError("activity.error.endsBeforeStart", "endsAt");
    if (endsAt.getTime() - startsAt.getTime() > 12 * 3_600_000) throw new CommandError("activity.error.tooLong", "endsAt");
    const [activity] = await tx
      .insert(activities)
      .values({
        unitId: unit.id,
        organizationId: organization?.id ?? null,
        createdBy: actor.userId!,
        title: input.title,
        description: input.description,
        category: input.category,
        place: input.place,
        startsAt,
        endsAt,
        eligibility: input.eligibility,
        codeSecret: randomBytes(20).toString("hex"),
        createdAt: now,
      })
      .returning();
    await tx.insert(activityRoles).values(input.roles.map((r, i) => ({ activityId: activity!.id, name: r.name, slots: r.slots, sortOrder: i })));
    await audit(tx, { actorId: actor.userId, action: "activity.create", subjectType: "activity", subjectId: activity!.id });
    return activity!;
  });
}

/** Lock the activity: every change to its slots goes one at a time, in arrival order. */
async function lockActivity(tx: Tx, activityId: number) {
  const [activity] = await tx.select().from(activities).where(eq(activities.id, activityId)).for("update");
  if (!activity) throw new NotFoundError("activity");
  return activity;
}

/** The slot counts every open page of the activity shows. */
export async function roleCounts(tx: Tx, activityId: number) {
  return tx
    .select({
      roleId: activityRoles.id,
      signedUp: sql<number>`count(${signups.id}) filter (where ${signups.status} = 'signed_up')`.mapWith(Number),
      waitlisted: sql<number>`count(${signups.id}) filter (where ${signups.status} = 'waitlisted')`.mapWith(Number),
    })
    .from(activityRoles)
    .leftJoin(signups, eq(signups.roleId, activityRoles.id))
    .where(eq(activityRoles.activityId, activityId))
    .groupBy(activityRoles.id)
    .orderBy(activityRoles.sortOrder);
}

/**
 * Tell the activity's room. Slot counts travel only with changes of places (a cancellation here, under the
 * activity's lock; sign-ups from their function, under the same lock), so the room's numbers order every
 * count it carries (ADR 0046). Attendance changes no place: its event carries no counts, and the
 * organiser's screen reloads its roster.
 */
async function announce(tx: Tx, outbox: Outbox, activityId: number, attendance = false) {
  if (attendance) outbox.emit(`activity:${activityId}`, "activity:changed", { activityId, roles: [], attendance });
  else outbox.emit(`activity:${activityId}`, "activity:changed", { activityId, roles: await roleCounts(tx, activityId) });
}

interface SignUpItem {
  actor: Actor;
  activityId: number;
  roleId: number;
  now: Date;
}
/** What a sign-up answers: the person's place (not the whole row: a batch returns only this). */
export type Place = { id: number; userId: number; roleId: number; status: (typeof signups.$inferSelect)["status"]; seq: number };
type SignUpAnswer = { row: Place } | { error: unknown };

/** What `activity_sign_up` answers for a batch (null: no such activity). */
export interface SignUpStatementResult {
  items: ({ n: number; outcome: SignupRefusal } | ({ n: number; outcome: "placed" | "kept" } & Place))[];
  roles: { roleId: number; signedUp: number; waitlisted: number }[];
  /** The activity room's number for the counts, when a place changed hands: numbered by the function under the activity's lock (ADR 0046). */
  roomSeq?: number;
}

/** The messages of the refusals, kept here beside the rest of the module's (the database answers a reason only). */
const refusal: Record<SignupRefusal, () => Error> = {
  forbidden: () => new ForbiddenError("activity:signUp"),
  closed: () => new CommandError("activity.error.closed"),
  no_role: () => new CommandError("validation.choose", "roleId"),
};

/**
 * One request as the placing rule sees it. permissions.ts decides, for each kind of activity, whether this
 * person may join (a new kind of eligibility fails to compile here until the database function knows it too).
 */
function signupAsk(item: SignUpItem): SignupAsk {
  const may: Record<ActivityEligibility, boolean> = {
    members: can(item.actor, "activity:signUp", { eligibility: "members" }),
    residents: can(item.actor, "activity:signUp", { eligibility: "residents" }),
  };
  return { userId: item.actor.userId, roleId: item.roleId, at: item.now, may };
}

/** Postgres array literals of whole numbers, instants and booleans (the batch's arrays as one parameter each). */
const intArray = (xs: readonly (number | null)[]) => `{${xs.map((x) => (x === null ? "NULL" : String(Math.trunc(x)))).join(",")}}`;
const instantArray = (xs: readonly Date[]) => `{${xs.map((x) => `"${x.toISOString()}"`).join(",")}}`;
const boolArray = (xs: readonly boolean[]) => `{${xs.map((x) => (x ? "t" : "f")).join(",")}}`;

/**
 * Send one batch of sign-ups for one activity to `activity_sign_up`
 * (migration 0026), the database's transcription of `placeSignups`: it locks
 * the activity, counts, places, writes the rows and their audit rows and
 * answers each request, in one statement. Exported for the test that holds
 * the two together.
 */
export async function signUpStatement(q: Database, activityId: number, asks: readonly SignupAsk[]): Promise<SignUpStatementResult | null> {
  const result = await q.execute(sql`select activity_sign_up(
    ${activityId}::int,
    ${intArray(asks.map((a) => a.userId))}::int[],
    ${intArray(asks.map((a) => a.roleId))}::int[],
    ${instantArray(asks.map((a) => a.at))}::timestamptz[],
    ${boolArray(asks.map((a) => a.may.members))}::boolean[],
    ${boolArray(asks.map((a) => a.may.residents))}::boolean[]
  ) as answer`);
  const [row] = rowsOf<{ answer: SignUpStatementResult | string | null }>(result);
  const answer = row?.answer ?? null;
  return typeof answer === "string" ? (JSON.parse(answer) as SignUpStatementResult) : answer;
}

/**
 * Sign-ups that arrive together go as one statement per activity (group
 * commit, ADR 0015 and 0021): `activity_sign_up` locks the activity once,
 * hands out the places in arrival order and writes the new rows, outside any
 * BEGIN … COMMIT, so the lock is held only while the database works (ADR 0021
 * amendment). Each person still gets their own answer (a refusal does not
 * fail the others).
 */
const signUpBatch = batcher<SignUpItem, SignUpAnswer>(
  async (items) => {
    const answers = new Array<SignUpAnswer>(items.length);
    const byActivity = new Map<number, number[]>();
    items.forEach((item, i) => byActivity.set(item.activityId, [...(byActivity.get(item.activityId) ?? []), i]));
    for (const [activityId, indexes] of byActivity) {
      try {
        await runStatement((q, outbox) => signUpTogether(q, outbox, activityId, indexes.map((i) => items[i]!), (k, answer) => (answers[indexes[k]!] = answer)));
      } catch (error) {
        for (const i of indexes) answers[i] ??= { error };
      }
    }
    return answers;
  },
  { maxBatch: 200, maxInFlight: 2 },
);

/** One activity's part of a batch: one statement, then each person's answer, and the live counts if a place changed hands. */
async function signUpTogether(q: Database, outbox: Outbox, activityId: number, items: SignUpItem[], answer: (k: number, a: SignUpAnswer) => void) {
  const result = await signUpStatement(q, activityId, items.map(signupAsk));
  if (!result) throw new NotFoundError("activity");
  if (result.items.length !== items.length) throw new Error(`A sign-up batch of ${items.length} got ${result.items.length} answers.`);
  let placed = false;
  for (const item of result.items) {
    if (item.outcome === "placed" || item.outcome === "kept") {
      placed ||= item.outcome === "placed";
      answer(item.n - 1, { row: { id: item.id, userId: item.userId, roleId: item.roleId, status: item.status, seq: item.seq } });
    } else answer(item.n - 1, { error: refusal[item.outcome]() });
  }
  // The counts as the function left them under the lock (no second read), numbered there too (ADR 0046).
  if (placed) outbox.messages.push({ room: `activity:${activityId}`, event: "activity:changed", args: [{ activityId, roles: result.roles }], seq: result.roomSeq });
}

/** How many sign-up batches have been sent, carrying how many sign-ups (tests and benchmarks). */
export const signUpStats = signUpBatch.stats;

/**
 * Take a slot of a role, or the next place on its waitlist when it is full.
 * A second sign-up is the same record; after a cancellation it queues again at the end.
 */
export async function signUp(actor: Actor, input: { activityId: number; roleId: number }, now = serverNow()): Promise<Place> {
  const answer = await signUpBatch({ actor, activityId: input.activityId, roleId: input.roleId, now });
  if ("error" in answer) throw answer.error;
  return answer.row;
}

/** Give up one's place before the start; the earliest on the role's waitlist moves up by itself. */
export async function cancelSignup(actor: Actor, input: { activityId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const activity = await lockActivity(tx, input.activityId);
    if (actor.userId === null) throw new ForbiddenError("signup:own");
    const [mine] = await tx.select().from(signups).where(and(eq(signups.activityId, activity.id), eq(signups.userId, actor.userId)));
    if (!mine || mine.status === "cancelled") throw new CommandError("activity.error.notSignedUp");
    authorize(actor, "signup:own", { userId: mine.userId });
    if (!signupOpen(activity, now)) throw new CommandError("activity.error.started");
    await tx.update(signups).set({ status: "cancelled", cancelledAt: now }).where(eq(signups.id, mine.id));
    let promoted: number | null = null;
    if (mine.status === "signed_up") {
      const queue = await tx.select().from(signups).where(and(eq(signups.roleId, mine.roleId), eq(signups.status, "waitlisted")));
      const next = nextToPromote(queue);
      if (next) {
        await tx.update(signups).set({ status: "signed_up" }).where(eq(signups.id, next.id));
        promoted = next.userId;
        await notify(tx, outbox, { userId: next.userId, kind: "notification.activityPromoted", params: { title: activity.title }, link: `/activities/${activity.id}` });
      }
      await notify(tx, outbox, { userId: activity.createdBy, kind: "notification.activityCancelled", params: { title: activity.title }, link: `/activities/${activity.id}` });
    }
    await audit(tx, { actorId: actor.userId, action: "activity.cancel", subjectType: "activity", subjectId: activity.id, data: { promoted } });
    await announce(tx, outbox, activity.id);
    return { promoted };
  });
}

/** Check in (then, later, out) with the code shown at the venue. */
export async function checkInWithCode(actor: Actor, input: { activityId: number; code: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const activity = await lockActivity(tx, input.activityId);
    if (actor.userId === null) throw new ForbiddenError("signup:own");
    const [mine] = await tx.select().from(signups).where(and(eq(signups.activityId, activity.id), eq(signups.userId, actor.userId)));
    if (!mine || mine.status !== "signed_up") throw new CommandError("activity.error.notSignedUp", "code");
    authorize(actor, "signup:own", { userId: mine.userId });
    if (!venueCodeValid(activity.codeSecret, input.code, now)) throw new CommandError("activity.error.codeWrong", "code");
    const step = codeAction(mine, now);
    if (step === "in") {
      if (!checkInOpen(activity, now)) throw new CommandError("activity.error.checkInClosed", "code");
      await tx.update(signups).set({ checkedInAt: now }).where(eq(signups.id, mine.id));
    } else if (step === "out") {
      if (now.getTime() > activity.endsAt.getTime() + CHECK_OUT_LATE_MS) throw new CommandError("activity.error.checkInClosed", "code");
      await tx.update(signups).set({ checkedOutAt: now }).where(eq(signups.id, mine.id));
    }
    if (step === "in" || step === "out") {
      await audit(tx, { actorId: actor.userId, action: `activity.check${step === "in" ? "In" : "Out"}`, subjectType: "signup", subjectId: mine.id, data: { by: "code" } });
      await announce(tx, outbox, activity.id, true);
    }
    return step;
  });
}

async function organisersSignup(tx: Tx, actor: Actor, signupId: number) {
  const [row] = await tx.select().from(signups).where(eq(signups.id, signupId)).for("update");
  if (!row) throw new NotFoundError("signup");
  const [activity] = await tx
    .select({ a: activities, unitPath: units.path })
    .from(activities)
    .innerJoin(units, eq(units.id, activities.unitId))
    .where(eq(activities.id, row.activityId));
  authorize(actor, "activity:manage", { unitPath: activity!.unitPath, organizationId: activity!.a.organizationId, createdBy: activity!.a.createdBy });
  if (row.status !== "signed_up") throw new CommandError("activity.error.notSignedUp");
  return { row, activity: activity!.a };
}

/** The organiser checks a volunteer in or out, or records that they did not come. A second check-in changes nothing. */
export async function recordAttendance(actor: Actor, input: { signupId: number; intent: "checkIn" | "checkOut" | "noShow" }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { row, activity } = await organisersSignup(tx, actor, input.signupId);
    const from = activity.startsAt.getTime() - CHECK_IN_EARLY_MS;
    const until = activity.endsAt.getTime() + CHECK_OUT_LATE_MS;
    if (now.getTime() < from || now.getTime() > until) throw new CommandError("activity.error.checkInClosed");
    let set: Partial<typeof signups.$inferInsert> | null = null;
    if (input.intent === "checkIn" && !row.checkedInAt) set = { checkedInAt: now, attendance: "pending" };
    if (input.intent === "checkOut") {
      if (!row.checkedInAt) throw new CommandError("activity.error.notCheckedIn");
      if (!row.checkedOutAt) set = { checkedOutAt: now };
    }
    if (input.intent === "noShow") {
      if (row.checkedInAt) throw new CommandError("activity.error.cameAlready");
      if (now.getTime() < activity.startsAt.getTime()) throw new CommandError("activity.error.notStarted");
      set = { attendance: "no_show" satisfies Attendance, minutes: 0, verifiedBy: actor.userId, verifiedAt: now };
    }
    if (!set) return row;
    const [updated] = await tx.update(signups).set(set).where(eq(signups.id, row.id)).returning();
    await audit(tx, { actorId: actor.userId, action: `activity.${input.intent}`, subjectType: "signup", subjectId: row.id, data: { by: "organiser" } });
    if (input.intent === "noShow") await recomputePledgesOf(tx, row.userId, now, zone());
    await announce(tx, outbox, activity.id, true);
    return updated!;
  });
}

/**
 * The organiser verifies the service time (only then does it count for the
 * record and the pledges), correcting it with a reason if need be. This also
 * answers a volunteer's request for a correction.
 */
export async function verifyHours(actor: Actor, input: { signupId: number; hours: number; reason?: string }, now = serverNow(), timeZone = zone()) {
  return runCommand(async (tx, outbox) => {
    const { row, activity } = await organisersSignup(tx, actor, input.signupId);
    if (now.getTime() < activity.startsAt.getTime()) throw new CommandError("activity.error.notStarted");
    // Whoever records certifies, but nobody certifies their own hours.
    if (row.userId === actor.userId) throw new CommandError("activity.error.ownHours", "hours");
    const minutes = Math.round(input.hours * 60);
    const proposed = serviceMinutes(activity, row.checkedInAt, row.checkedOutAt);
    const whole = Math.ceil((activity.endsAt.getTime() - activity.startsAt.getTime()) / 60_000);
    const error = verificationError(proposed, minutes, input.reason, whole);
    if (error) throw new CommandError(error, error === "activity.error.correctionReason" ? "reason" : "hours");
    const reason = minutes === proposed ? null : input.reason!.trim();
    await tx
      .update(signups)
      .set({
        attendance: "verified",
        minutes,
        correctionReason: reason,
        correctionAnswer: row.correctionRequest ? (reason ?? "—") : row.correctionAnswer,
        verifiedBy: actor.userId,
        verifiedAt: now,
      })
      .where(eq(signups.id, row.id));
    await audit(tx, { actorId: actor.userId, action: "activity.verify", subjectType: "signup", subjectId: row.id, data: { minutes, proposed, reason } });
    await recomputePledgesOf(tx, row.userId, now, timeZone);
    await notify(tx, outbox, { userId: row.userId, kind: "notification.hoursVerified", params: { title: activity.title, hours: Math.round(minutes / 6) / 10 }, link: `/activities/${activity.id}` });
    await announce(tx, outbox, activity.id, true);
  });
}

/** The volunteer asks the organiser to correct their verified time. */
export async function requestCorrection(actor: Actor, input: { activityId: number; text: string }) {
  return runCommand(async (tx, outbox) => {
    if (actor.userId === null) throw new ForbiddenError("signup:own");
    const [mine] = await tx.select().from(signups).where(and(eq(signups.activityId, input.activityId), eq(signups.userId, actor.userId)));
    if (!mine) throw new CommandError("activity.error.notSignedUp", "text");
    authorize(actor, "signup:own", { userId: mine.userId });
    if (mine.attendance === "pending") throw new CommandError("activity.error.notVerified", "text");
    await tx.update(signups).set({ correctionRequest: input.text, correctionAnswer: null }).where(eq(signups.id, mine.id));
    const [activity] = await tx.select().from(activities).where(eq(activities.id, input.activityId));
    await audit(tx, { actorId: actor.userId, action: "activity.askCorrection", subjectType: "signup", subjectId: mine.id });
    await notify(tx, outbox, { userId: activity!.createdBy, kind: "notification.correctionAsked", params: { title: activity!.title }, link: `/activities/${activity!.id}` });
    await announce(tx, outbox, activity!.id, true);
  });
}

// ——— Star levels ———

/** A district administrator sets the district's star levels (hours per star, ascending); records and dashboards use them at once. */
export async function setStarLevels(actor: Actor, input: StarLevelsInput, now = serverNow()) {
  return runCommand(async (tx) => {
    const [district] = await tx.select({ path: units.path, kind: units.kind }).from(units).where(eq(units.id, input.districtId));
    if (!district) throw new NotFoundError("district");
    if (district.kind !== "district") throw new CommandError("unit.error.notDistrict", "districtId");
    authorize(actor, "starLevels:set", { districtPath: district.path });
    const error = starLevelsError(input.hours);
    if (error) throw new CommandError(error.message, `star${error.index + 1}`);
    const [before] = await tx.select().from(starLevels).where(eq(starLevels.districtId, input.districtId));
    const values = { hours: input.hours, setBy: actor.userId, setAt: now };
    await tx
      .insert(starLevels)
      .values({ districtId: input.districtId, ...values })
      .onConflictDoUpdate({ target: starLevels.districtId, set: values });
    await audit(tx, { actorId: actor.userId, action: "starLevels:set", subjectType: "star_levels", subjectId: input.districtId, data: { before: before?.hours ?? null, after: input.hours } });
  });
}
