import { asc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { projectMilestones } from "#db/schema";
import {
  adjustMilestones,
  contractPage,
  judgeMilestone,
  payMilestone,
  rateProject,
  reportMilestone,
} from "~/modules/projects/contract.server";
import { projectRules } from "~/modules/projects/permissions";
import { idsOf, permissionMatrix, type Row } from "../support/matrix";
import { actorOf, buildContractWorld, NOW, projectIn, runToCompletion, type ContractWorld } from "../support/contract-world";

/**
 * The permission matrix of service projects after the award (contract,
 * milestones, payments, ratings): every role × every action through the real
 * commands and the page query (tests/support/matrix.ts). The call, the
 * questions, the panel and the bids have their own matrices.
 */
const roles = [
  "visitor",
  "resident",
  "unverified",
  "partyMember",
  "orgAdmin",
  "orgMember",
  "rivalAdmin",
  "communityWorker",
  "otherCommunityWorker",
  "subdistrictOfficer",
  "departmentOfficer",
  "districtAdmin",
] as const;
type Role = (typeof roles)[number];

type World = ContractWorld & { completed?: Promise<number> };
const { only, rows } = permissionMatrix<World, Role>({
  roles,
  world: buildContractWorld,
  people: (w) => {
    const {
      resident,
      unverified,
      partyMember,
      orgAdmin,
      communityWorker,
      otherCommunityWorker,
      subdistrictOfficer,
      departmentOfficer,
      districtAdmin,
    } = w.people;
    return {
      ...idsOf({
        resident,
        unverified,
        partyMember,
        orgAdmin,
        communityWorker,
        otherCommunityWorker,
        subdistrictOfficer,
        departmentOfficer,
        districtAdmin,
      }),
      orgMember: w.orgMember.id,
      rivalAdmin: w.rivalAdmin.id,
    };
  },
});

/** The buyer's staff: the community's own and the subdistrict's above it. */
const staff = only({ communityWorker: "allow", subdistrictOfficer: "allow" });

const firstMilestone = async (projectId: number) =>
  (
    await db()
      .select()
      .from(projectMilestones)
      .where(eq(projectMilestones.projectId, projectId))
      .orderBy(asc(projectMilestones.ordinal))
      .limit(1)
  )[0]!;

/** A fresh active project whose first milestone the organisation has reported (and, if asked, staff judged met). */
async function reported(w: World, judged = false) {
  const p = await projectIn(w);
  const m = await firstMilestone(p.id);
  await reportMilestone(await actorOf(w.people.orgAdmin.id), p.id, { milestoneId: m.id, text: "完成。" }, NOW);
  if (judged)
    await judgeMilestone(await actorOf(w.people.communityWorker.id), p.id, { milestoneId: m.id, verdict: "met", note: "好。" }, NOW);
  return { projectId: p.id, milestoneId: m.id };
}

/** One completed project per world: each person rates it once. */
function completed(w: World): Promise<number> {
  w.completed ??= projectIn(w).then(async (p) => {
    await runToCompletion(w, p.id);
    return p.id;
  });
  return w.completed;
}

const cases: Row<World, Role>[] = [
  {
    action: "read the contract page (milestones, judgements, payments): public",
    expected: only({}, "allow"),
    attempt: async (w, a) => {
      const p = await projectIn(w);
      return () => contractPage(db(), a, p.id);
    },
  },
  {
    action: "adjust the milestones' dates and shares before the first report",
    rule: "project:manage",
    expected: staff,
    attempt: async (w, a) => {
      const p = await projectIn(w);
      const rows = await db()
        .select()
        .from(projectMilestones)
        .where(eq(projectMilestones.projectId, p.id))
        .orderBy(asc(projectMilestones.ordinal));
      return () =>
        adjustMilestones(a, p.id, { milestones: rows.map((m, i) => ({ id: m.id, dueOn: m.dueOn, share: [20, 50, 30][i]! })) }, NOW);
    },
  },
  {
    action: "report a milestone with evidence",
    rule: "project:report",
    expected: only({ orgAdmin: "allow", orgMember: "allow" }),
    attempt: async (w, a) => {
      const p = await projectIn(w);
      const m = await firstMilestone(p.id);
      return () => reportMilestone(a, p.id, { milestoneId: m.id, text: "完成了入户调查。", attendance: 12 }, NOW);
    },
  },
  {
    action: "judge a reported milestone",
    rule: "project:manage",
    expected: staff,
    attempt: async (w, a) => {
      const { projectId, milestoneId } = await reported(w);
      return () => judgeMilestone(a, projectId, { milestoneId, verdict: "met", note: "符合要求。" }, NOW);
    },
  },
  {
    action: "record a milestone's payment",
    rule: "project:manage",
    expected: staff,
    attempt: async (w, a) => {
      const { projectId, milestoneId } = await reported(w, true);
      return () => payMilestone(a, projectId, { milestoneId, paidOn: "2026-06-10" }, NOW);
    },
  },
  {
    action: "rate the completed service (verified residents of the buyer's area)",
    rule: "project:rate",
    expected: only({ resident: "allow", partyMember: "allow" }),
    attempt: async (w, a) => {
      const projectId = await completed(w);
      return () => rateProject(a, projectId, { stars: 4, comment: "" }, NOW);
    },
  },
];

rows("permission matrix: service projects after the award", cases, {
  actions: Object.keys(projectRules),
  elsewhere: {
    "project:create": "tests/integration/projects-permissions.test.ts",
    "project:ask": "tests/integration/projects-permissions.test.ts",
    "project:evaluate": "tests/integration/projects-permissions.test.ts",
    "project:object": "tests/integration/projects-permissions.test.ts",
    "project:bid": "tests/integration/bids-permissions.test.ts",
    "project:open": "tests/integration/bids-permissions.test.ts",
    "project:readBid": "tests/integration/bids-permissions.test.ts",
  },
});
