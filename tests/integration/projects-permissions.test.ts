import { addEvaluator, answerObjection, answerQuestion, askQuestion, cancelProject, createProject, editProject, objectToAward, publishProject, setCommittee } from "~/modules/projects/commands.server";
import { awardProject, declareConflicts, disqualifyBid, scoreBids } from "~/modules/projects/evaluation.server";
import { projectRules } from "~/modules/projects/permissions";
import { evaluatePage, manageProjectPage, newProjectPage } from "~/modules/projects/queries.server";
import { idsOf, permissionMatrix, type Row } from "../support/matrix";
import { actorOf, at, buildProjectWorld, DAY, evaluating, keyReady, NOW, planned, published, terms, type ProjectWorld } from "../support/project-world";

/**
 * The permission matrix of service projects, the call to the award (part B):
 * every role × project:create, manage, ask, evaluate and object through the
 * real commands and page queries (tests/support/matrix.ts). Bidding, the
 * opening and reading bids are part A's; reports and ratings part C's.
 */
const roles = [
  "visitor",
  "resident",
  "unverified",
  "orgAdmin",
  "orgMember",
  "org2Admin",
  "communityWorker",
  "otherCommunityWorker",
  "subdistrictOfficer",
  "departmentOfficer",
  "districtAdmin",
  "evaluator",
] as const;
type Role = (typeof roles)[number];
const { only, rows } = permissionMatrix<ProjectWorld, Role>({
  roles,
  world: buildProjectWorld,
  people: (w) => {
    const { resident, unverified, orgAdmin, communityWorker, otherCommunityWorker, subdistrictOfficer, departmentOfficer, districtAdmin } = idsOf(w.people);
    return { resident, unverified, orgAdmin, communityWorker, otherCommunityWorker, subdistrictOfficer, departmentOfficer, districtAdmin, orgMember: w.orgMember.id, org2Admin: w.org2Admin.id, evaluator: w.evaluators[0]!.id };
  },
  hiddenIsDenied: true,
});
const staff = { communityWorker: "allow", subdistrictOfficer: "allow" } as const;
const worker = (w: ProjectWorld) => actorOf(w.people.communityWorker.id);
const T9 = at(9 * DAY);

/** A call with the panel's scores all in (evaluators 1–2), ready for the award. */
async function scored(w: ProjectWorld) {
  const e = await evaluating(w, 2);
  for (const j of w.evaluators.slice(0, 2)) {
    const a = await actorOf(j.id);
    await declareConflicts(a, { projectId: e.project.id, declarations: e.bids.map((b) => ({ bidId: b.id, conflict: false })) }, T9);
    await scoreBids(a, { projectId: e.project.id, sheets: e.bids.map((b) => ({ bidId: b.id, scores: { price: 70, plan: 70, experience: 70 } })), submit: true }, T9);
  }
  return e;
}

/** An awarded call (to 阳光社工's bid), in its notice period. */
async function awarded(w: ProjectWorld) {
  const e = await scored(w);
  await awardProject(await worker(w), { projectId: e.project.id, bidId: e.bids[0].id, rationale: "综合得分第一，方案完整。" }, at(10 * DAY));
  return e;
}

