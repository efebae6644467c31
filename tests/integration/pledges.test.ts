import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditEvents, notifications, pledges, residencyClaims, signups, starLevels } from "#db/schema";
import { CommandError } from "~/lib/command.server";
import {
  cancelSignup,
  checkInWithCode,
  createPledge,
  lapseDuePledges,
  recordAttendance,
  remindActivities,
  requestCorrection,
  setStarLevels,
  signUp,
  signUpStats,
  verifyHours,
  withdrawPledge,
} from "~/modules/pledges/commands.server";
import { pledgeWallPage, serviceRecordPage } from "~/modules/pledges/queries.server";
import { serviceFigures, memberService } from "~/modules/pledges/dashboard.server";
import { venueCode } from "~/modules/pledges/rules";
import { starLevelsSchema } from "~/modules/pledges/schemas";
import { createUser } from "../support/factories";
import { activityIn, actorOf, buildPledgeWorld, hoursFrom, NOW, TZ } from "../support/pledge-world";

const pledge = (as: string, amount = 2, extra: Partial<{ startsOn: string; endsOn: string; unit: "hours" | "times" }> = {}) => ({
  as,
  category: "environment" as const,
  text: "每月参加一次胡同清洁",
  unit: extra.unit ?? ("hours" as const),
  amount,
  startsOn: extra.startsOn ?? "2026-12-01",
  endsOn: extra.endsOn ?? "2026-12-31",
});

