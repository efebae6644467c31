import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { activities, activityRoles, auditEvents, residencyClaims, signups, type SignupStatus } from "#db/schema";
import { CommandError, ForbiddenError, NotFoundError } from "~/lib/command.server";
import { visitor } from "~/modules/identity/actor";
import { cancelSignup, signUp, signUpStatement, type SignUpStatementResult } from "~/modules/pledges/commands.server";
import { placeSignups, type SignupAsk, type SignupBoard, type SignupOutcome } from "~/modules/pledges/rules";
import { createUser } from "../support/factories";
import { activityIn, actorOf, buildPledgeWorld, hoursFrom, NOW, type PledgeWorld } from "../support/pledge-world";

/**
 * The placing rule lives in two places (ADR 0021, amendment "one statement a
 * batch"): `placeSignups` in rules.ts states it, the database function
 * `activity_sign_up` (migration 0026) carries it out under the activity's
 * lock. These tests hold them together: the same scenarios through both must
 * give the same answers, the same records and the same counts.
 */

/** A small deterministic generator (mulberry32): the scenarios are the same on every run and both databases. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

interface Scenario {
  status: "open" | "cancelled";
  eligibility: "members" | "residents";
  /** Slots of each role. */
  slots: number[];
  /** Records already there: person (index into the pool), role (index), status; arrival numbers in this order. */
  before: { person: number; role: number; status: SignupStatus }[];
  /** Requests in arrival order: person (index, or null for a visitor), role (index; -1: a role of another activity), after the start? */
  asks: { person: number | null; role: number; late: boolean; may: { members: boolean; residents: boolean } }[];
}

async function insertActivity(w: PledgeWorld, s: Pick<Scenario, "status" | "eligibility" | "slots">) {
  const [a] = await db()
    .insert(activities)
    .values({
      unitId: w.c.id,
      createdBy: w.people.communityWorker.id,
      title: "胡同清洁日",
      category: "environment",
      place: "史家胡同口",
      startsAt: hoursFrom(NOW, 24),
      endsAt: hoursFrom(NOW, 26),
      eligibility: s.eligibility,
      status: s.status,
      codeSecret: "test",
    })
    .returning();
  const roles = await db()
    .insert(activityRoles)
    .values(s.slots.map((slots, i) => ({ activityId: a!.id, name: `岗位${i}`, slots, sortOrder: i })))
    .returning();
  return { activity: a!, roles };
}

/** What the rule is given: the activity, its roles with their counts, the askers' records and the last arrival number, read from the database. */
async function boardOf(activityId: number, userIds: number[]): Promise<SignupBoard> {
  const [a] = await db().select().from(activities).where(eq(activities.id, activityId));
  const roles = await db().select().from(activityRoles).where(eq(activityRoles.activityId, activityId)).orderBy(activityRoles.sortOrder);
  const rows = await db().select().from(signups).where(eq(signups.activityId, activityId));
  const mine = rows.filter((r) => userIds.includes(r.userId));
  return {
    activity: { status: a!.status, startsAt: a!.startsAt, eligibility: a!.eligibility },
    roles: roles.map((r) => ({
      id: r.id,
      slots: r.slots,
      taken: rows.filter((s) => s.roleId === r.id && s.status === "signed_up").length,
      waiting: rows.filter((s) => s.roleId === r.id && s.status === "waitlisted").length,
    })),
    places: new Map(mine.map((r) => [r.userId, { roleId: r.roleId, status: r.status, seq: r.seq }])),
    lastSeq: Math.max(0, ...rows.map((r) => r.seq)),
  };
}