const cases: Row<ProjectWorld, Role>[] = [
  {
    action: "create a call for a community",
    rule: "project:create",
    expected: only(staff),
    attempt: async (w, a) => () => createProject(a, { ...terms(w), clientKey: crypto.randomUUID() }, NOW),
  },
  {
    action: "create a call for the subdistrict",
    rule: "project:create",
    expected: only({ subdistrictOfficer: "allow" }),
    attempt: async (w, a) => () => createProject(a, { ...terms(w, { unitId: w.s.id }), clientKey: crypto.randomUUID() }, NOW),
  },
  {
    action: "open the new-call form",
    rule: "project:create",
    expected: only({ ...staff, otherCommunityWorker: "allow" }),
    attempt: async (_w, a) => () => newProjectPage(a, {}),
  },
  {
    action: "edit a call in planning",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const p = await planned(w);
      return () => editProject(a, { ...terms(w, { budgetCap: 150_000 }), projectId: p.id }, NOW);
    },
  },
  {
    action: "name the opening committee",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const p = await planned(w);
      return () => setCommittee(a, { projectId: p.id, usernames: w.openers.map((o) => o.username!) }, NOW);
    },
  },
  {
    action: "invite an evaluator",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const p = await planned(w);
      return () => addEvaluator(a, { projectId: p.id, username: "judge5", role: "expert" }, NOW);
    },
  },
  {
    action: "publish a call",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const p = await planned(w);
      await keyReady(w, p.id);
      return () => publishProject(a, { projectId: p.id }, NOW);
    },
  },
  {
    action: "open the staff page of a call",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const p = await published(w);
      return () => manageProjectPage(a, p.id, NOW);
    },
  },
  {
    action: "answer a question",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const p = await published(w);
      const q = await askQuestion(await actorOf(w.orgMember.id), { projectId: p.id, organizationId: w.org.id, question: "是否需要提供营养师资质？", clientKey: crypto.randomUUID() }, at(DAY));
      return () => answerQuestion(a, { questionId: q.id, answer: "需要，请附在投标文件中。" }, at(2 * DAY));
    },
  },
  {
    action: "cancel a call",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const p = await published(w);
      return () => cancelProject(a, { projectId: p.id, reason: "预算调整" }, NOW);
    },
  },
  {
    action: "disqualify a bid",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const e = await evaluating(w, 1);
      return () => disqualifyBid(a, { bidId: e.bids[0].id, reason: "资质证明过期" }, T9);
    },
  },
  {
    action: "award a call",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const e = await scored(w);
      return () => awardProject(a, { projectId: e.project.id, bidId: e.bids[0].id, rationale: "综合得分第一，方案完整。" }, at(10 * DAY));
    },
  },
  {
    action: "answer an objection",
    rule: "project:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const e = await awarded(w);
      const o = await objectToAward(await actorOf(w.org2Admin.id), { projectId: e.project.id, organizationId: w.org2.id, text: "请复核价格分的计算方法。" }, at(11 * DAY));
      return () => answerObjection(a, { objectionId: o.id, answer: "经复核，计算无误，维持原结果。", upheld: false }, at(11 * DAY));
    },
  },
  {
    action: "ask a question for a verified civil-society organisation",
    rule: "project:ask",
    expected: only({ orgAdmin: "allow", orgMember: "allow" }),
    attempt: async (w, a) => {
      const p = await published(w);
      return () => askQuestion(a, { projectId: p.id, organizationId: w.org.id, question: "服务对象名单由谁提供？", clientKey: crypto.randomUUID() }, at(DAY));
    },
  },
  {
    action: "declare conflicts of interest",
    rule: "project:evaluate",
    expected: only({ evaluator: "allow" }),
    attempt: async (w, a) => {
      const e = await evaluating(w, 1);
      return () => declareConflicts(a, { projectId: e.project.id, declarations: e.bids.map((b) => ({ bidId: b.id, conflict: false })) }, T9);
    },
  },
  {
    action: "score bids",
    rule: "project:evaluate",
    expected: only({ evaluator: "allow" }),
    attempt: async (w, a) => {
      const e = await evaluating(w, 1);
      await declareConflicts(await actorOf(w.evaluators[0]!.id), { projectId: e.project.id, declarations: e.bids.map((b) => ({ bidId: b.id, conflict: false })) }, T9);
      return () => scoreBids(a, { projectId: e.project.id, sheets: [{ bidId: e.bids[0].id, scores: { price: 80 } }], submit: false }, T9);
    },
  },
  {
    action: "open the evaluator's page",
    rule: "project:evaluate",
    expected: only({ evaluator: "allow" }),
    attempt: async (w, a) => {
      const e = await evaluating(w, 1);
      return () => evaluatePage(a, e.project.id);
    },
  },
  {
    action: "object to an award (质疑)",
    rule: "project:object",
    expected: only({ orgAdmin: "allow", org2Admin: "allow" }),
    attempt: async (w, a) => {
      const e = await awarded(w);
      const organizationId = a.userId === w.org2Admin.id ? w.org2.id : w.org.id;
      return () => objectToAward(a, { projectId: e.project.id, organizationId, text: "请公开各评审的评分依据。" }, at(11 * DAY));
    },
  },
];

rows("permission matrix: service projects, the call to the award", cases, {
  actions: Object.keys(projectRules),
  elsewhere: {
    "project:bid": "tests/integration/bids-permissions.test.ts (part A, sealed bids)",
    "project:open": "tests/integration/bids-permissions.test.ts (part A, the opening)",
    "project:readBid": "tests/integration/bids-permissions.test.ts (part A)",
    "project:report": "tests/integration/contract-permissions.test.ts (part C)",
    "project:rate": "tests/integration/contract-permissions.test.ts (part C)",
  },
});
