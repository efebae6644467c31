import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { CommandError, ForbiddenError } from "~/lib/command.server";
import { visitor, type Actor } from "~/modules/identity/actor";
import {
  cancelSignup,
  checkInWithCode,
  createActivity,
  createPledge,
  recordAttendance,
  requestCorrection,
  signUp,
  verifyHours,
  withdrawPledge,
} from "~/modules/pledges/commands.server";
import { serviceRecordPage } from "~/modules/pledges/queries.server";
import { venueCode } from "~/modules/pledges/rules";
import { activityIn, actorOf, buildPledgeWorld, hoursFrom, NOW, TZ, type PledgeWorld } from "../support/pledge-world";

/**
 * The permission matrix of pledges, activities and service records: every
 * role × every action through the real commands and page queries.
 * allow = done; deny = 403; refuse = a business rule said no after the permission check.
 */
const roles = [
  "visitor",
  "unverified",
  "resident",
  "partyMember",
  "orgAdmin",
  "unitOrgAdmin",
  "communityWorker",
  "otherCommunityWorker",
  "subdistrictOfficer",
  "departmentOfficer",
  "districtAdmin",
] as const;
type Role = (typeof roles)[number];
type Outcome = "allow" | "deny" | "refuse";

function who(w: PledgeWorld, role: Role): Promise<Actor> {
  if (role === "visitor") return Promise.resolve(visitor);
  return actorOf(role === "unitOrgAdmin" ? w.unitOrgAdmin.id : w.people[role].id);
}

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return "allow";
  } catch (error) {
    if (error instanceof ForbiddenError) return "deny";
    if (error instanceof CommandError) return "refuse";
    throw error;
  }
}

const only = (map: Partial<Record<Role, Outcome>>) => Object.fromEntries(roles.map((r) => [r, map[r] ?? "deny"]));
/** Sign-ups are open to verified residents and members; everyone else has no place to act on. */
const ownPlace = (outcome: Outcome): Record<string, Outcome> => ({ ...only({ resident: outcome, partyMember: outcome }), ...Object.fromEntries(roles.filter((r) => !["visitor", "resident", "partyMember"].includes(r)).map((r) => [r, "refuse"])) });

const pledgeInput = (as: string) => ({ as, category: "environment" as const, text: "每月参加一次胡同清洁", unit: "hours" as const, amount: 4, startsOn: "2026-12-01", endsOn: "2026-12-31" });
const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
const activityInput = (as: string, unitId: number) => ({
  as,
  unitId,
  title: "社区助老服务",
  description: "",
  category: "serving_people" as const,
  place: "社区活动室",
  startsAt: local(hoursFrom(NOW, 24)),
  endsAt: local(hoursFrom(NOW, 26)),
  eligibility: "residents" as const,
  roles: [{ name: "陪伴", slots: 5 }],
});

async function firstRole(activityId: number) {
  return (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activityId) }))!;
}

/** An activity in C with the resident signed up (and, if asked, checked in and out and verified). */
async function residentPlace(w: PledgeWorld, stage: "signed" | "verified") {
  const activity = await activityIn(w);
  const role = await firstRole(activity.id);
  const s = await signUp(await actorOf(w.people.resident.id), { activityId: activity.id, roleId: role.id }, NOW);
  if (stage === "verified") await verifyHours(await actorOf(w.people.communityWorker.id), { signupId: s.id, hours: 0 }, hoursFrom(activity.startsAt, 3), TZ);
  return { activity, signup: s };
}

/** Sign the actor up if they may (ignoring a refusal), so the next step acts on their own place. */
async function placeFor(a: Actor, activityId: number) {
  const role = await firstRole(activityId);
  await signUp(a, { activityId, roleId: role.id }, NOW).catch(() => null);
}