/** Runs one scenario through both and returns what each answered, and the records the database holds afterwards. */
async function runBoth(w: PledgeWorld, pool: number[], foreignRoleId: number, s: Scenario) {
  const { activity, roles } = await insertActivity(w, s);
  if (s.before.length)
    await db()
      .insert(signups)
      .values(
        s.before.map((b, i) => ({
          activityId: activity.id,
          roleId: roles[b.role]!.id,
          userId: pool[b.person]!,
          status: b.status,
          seq: i + 1,
          createdAt: NOW,
        })),
      );
  const asks: SignupAsk[] = s.asks.map((a, i) => ({
    userId: a.person === null ? null : pool[a.person]!,
    roleId: a.role === -1 ? foreignRoleId : roles[a.role % roles.length]!.id,
    at: a.late ? hoursFrom(NOW, 24 + i / 100) : new Date(NOW.getTime() + i * 1000),
    may: a.person === null ? { members: false, residents: false } : a.may,
  }));
  const board = await boardOf(
    activity.id,
    asks.flatMap((a) => (a.userId === null ? [] : [a.userId])),
  );
  const expected = placeSignups(board, asks);
  const got = await signUpStatement(db(), activity.id, asks);
  const after = await db().select().from(signups).where(eq(signups.activityId, activity.id));
  return { activity, roles, asks, expected, got: got!, after };
}

/** An outcome in a form both sides can be compared in. */
const plain = (o: SignupOutcome) => ("place" in o ? { outcome: o.outcome, userId: o.userId, ...o.place } : { outcome: o.outcome });
// A refusal carries its number and outcome only: anything else it carried would show in the comparison.
const plainItem = (i: SignUpStatementResult["items"][number]) =>
  i.outcome === "placed" || i.outcome === "kept"
    ? { outcome: i.outcome, userId: i.userId, roleId: i.roleId, status: i.status, seq: i.seq }
    : { ...i, n: undefined };

function scenario(seed: number): Scenario {
  const r = random(seed);
  const slots = Array.from({ length: 1 + r.int(3) }, () => r.int(4));
  const statuses: SignupStatus[] = ["signed_up", "waitlisted", "cancelled"];
  const people = [0, 1, 2, 3, 4, 5, 6, 7];
  const before: Scenario["before"] = [];
  for (const person of people) if (r.next() < 0.35) before.push({ person, role: r.int(slots.length), status: r.pick(statuses) });
  const asks: Scenario["asks"] = Array.from({ length: 1 + r.int(12) }, () => ({
    person: r.next() < 0.05 ? null : r.int(people.length),
    role: r.next() < 0.08 ? -1 : r.int(slots.length),
    late: r.next() < 0.06,
    may: { members: r.next() < 0.7, residents: r.next() < 0.9 },
  }));
  return { status: r.next() < 0.1 ? "cancelled" : "open", eligibility: r.next() < 0.3 ? "members" : "residents", slots, before, asks };
}