describe("activities: sign-up, waitlist and the race for slots", () => {
  it("gives N slots to the first N of many racing members, the rest wait in arrival order, none lost or doubled", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { slots: 5 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const people = [];
    for (let i = 0; i < 30; i++) {
      const u = await createUser();
      await db().insert(residencyClaims).values({ userId: u.id, communityId: w.c.id, address: `史家胡同${i}号`, status: "verified" });
      people.push(await actorOf(u.id));
    }
    // Everyone at once, some twice (a double click): the second is the same record.
    const results = await Promise.all([...people, ...people.slice(0, 10)].map((a) => signUp(a, { activityId: activity.id, roleId: role.id }, NOW)));
    const rows = await db().select().from(signups).where(eq(signups.activityId, activity.id));
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(30);
    const bySeq = [...rows].sort((a, b) => a.seq - b.seq);
    expect(bySeq.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(bySeq.slice(0, 5).every((r) => r.status === "signed_up")).toBe(true);
    expect(bySeq.slice(5).every((r) => r.status === "waitlisted")).toBe(true);
    // The double clicks got back the record their first click made.
    for (let i = 0; i < 10; i++) expect(results[30 + i]!.id).toBe(results[i]!.id);

    // A signed-up person cancels: the earliest on the waitlist moves up, nobody else.
    const leaving = bySeq[2]!;
    const out = await cancelSignup(people.find((p) => p.userId === leaving.userId)!, { activityId: activity.id }, NOW);
    expect(out.promoted).toBe(bySeq[5]!.userId);
    const after = await db().select().from(signups).where(eq(signups.activityId, activity.id));
    expect(after.filter((r) => r.status === "signed_up").map((r) => r.seq).sort((a, b) => a - b)).toEqual([1, 2, 4, 5, 6]);
    // Signing up again after cancelling queues at the end.
    const back = await signUp(people.find((p) => p.userId === leaving.userId)!, { activityId: activity.id, roleId: role.id }, NOW);
    expect(back).toMatchObject({ id: leaving.id, status: "waitlisted", seq: 31 });
  });

  it("keeps the places exact when batches overlap: a batch waiting for the lock reads what the one before it wrote", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { slots: 7 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const people = [];
    for (let i = 0; i < 40; i++) {
      const u = await createUser();
      await db().insert(residencyClaims).values({ userId: u.id, communityId: w.c.id, address: `史家胡同${i}号`, status: "verified" });
      people.push(await actorOf(u.id));
    }
    // One sign-up each turn of the event loop, without waiting for the answers: batches leave while others hold the lock.
    const batchesBefore = signUpStats.batches;
    const pending = [];
    for (const a of people) {
      pending.push(signUp(a, { activityId: activity.id, roleId: role.id }, NOW));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    expect(signUpStats.batches - batchesBefore).toBeGreaterThan(2);
    const rows = await db().select().from(signups).where(eq(signups.activityId, activity.id)).orderBy(signups.seq);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(rows.filter((r) => r.status === "signed_up").map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("closes sign-up at the start and refuses members-only activities to residents", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { inHours: 1 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const resident = await actorOf(w.people.resident.id);
    await expect(signUp(resident, { activityId: activity.id, roleId: role.id }, hoursFrom(NOW, 1))).rejects.toBeInstanceOf(CommandError);
    const membersOnly = await activityIn(w, { eligibility: "members" });
    const role2 = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, membersOnly.id) }))!;
    await expect(signUp(resident, { activityId: membersOnly.id, roleId: role2.id }, NOW)).rejects.toThrow("forbidden");
  });
});

describe("pledges: progress from verified hours, fulfilment, lapse, withdrawal", () => {
  it("credits verified hours to the member's and their unit organisation's pledges", async () => {
    const w = await buildPledgeWorld();
    const member = await actorOf(w.people.partyMember.id);
    const own = await createPledge(member, pledge("self", 2), NOW, TZ);
    const orgPledge = await createPledge(await actorOf(w.unitOrgAdmin.id), pledge(String(w.unitOrg.id), 10), NOW, TZ);
    expect(own).toMatchObject({ status: "active", achieved: 0, unitId: w.c.id });

    const activity = await activityIn(w, { inHours: 24 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const mine = await signUp(member, { activityId: activity.id, roleId: role.id }, NOW);
    const start = activity.startsAt;
    // The wrong code is refused beside the field; the venue's code checks in, then (later) out.
    await expect(checkInWithCode(member, { activityId: activity.id, code: "000000" === venueCode(activity.codeSecret, start) ? "111111" : "000000" }, start)).rejects.toMatchObject({ field: "code" });
    expect(await checkInWithCode(member, { activityId: activity.id, code: venueCode(activity.codeSecret, start) }, start)).toBe("in");
    expect(await checkInWithCode(member, { activityId: activity.id, code: venueCode(activity.codeSecret, hoursFrom(start, 0.05)) }, hoursFrom(start, 0.05))).toBe("already_in");
    const out = hoursFrom(start, 2);
    expect(await checkInWithCode(member, { activityId: activity.id, code: venueCode(activity.codeSecret, out) }, out)).toBe("out");

    const organiser = await actorOf(w.people.communityWorker.id);
    // A correction needs a reason.
    await expect(verifyHours(organiser, { signupId: mine.id, hours: 1.5 }, out, TZ)).rejects.toMatchObject({ field: "reason" });
    await verifyHours(organiser, { signupId: mine.id, hours: 2 }, out, TZ);

    const [ownAfter] = await db().select().from(pledges).where(eq(pledges.id, own.id));
    const [orgAfter] = await db().select().from(pledges).where(eq(pledges.id, orgPledge.id));
    expect(ownAfter).toMatchObject({ achieved: 120, status: "fulfilled" });
    expect(orgAfter).toMatchObject({ achieved: 120, status: "active" });

    // The volunteer asks for a correction; the organiser answers by verifying again.
    await requestCorrection(member, { activityId: activity.id, text: "我还多干了半小时" });
    await verifyHours(organiser, { signupId: mine.id, hours: 2, reason: undefined }, out, TZ);
    const [answered] = await db().select().from(signups).where(eq(signups.id, mine.id));
    expect(answered!.correctionAnswer).not.toBeNull();

    const record = await serviceRecordPage(member, { userId: member.userId!, year: 2026 }, TZ);
    expect(record.lines).toHaveLength(1);
    expect(record.totalMinutes).toBe(120);
    const wall = await pledgeWallPage(member, { page: 1, unit: w.s.id }, TZ);
    expect(wall.pledges.map((p) => p.id).sort()).toEqual([own.id, orgPledge.id].sort());
  });

  it("records a no-show, which earns nothing", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w);
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const s = await signUp(await actorOf(w.people.resident.id), { activityId: activity.id, roleId: role.id }, NOW);
    const organiser = await actorOf(w.people.communityWorker.id);
    await expect(recordAttendance(organiser, { signupId: s.id, intent: "noShow" }, NOW)).rejects.toBeInstanceOf(CommandError);
    const row = await recordAttendance(organiser, { signupId: s.id, intent: "noShow" }, hoursFrom(activity.startsAt, 1));
    expect(row).toMatchObject({ attendance: "no_show", minutes: 0 });
  });

  it("never lets an organiser certify their own hours", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w);
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const worker = await actorOf(w.people.communityWorker.id);
    // The worker organised it and (as a verified resident) volunteers in it too.
    await db().insert(residencyClaims).values({ userId: worker.userId!, communityId: w.c.id, address: "史家胡同9号", status: "verified" });
    const own = await signUp(await actorOf(worker.userId!), { activityId: activity.id, roleId: role.id }, NOW);
    await expect(verifyHours(worker, { signupId: own.id, hours: 0 }, hoursFrom(activity.startsAt, 3), TZ)).rejects.toMatchObject({ messageKey: "activity.error.ownHours" });
    await verifyHours(await actorOf(w.people.subdistrictOfficer.id), { signupId: own.id, hours: 0 }, hoursFrom(activity.startsAt, 3), TZ);
  });

  it("lapses a pledge after its period by itself, once, and lets the pledger withdraw an active one with a reason", async () => {
    const w = await buildPledgeWorld();
    const member = await actorOf(w.people.partyMember.id);
    const short = await createPledge(member, pledge("self", 5, { startsOn: "2026-12-01", endsOn: "2026-12-02" }), NOW, TZ);
    const long = await createPledge(member, pledge("self", 5), NOW, TZ);
    // Still its last day at 23:59 Beijing time; lapsed the minute after midnight.
    expect(await lapseDuePledges(new Date("2026-12-02T15:59:00Z"), TZ)).toBe(0);
    expect(await lapseDuePledges(new Date("2026-12-02T16:01:00Z"), TZ)).toBe(1);
    expect(await lapseDuePledges(new Date("2026-12-02T16:02:00Z"), TZ)).toBe(0);
    const [lapsed] = await db().select().from(pledges).where(eq(pledges.id, short.id));
    expect(lapsed!.status).toBe("lapsed");
    await expect(withdrawPledge(member, { pledgeId: short.id, reason: "工作调动" })).rejects.toBeInstanceOf(CommandError);
    await withdrawPledge(member, { pledgeId: long.id, reason: "工作调动" }, NOW);
    const [withdrawn] = await db().select().from(pledges).where(eq(pledges.id, long.id));
    expect(withdrawn).toMatchObject({ status: "withdrawn", withdrawReason: "工作调动" });
    const audits = await db().select().from(auditEvents).where(eq(auditEvents.subjectType, "pledge"));
    expect(audits.map((a) => a.action).sort()).toEqual(["pledge.create", "pledge.create", "pledge.lapsed", "pledge.withdraw"]);
  });

  it("refuses a period that ends before it starts, next to the field", async () => {
    const w = await buildPledgeWorld();
    const member = await actorOf(w.people.partyMember.id);
    await expect(createPledge(member, pledge("self", 5, { startsOn: "2026-12-10", endsOn: "2026-12-05" }), NOW, TZ)).rejects.toMatchObject({
      messageKey: "pledge.error.endsBeforeStart",
      field: "endsOn",
    });
  });
});