const cases: { action: string; expected: Record<string, Outcome>; attempt: (w: PledgeWorld, a: Actor) => Promise<() => Promise<unknown>> }[] = [
  {
    action: "pledge as oneself",
    expected: only({ partyMember: "allow" }),
    attempt: async (_w, a) => () => createPledge(a, pledgeInput("self"), NOW, TZ),
  },
  {
    action: "pledge for a unit Party organisation",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => () => createPledge(a, pledgeInput(String(w.unitOrg.id)), NOW, TZ),
  },
  {
    action: "pledge for a civil-society organisation (only unit Party organisations pledge)",
    expected: only({}),
    attempt: async (w, a) => () => createPledge(a, pledgeInput(String(w.org.id)), NOW, TZ),
  },
  {
    action: "withdraw a member's pledge",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => {
      const p = await createPledge(await actorOf(w.people.partyMember.id), pledgeInput("self"), NOW, TZ);
      return () => withdrawPledge(a, { pledgeId: p.id, reason: "工作调动" }, NOW);
    },
  },
  {
    action: "withdraw an organisation's pledge",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => {
      const p = await createPledge(await actorOf(w.unitOrgAdmin.id), pledgeInput(String(w.unitOrg.id)), NOW, TZ);
      return () => withdrawPledge(a, { pledgeId: p.id, reason: "单位调整" }, NOW);
    },
  },
  {
    action: "organise an activity as community staff",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => () => createActivity(a, activityInput("staff", w.c.id), NOW, TZ),
  },
  {
    action: "organise an activity for a verified civil-society organisation",
    expected: only({ orgAdmin: "allow" }),
    attempt: async (w, a) => () => createActivity(a, activityInput(String(w.org.id), w.c.id), NOW, TZ),
  },
  {
    action: "organise an activity for a unit Party organisation",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => () => createActivity(a, activityInput(String(w.unitOrg.id), w.c.id), NOW, TZ),
  },
  {
    action: "sign up for an activity open to residents",
    expected: only({ resident: "allow", partyMember: "allow" }),
    attempt: async (w, a) => {
      const activity = await activityIn(w);
      const role = await firstRole(activity.id);
      return () => signUp(a, { activityId: activity.id, roleId: role.id }, NOW);
    },
  },
  {
    action: "sign up for a members-only activity",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => {
      const activity = await activityIn(w, { eligibility: "members" });
      const role = await firstRole(activity.id);
      return () => signUp(a, { activityId: activity.id, roleId: role.id }, NOW);
    },
  },
  {
    action: "cancel one's own place",
    expected: ownPlace("allow"),
    attempt: async (w, a) => {
      const activity = await activityIn(w);
      await placeFor(a, activity.id);
      return () => cancelSignup(a, { activityId: activity.id }, NOW);
    },
  },
  {
    action: "check in with the venue's code",
    expected: ownPlace("allow"),
    attempt: async (w, a) => {
      const activity = await activityIn(w);
      await placeFor(a, activity.id);
      return () => checkInWithCode(a, { activityId: activity.id, code: venueCode(activity.codeSecret, activity.startsAt) }, activity.startsAt);
    },
  },
  {
    action: "ask for a correction of one's verified time",
    expected: { ...ownPlace("refuse"), resident: "allow" },
    attempt: async (w, a) => {
      const { activity } = await residentPlace(w, "verified");
      return () => requestCorrection(a, { activityId: activity.id, text: "我实际服务了两小时" });
    },
  },
  {
    action: "check a volunteer in as the organiser",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => {
      const { activity, signup } = await residentPlace(w, "signed");
      return () => recordAttendance(a, { signupId: signup.id, intent: "checkIn" }, activity.startsAt);
    },
  },
  {
    action: "record a no-show",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => {
      const { activity, signup } = await residentPlace(w, "signed");
      return () => recordAttendance(a, { signupId: signup.id, intent: "noShow" }, hoursFrom(activity.startsAt, 1));
    },
  },
  {
    action: "verify a volunteer's hours",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => {
      const { activity, signup } = await residentPlace(w, "signed");
      return () => verifyHours(a, { signupId: signup.id, hours: 1, reason: "组织者现场确认" }, hoursFrom(activity.startsAt, 3), TZ);
    },
  },
  {
    action: "open a member's yearly service record",
    expected: only({ partyMember: "allow", communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => () => serviceRecordPage(a, { userId: w.people.partyMember.id, year: 2026 }, TZ),
  },
];

describe("permission matrix: pledges, activities and service records", () => {
  for (const c of cases) {
    it(c.action, async () => {
      const w = await buildPledgeWorld();
      const actual: Record<string, Outcome> = {};
      for (const role of roles) actual[role] = await outcome(await c.attempt(w, await who(w, role)));
      expect(actual).toEqual(c.expected);
    });
  }
});