describe("activity_sign_up agrees with placeSignups", () => {
  it("gives the same answers, records and counts for 40 generated scenarios", async () => {
    const w = await buildPledgeWorld();
    const pool: number[] = [];
    for (let i = 0; i < 8; i++) pool.push((await createUser()).id);
    const other = await activityIn(w);
    const [foreignRole] = await db().select().from(activityRoles).where(eq(activityRoles.activityId, other.id));
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const s = scenario(seed);
      const { expected, got, after } = await runBoth(w, pool, foreignRole!.id, s);
      const where = `scenario ${seed}: ${JSON.stringify(s)}`;
      // Every request's answer, in order.
      expect(got.items.map(plainItem), where).toEqual(expected.outcomes.map(plain));
      expect(got.items.map((i) => i.n)).toEqual(expected.outcomes.map((_, k) => k + 1));
      // The counts announced live.
      expect(
        [...got.roles].sort((a, b) => a.roleId - b.roleId),
        where,
      ).toEqual([...expected.roles].sort((a, b) => a.roleId - b.roleId));
      // The records: everyone the rule placed or kept holds exactly that place, once.
      for (const o of expected.outcomes) {
        if (!("place" in o)) continue;
        const rows = after.filter((r) => r.userId === o.userId);
        expect(rows, where).toHaveLength(1);
        expect({ roleId: rows[0]!.roleId, status: rows[0]!.status, seq: rows[0]!.seq }, where).toEqual(o.place);
      }
      // Answers that name a record name the one the database holds.
      for (const item of got.items)
        if (item.outcome === "placed" || item.outcome === "kept")
          expect(after.find((r) => r.id === item.id)?.userId, where).toBe(item.userId);
      for (const o of expected.outcomes) seen.add(o.outcome);
    }
    // The generated scenarios reached every outcome (else they prove less than they claim).
    expect([...seen].sort()).toEqual(["closed", "forbidden", "kept", "no_role", "placed"]);
  });

  it("agrees at the edges: a full role, an empty waitlist at zero slots, a double click, a requeue, a closed and a cancelled activity", async () => {
    const w = await buildPledgeWorld();
    const pool: number[] = [];
    for (let i = 0; i < 6; i++) pool.push((await createUser()).id);
    const other = await activityIn(w);
    const [foreignRole] = await db().select().from(activityRoles).where(eq(activityRoles.activityId, other.id));
    const may = { members: true, residents: true };
    const ask = (person: number, role = 0, late = false) => ({ person, role, late, may });
    const cases: Scenario[] = [
      // Full: two slots, two taken; newcomers wait in arrival order.
      {
        status: "open",
        eligibility: "residents",
        slots: [2],
        before: [
          { person: 0, role: 0, status: "signed_up" },
          { person: 1, role: 0, status: "signed_up" },
        ],
        asks: [ask(2), ask(3)],
      },
      // No slots at all: everyone waits.
      { status: "open", eligibility: "residents", slots: [0], before: [], asks: [ask(0), ask(1)] },
      // The last slot goes to the first of the batch; the same person twice is one record.
      { status: "open", eligibility: "residents", slots: [1], before: [], asks: [ask(0), ask(1), ask(0), ask(1)] },
      // A held place is kept whatever role is asked; a cancelled record is reused with the next arrival number.
      {
        status: "open",
        eligibility: "residents",
        slots: [3, 1],
        before: [
          { person: 0, role: 0, status: "cancelled" },
          { person: 1, role: 1, status: "signed_up" },
        ],
        asks: [ask(1, 0), ask(0, 0), ask(2, 1)],
      },
      // After the start, and a cancelled activity: closed.
      { status: "open", eligibility: "residents", slots: [5], before: [], asks: [ask(0, 0, true), ask(1)] },
      { status: "cancelled", eligibility: "residents", slots: [5], before: [], asks: [ask(0)] },
      // Members only: a resident is refused before anything else is looked at; a role of another activity is refused.
      {
        status: "open",
        eligibility: "members",
        slots: [5],
        before: [],
        asks: [
          { person: 0, role: -1, late: true, may: { members: false, residents: true } },
          { ...ask(1), role: -1 },
        ],
      },
    ];
    for (const [i, s] of cases.entries()) {
      const { expected, got } = await runBoth(w, pool, foreignRole!.id, s);
      expect(got.items.map(plainItem), `case ${i}`).toEqual(expected.outcomes.map(plain));
    }
    // And what the rule says in those cases, spelled out once.
    const r = await runBoth(w, pool, foreignRole!.id, cases[3]!);
    expect(r.expected.outcomes.map((o) => ("place" in o ? [o.outcome, o.place.status, o.place.seq] : [o.outcome]))).toEqual([
      ["kept", "signed_up", 2],
      ["placed", "signed_up", 3],
      ["placed", "waitlisted", 4],
    ]);
  });
});