describe("reminders before an activity", () => {
  it("reach those signed up the day before and an hour before, once each, and nobody on the waitlist or who cancelled", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { slots: 2, inHours: 30 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const people = [];
    for (let i = 0; i < 4; i++) {
      const u = await createUser();
      await db().insert(residencyClaims).values({ userId: u.id, communityId: w.c.id, address: `史家胡同${i}号`, status: "verified" });
      people.push(await actorOf(u.id));
    }
    for (const a of people) await signUp(a, { activityId: activity.id, roleId: role.id }, NOW);
    await cancelSignup(people[1]!, { activityId: activity.id }, NOW); // people[2] moves up; people[3] waits
    const reminded = async (kind: string) =>
      (await db().select({ userId: notifications.userId, kind: notifications.kind, link: notifications.link }).from(notifications))
        .filter((n) => n.kind === kind && n.link === `/activities/${activity.id}`)
        .map((n) => n.userId)
        .sort((a, b) => a - b);
    const expected = [people[0]!.userId!, people[2]!.userId!].sort((a, b) => a - b);

    await remindActivities(hoursFrom(NOW, 5), TZ); // 25 hours ahead: not yet
    expect(await reminded("notification.activityTomorrow")).toEqual([]);
    await remindActivities(hoursFrom(NOW, 7), TZ); // 23 hours ahead
    expect(await reminded("notification.activityTomorrow")).toEqual(expected);
    await remindActivities(hoursFrom(NOW, 8), TZ); // again (a second node, a restart): nothing more
    expect(await reminded("notification.activityTomorrow")).toEqual(expected);
    expect(await reminded("notification.activitySoon")).toEqual([]);
    await remindActivities(hoursFrom(NOW, 29.5), TZ); // half an hour ahead
    await remindActivities(hoursFrom(NOW, 29.6), TZ);
    expect(await reminded("notification.activitySoon")).toEqual(expected);
    const [note] = await db().select().from(notifications).where(eq(notifications.userId, people[0]!.userId!));
    expect(note!.params).toMatchObject({ title: "胡同清洁日", place: "史家胡同口", time: "16:00" });
  });

  it("gives an activity made less than an hour ahead only the hour's reminder", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { inHours: 0.75 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    await signUp(await actorOf(w.people.resident.id), { activityId: activity.id, roleId: role.id }, NOW);
    await remindActivities(NOW, TZ);
    await remindActivities(hoursFrom(NOW, 0.1), TZ);
    const kinds = (await db().select().from(notifications).where(eq(notifications.userId, w.people.resident.id))).filter((n) => n.link === `/activities/${activity.id}`).map((n) => n.kind);
    expect(kinds).toEqual(["notification.activitySoon"]);
  });
});

