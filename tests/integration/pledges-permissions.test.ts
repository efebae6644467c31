import { db } from "#db/client.server";
import type { Actor } from "~/modules/identity/actor";
import {
  cancelSignup,
  checkInWithCode,
  createActivity,
  createPledge,
  recordAttendance,
  requestCorrection,
  setStarLevels,
  signUp,
  verifyHours,
  withdrawPledge,
} from "~/modules/pledges/commands.server";
import { ForbiddenError } from "~/lib/command.server";
import { pledgeRules } from "~/modules/pledges/permissions";
import { orgServicePage } from "~/modules/pledges/dashboard.server";
import { serviceRecordPage } from "~/modules/pledges/queries.server";
import { venueCode } from "~/modules/pledges/rules";
import { idsOf, permissionMatrix, type Outcome, type Row } from "../support/matrix";
import { activityIn, actorOf, buildPledgeWorld, hoursFrom, NOW, TZ, type PledgeWorld } from "../support/pledge-world";

/**
 * The permission matrix of pledges, activities and service records: every
 * role × every action through the real commands and page queries (tests/support/matrix.ts).
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
const { only, rows } = permissionMatrix<PledgeWorld, Role>({
  roles,
  world: buildPledgeWorld,
  people: (w) => ({ ...idsOf(w.people), unitOrgAdmin: w.unitOrgAdmin.id }),
});
/** Sign-ups are open to verified residents and members; everyone else signed in has no place to act on. */
const ownPlace = (outcome: Outcome) => only({ visitor: "deny", resident: outcome, partyMember: outcome }, "refuse");

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

const cases: Row<PledgeWorld, Role>[] = [
  {
    action: "pledge as oneself",
    rule: "pledge:create",
    expected: only({ partyMember: "allow" }),
    attempt: async (_w, a) => () => createPledge(a, pledgeInput("self"), NOW, TZ),
  },
  {
    action: "pledge for a unit Party organisation",
    rule: "pledge:create",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => () => createPledge(a, pledgeInput(String(w.unitOrg.id)), NOW, TZ),
  },
  {
    action: "pledge for a civil-society organisation (only unit Party organisations pledge)",
    rule: "pledge:create",
    expected: only({}),
    attempt: async (w, a) => () => createPledge(a, pledgeInput(String(w.org.id)), NOW, TZ),
  },
  {
    action: "withdraw a member's pledge",
    rule: "pledge:withdraw",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => {
      const p = await createPledge(await actorOf(w.people.partyMember.id), pledgeInput("self"), NOW, TZ);
      return () => withdrawPledge(a, { pledgeId: p.id, reason: "工作调动" }, NOW);
    },
  },
  {
    action: "withdraw an organisation's pledge",
    rule: "pledge:withdraw",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => {
      const p = await createPledge(await actorOf(w.unitOrgAdmin.id), pledgeInput(String(w.unitOrg.id)), NOW, TZ);
      return () => withdrawPledge(a, { pledgeId: p.id, reason: "单位调整" }, NOW);
    },
  },
  {
    action: "organise an activity as community staff",
    rule: "activity:organize",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => () => createActivity(a, activityInput("staff", w.c.id), NOW, TZ),
  },
  {
    action: "organise an activity for a verified civil-society organisation",
    rule: "activity:organize",
    expected: only({ orgAdmin: "allow" }),
    attempt: async (w, a) => () => createActivity(a, activityInput(String(w.org.id), w.c.id), NOW, TZ),
  },
  {
    action: "organise an activity for a unit Party organisation",
    rule: "activity:organize",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => () => createActivity(a, activityInput(String(w.unitOrg.id), w.c.id), NOW, TZ),
  },
  {
    action: "sign up for an activity open to residents",
    rule: "activity:signUp",
    expected: only({ resident: "allow", partyMember: "allow" }),
    attempt: async (w, a) => {
      const activity = await activityIn(w);
      const role = await firstRole(activity.id);
      return () => signUp(a, { activityId: activity.id, roleId: role.id }, NOW);
    },
  },
  {
    action: "sign up for a members-only activity",
    rule: "activity:signUp",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => {
      const activity = await activityIn(w, { eligibility: "members" });
      const role = await firstRole(activity.id);
      return () => signUp(a, { activityId: activity.id, roleId: role.id }, NOW);
    },
  },
  {
    action: "cancel one's own place",
    rule: "signup:own",
    expected: ownPlace("allow"),
    attempt: async (w, a) => {
      const activity = await activityIn(w);
      await placeFor(a, activity.id);
      return () => cancelSignup(a, { activityId: activity.id }, NOW);
    },
  },
  {
    action: "check in with the venue's code",
    rule: "signup:own",
    expected: ownPlace("allow"),
    attempt: async (w, a) => {
      const activity = await activityIn(w);
      await placeFor(a, activity.id);
      return () => checkInWithCode(a, { activityId: activity.id, code: venueCode(activity.codeSecret, activity.startsAt) }, activity.startsAt);
    },
  },
  {
    action: "ask for a correction of one's verified time",
    rule: "signup:own",
    expected: { ...ownPlace("refuse"), resident: "allow" },
    attempt: async (w, a) => {
      const { activity } = await residentPlace(w, "verified");
      return () => requestCorrection(a, { activityId: activity.id, text: "我实际服务了两小时" });
    },
  },
  {
    action: "check a volunteer in as the organiser",
    rule: "activity:manage",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => {
      const { activity, signup } = await residentPlace(w, "signed");
      return () => recordAttendance(a, { signupId: signup.id, intent: "checkIn" }, activity.startsAt);
    },
  },
  {
    action: "record a no-show",
    rule: "activity:manage",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => {
      const { activity, signup } = await residentPlace(w, "signed");
      return () => recordAttendance(a, { signupId: signup.id, intent: "noShow" }, hoursFrom(activity.startsAt, 1));
    },
  },
  {
    action: "verify a volunteer's hours",
    rule: "activity:manage",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => {
      const { activity, signup } = await residentPlace(w, "signed");
      return () => verifyHours(a, { signupId: signup.id, hours: 1, reason: "组织者现场确认" }, hoursFrom(activity.startsAt, 3), TZ);
    },
  },
  {
    action: "open a member's yearly service record",
    rule: "record:view",
    expected: only({ partyMember: "allow", communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => () => serviceRecordPage(a, { userId: w.people.partyMember.id, year: 2026 }, TZ),
  },
  {
    action: "see each reported member's hours on a unit Party organisation's dashboard",
    rule: "org:memberService",
    expected: only({ unitOrgAdmin: "allow", subdistrictOfficer: "allow" }),
    attempt: async (w, a) => async () => {
      const page = await orgServicePage(a, w.unitOrg.id, 2026);
      if (page.members === null) throw new ForbiddenError("org:memberService"); // the page shows everyone the figures, only these people the members
      return page.members;
    },
  },
  {
    action: "set the district's volunteer star levels",
    rule: "starLevels:set",
    expected: only({ districtAdmin: "allow" }),
    attempt: async (w, a) => () => setStarLevels(a, { districtId: w.districtA.id, hours: [50, 150, 300, 600, 1000] }, NOW),
  },
  {
    action: "set another district's volunteer star levels",
    rule: "starLevels:set",
    expected: only({}),
    attempt: async (w, a) => () => setStarLevels(a, { districtId: w.districtB.id, hours: [50, 150, 300, 600, 1000] }, NOW),
  },
];

rows("permission matrix: pledges, activities and service records", cases, { actions: Object.keys(pledgeRules) });