describe("signing up through activity_sign_up", () => {
  async function residents(w: PledgeWorld, n: number) {
    const people = [];
    for (let i = 0; i < n; i++) {
      const u = await createUser();
      await db()
        .insert(residencyClaims)
        .values({ userId: u.id, communityId: w.c.id, address: `史家胡同${i}号`, status: "verified" });
      people.push(await actorOf(u.id));
    }
    return people;
  }
  const roleOf = async (activityId: number) =>
    (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activityId) }))!;

  it("fills the slots, then waitlists; a second sign-up or a retry is the same record, with one audit row", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { slots: 2 });
    const role = await roleOf(activity.id);
    const [a, b, c] = await residents(w, 3);
    const first = await Promise.all([a!, b!, c!, a!].map((p) => signUp(p, { activityId: activity.id, roleId: role.id }, NOW)));
    expect(first.map((p) => [p.status, p.seq])).toEqual([
      ["signed_up", 1],
      ["signed_up", 2],
      ["waitlisted", 3],
      ["signed_up", 1],
    ]);
    expect(first[3]!.id).toBe(first[0]!.id);
    // A retry later (the answer was lost): the same record, nothing written.
    const retry = await signUp(c!, { activityId: activity.id, roleId: role.id }, hoursFrom(NOW, 1));
    expect(retry).toEqual(first[2]);
    const rows = await db().select().from(signups).where(eq(signups.activityId, activity.id));
    expect(rows).toHaveLength(3);
    const audits = await db()
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.subjectType, "activity"),
          eq(auditEvents.subjectId, String(activity.id)),
          inArray(auditEvents.action, ["activity.signed_up", "activity.waitlisted"]),
        ),
      );
    expect(audits.map((e) => [e.actorId, e.action]).sort()).toEqual(
      [
        [a!.userId, "activity.signed_up"],
        [b!.userId, "activity.signed_up"],
        [c!.userId, "activity.waitlisted"],
      ].sort(),
    );
  });

  it("answers each request of a batch on its own: a wrong role or a visitor is refused, the rest are placed", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { slots: 5 });
    const role = await roleOf(activity.id);
    const other = await activityIn(w);
    const otherRole = await roleOf(other.id);
    const [a, b] = await residents(w, 2);
    const results = await Promise.allSettled([
      signUp(a!, { activityId: activity.id, roleId: otherRole.id }, NOW),
      signUp(visitor, { activityId: activity.id, roleId: role.id }, NOW),
      signUp(b!, { activityId: activity.id, roleId: role.id }, NOW),
      signUp(a!, { activityId: activity.id, roleId: role.id }, NOW),
    ]);
    expect(results[0]).toMatchObject({
      status: "rejected",
      reason: expect.objectContaining({ messageKey: "validation.choose", field: "roleId" }),
    });
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(CommandError);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ForbiddenError);
    expect(results[2]).toMatchObject({ status: "fulfilled", value: { userId: b!.userId, status: "signed_up", seq: 1 } });
    expect(results[3]).toMatchObject({ status: "fulfilled", value: { userId: a!.userId, status: "signed_up", seq: 2 } });
  });

  it("refuses a cancelled activity and one that has started, and says so for an activity that does not exist", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { slots: 5 });
    const role = await roleOf(activity.id);
    const [a] = await residents(w, 1);
    await expect(signUp(a!, { activityId: activity.id, roleId: role.id }, hoursFrom(NOW, 24))).rejects.toMatchObject({
      messageKey: "activity.error.closed",
    });
    await db().update(activities).set({ status: "cancelled" }).where(eq(activities.id, activity.id));
    await expect(signUp(a!, { activityId: activity.id, roleId: role.id }, NOW)).rejects.toMatchObject({
      messageKey: "activity.error.closed",
    });
    await expect(signUp(a!, { activityId: activity.id + 1000, roleId: role.id }, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await db().select().from(signups).where(eq(signups.activityId, activity.id))).toHaveLength(0);
  });

  it("lets the earliest waiting move up on a cancellation, and a returning person queue at the end", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { slots: 1 });
    const role = await roleOf(activity.id);
    const [a, b, c] = await residents(w, 3);
    for (const p of [a!, b!, c!]) await signUp(p, { activityId: activity.id, roleId: role.id }, NOW);
    const { promoted } = await cancelSignup(a!, { activityId: activity.id }, NOW);
    expect(promoted).toBe(b!.userId);
    const back = await signUp(a!, { activityId: activity.id, roleId: role.id }, NOW);
    expect(back).toMatchObject({ status: "waitlisted", seq: 4 });
  });

  it("refuses a batch whose arrays differ in length (a caller's mistake, never a half-done batch)", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { slots: 5 });
    const error = await db()
      .execute(
        sql`select activity_sign_up(${activity.id}::int, '{1,2}'::int[], '{1}'::int[], '{}'::timestamptz[], '{t,t}'::boolean[], '{t,t}'::boolean[])`,
      )
      .then(
        () => null,
        (e: unknown) => e as Error & { cause?: Error },
      );
    expect(String(error?.cause?.message ?? error?.message)).toMatch(/same length/);
  });
});