describe("service dashboards", () => {
  it("count a community's and a unit organisation's members, pledges, verified hours by month and the pledges kept", async () => {
    const w = await buildPledgeWorld();
    const member = await actorOf(w.people.partyMember.id);
    const kept = await createPledge(member, pledge("self", 1), NOW, TZ);
    await createPledge(await actorOf(w.otherMember.id), pledge("self", 50), NOW, TZ);
    const activity = await activityIn(w, { slots: 5, inHours: 24 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const place = await signUp(member, { activityId: activity.id, roleId: role.id }, NOW);
    await verifyHours(await actorOf(w.people.communityWorker.id), { signupId: place.id, hours: 1.5, reason: "组织者现场确认" }, hoursFrom(NOW, 27), TZ);

    const community = await serviceFigures(db(), { kind: "unit", path: w.c.path }, 2026, TZ);
    expect(community).toMatchObject({ membersReported: 2, activePledges: 1, fulfilled: 1, lapsed: 0, fulfilmentRate: 1, activities: 1, minutes: 90 });
    expect(community.months[11]).toBe(90); // the activity is in December
    expect(community.months.slice(0, 11).every((m) => m === 0)).toBe(true);
    // The whole district counts the same; another district nothing.
    expect(await serviceFigures(db(), { kind: "unit", path: w.districtA.path }, 2026, TZ)).toMatchObject({ minutes: 90, membersReported: 2 });
    expect(await serviceFigures(db(), { kind: "unit", path: w.districtB.path }, 2026, TZ)).toMatchObject({ minutes: 0, membersReported: 0, fulfilmentRate: null });
    // The organisation: both reported members are linked to it; last year is empty.
    expect(await serviceFigures(db(), { kind: "org", id: w.unitOrg.id }, 2026, TZ)).toMatchObject({ membersReported: 2, minutes: 90, fulfilled: 1 });
    expect(await serviceFigures(db(), { kind: "org", id: w.unitOrg.id }, 2025, TZ)).toMatchObject({ minutes: 0, fulfilled: 0 });
    const rows = await memberService(db(), w.unitOrg.id, 2026, TZ);
    expect(rows.map((r) => [r.name, r.minutes, r.active, r.fulfilled])).toEqual([
      [w.people.partyMember.displayName, 90, 0, 1],
      [w.otherMember.displayName, 0, 1, 0],
    ]);
    expect((await db().select().from(pledges).where(eq(pledges.id, kept.id)))[0]!.status).toBe("fulfilled");
  });
});

describe("star levels per district", () => {
  it("are the defaults until a district administrator sets them; then records and dashboards use the district's", async () => {
    const w = await buildPledgeWorld();
    const member = await actorOf(w.people.partyMember.id);
    const activity = await activityIn(w, { slots: 5, inHours: 24 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const place = await signUp(member, { activityId: activity.id, roleId: role.id }, NOW);
    await verifyHours(await actorOf(w.people.communityWorker.id), { signupId: place.id, hours: 2, reason: "组织者现场确认" }, hoursFrom(NOW, 27), TZ);

    // Two hours: no star by the defaults (100 h for the first).
    const before = await serviceRecordPage(member, { userId: member.userId!, year: 2026 }, TZ);
    expect(before).toMatchObject({ stars: 0, hoursToNextStar: 98, starHours: [100, 300, 600, 1000, 1500] });

    const admin = await actorOf(w.people.districtAdmin.id);
    // Not ascending, or not a whole positive number: refused beside the star's field, nothing stored.
    await expect(setStarLevels(admin, { districtId: w.districtA.id, hours: [1, 3, 3, 10, 20] }, NOW)).rejects.toMatchObject({ messageKey: "stars.error.ascending", field: "star3" });
    await expect(setStarLevels(admin, { districtId: w.districtA.id, hours: [0, 3, 5, 10, 20] }, NOW)).rejects.toMatchObject({ messageKey: "stars.error.range", field: "star1" });
    await expect(setStarLevels(admin, { districtId: w.s.id, hours: [1, 2, 3, 4, 5] }, NOW)).rejects.toMatchObject({ messageKey: "unit.error.notDistrict" });
    expect(await db().select().from(starLevels)).toHaveLength(0);

    await setStarLevels(admin, { districtId: w.districtA.id, hours: [1, 2, 5, 10, 20] }, NOW);
    const after = await serviceRecordPage(member, { userId: member.userId!, year: 2026 }, TZ);
    expect(after).toMatchObject({ stars: 2, hoursToNextStar: 3, starHours: [1, 2, 5, 10, 20] });
    const rows = await memberService(db(), w.unitOrg.id, 2026, TZ);
    expect(rows.find((r) => r.id === member.userId)!.stars).toBe(2);
    expect(rows.find((r) => r.id === w.otherMember.id)!.stars).toBe(0);
    // Setting them again replaces them, and the change is audited with what it was.
    await setStarLevels(admin, { districtId: w.districtA.id, hours: [2, 4, 6, 8, 10] }, NOW);
    expect((await serviceRecordPage(member, { userId: member.userId!, year: 2026 }, TZ)).stars).toBe(1);
    const audits = await db().select().from(auditEvents).where(eq(auditEvents.action, "starLevels:set"));
    expect(audits.map((a) => a.data)).toEqual([
      { before: null, after: [1, 2, 5, 10, 20] },
      { before: [1, 2, 5, 10, 20], after: [2, 4, 6, 8, 10] },
    ]);
    // The database refuses levels out of order even if a caller skipped the rule.
    await expect(db().insert(starLevels).values({ districtId: w.districtB.id, hours: [5, 4, 3, 2, 1], setAt: NOW })).rejects.toThrow();
  });

  it("are checked in the form: five whole hours, each above the one before, the message beside the star", () => {
    const ok = starLevelsSchema.safeParse({ districtId: "1", star1: "10", star2: "20", star3: "30", star4: "40", star5: "50" });
    expect(ok.success && ok.data).toEqual({ districtId: 1, hours: [10, 20, 30, 40, 50] });
    const bad = starLevelsSchema.safeParse({ districtId: "1", star1: "10", star2: "20", star3: "30", star4: "25", star5: "50" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["star4", "stars.error.ascending"]]);
    const odd = starLevelsSchema.safeParse({ districtId: "1", star1: "0", star2: "20", star3: "30", star4: "40", star5: "50.5" });
    expect(odd.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["star1", "stars.error.range"],
      ["star5", "stars.error.range"],
    ]);
  });
});
