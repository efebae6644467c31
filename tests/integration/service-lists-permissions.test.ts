import { claimNeed, closeNeed, confirmClaim, offerResource, postNeed, releaseClaim, reportClaimDone, withdrawResource } from "~/modules/service-lists/commands.server";
import { serviceListRules } from "~/modules/service-lists/permissions";
import { newNeedPage } from "~/modules/service-lists/queries.server";
import { idsOf, permissionMatrix, type Row } from "../support/matrix";
import { buildListsWorld, needIn, type ListsWorld } from "../support/lists-world";
import { actorOf, NOW } from "../support/pledge-world";

/**
 * The permission matrix of the three lists (三张清单): every role × every
 * action through the real commands and page queries (tests/support/matrix.ts).
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
const { only, rows } = permissionMatrix<ListsWorld, Role>({
  roles,
  world: () => buildListsWorld("decided_passed"),
  people: (w) => ({ ...idsOf(w.people), unitOrgAdmin: w.unitOrgAdmin.id }),
});
const staff = { communityWorker: "allow", subdistrictOfficer: "allow" } as const;

const needInput = (w: ListsWorld, proposalId?: number) => ({ unitId: w.c.id, category: "environment" as const, title: "楼道堆物清理", description: "", whenText: "本周六上午", unit: "people" as const, amount: 4, proposalId });
const resourceInput = (w: ListsWorld, as: string) => ({ as, unitId: w.c.id, kind: "skill" as const, category: "environment" as const, description: "会修自行车和小家电", availability: "周末下午" });

/** A fresh need with a claim by the Party member (or the unit organisation), reported done if asked. */
async function claimed(w: ListsWorld, by: "member" | "org", reported = false) {
  const need = await needIn(w);
  const claimer = await actorOf(by === "member" ? w.people.partyMember.id : w.unitOrgAdmin.id);
  const claim = await claimNeed(claimer, { needId: need.id, as: by === "member" ? "self" : String(w.unitOrg.id), amount: 1 }, NOW);
  if (reported) await reportClaimDone(claimer, { claimId: claim.id }, NOW);
  return claim;
}

const cases: Row<ListsWorld, Role>[] = [
  {
    action: "post a need on a community's list",
    rule: "need:post",
    expected: only(staff),
    attempt: async (w, a) => () => postNeed(a, needInput(w), NOW),
  },
  {
    action: "raise a need from a passed proposal (转为需求)",
    rule: "need:post",
    expected: only(staff),
    attempt: async (w, a) => () => postNeed(a, needInput(w, w.proposal.id), NOW),
  },
  {
    action: "open the new-need form",
    rule: "need:post",
    expected: only(staff),
    attempt: async (w, a) => () => newNeedPage(a, { proposalId: w.proposal.id }),
  },
  {
    action: "close a need",
    rule: "need:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const need = await needIn(w);
      return () => closeNeed(a, { needId: need.id, reason: "物业已处理" }, NOW);
    },
  },
  {
    action: "confirm a claim done",
    rule: "need:manage",
    expected: only(staff),
    attempt: async (w, a) => {
      const claim = await claimed(w, "member", true);
      return () => confirmClaim(a, { claimId: claim.id }, NOW);
    },
  },
  {
    action: "claim a need as oneself",
    rule: "need:claim",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => {
      const need = await needIn(w);
      return () => claimNeed(a, { needId: need.id, as: "self", amount: 1 }, NOW);
    },
  },
  {
    action: "claim a need for a unit Party organisation",
    rule: "need:claim",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => {
      const need = await needIn(w);
      return () => claimNeed(a, { needId: need.id, as: String(w.unitOrg.id), amount: 1 }, NOW);
    },
  },
  {
    action: "claim a need for a civil-society organisation (only unit Party organisations claim)",
    rule: "need:claim",
    expected: only({}),
    attempt: async (w, a) => {
      const need = await needIn(w);
      return () => claimNeed(a, { needId: need.id, as: String(w.org.id), amount: 1 }, NOW);
    },
  },
  {
    action: "say a member's claim is done",
    rule: "claim:own",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => {
      const claim = await claimed(w, "member");
      return () => reportClaimDone(a, { claimId: claim.id }, NOW);
    },
  },
  {
    action: "say an organisation's claim is done",
    rule: "claim:own",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => {
      const claim = await claimed(w, "org");
      return () => reportClaimDone(a, { claimId: claim.id }, NOW);
    },
  },
  {
    action: "release a member's claim",
    rule: "claim:release",
    expected: only({ partyMember: "allow", ...staff }),
    attempt: async (w, a) => {
      const claim = await claimed(w, "member");
      return () => releaseClaim(a, { claimId: claim.id, reason: "临时出差" }, NOW);
    },
  },
  {
    action: "release an organisation's claim",
    rule: "claim:release",
    expected: only({ unitOrgAdmin: "allow", ...staff }),
    attempt: async (w, a) => {
      const claim = await claimed(w, "org");
      return () => releaseClaim(a, { claimId: claim.id, reason: "单位调整" }, NOW);
    },
  },
  {
    action: "offer a resource as oneself",
    rule: "resource:offer",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => () => offerResource(a, resourceInput(w, "self"), NOW),
  },
  {
    action: "offer a resource for a unit Party organisation",
    rule: "resource:offer",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => () => offerResource(a, resourceInput(w, String(w.unitOrg.id)), NOW),
  },
  {
    action: "offer a resource for a civil-society organisation",
    rule: "resource:offer",
    expected: only({}),
    attempt: async (w, a) => () => offerResource(a, resourceInput(w, String(w.org.id)), NOW),
  },
  {
    action: "take a member's resource off the list",
    rule: "resource:withdraw",
    expected: only({ partyMember: "allow", ...staff }),
    attempt: async (w, a) => {
      const r = await offerResource(await actorOf(w.people.partyMember.id), resourceInput(w, "self"), NOW);
      return () => withdrawResource(a, { resourceId: r.id }, NOW);
    },
  },
];

rows("permission matrix: the three lists (needs, claims, resources)", cases, { actions: Object.keys(serviceListRules) });
