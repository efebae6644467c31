import { db } from "#db/client.server";
import { rateLimits } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { hallRules } from "~/modules/halls/permissions";
import { createHall, joinHall, updateHall, type HallSettings } from "~/modules/halls/commands.server";
import {
  createProposal,
  declineProposal,
  deleteDraft,
  editComment,
  moderateComment,
  openDebate,
  postComment,
  publishDraft,
  reportComment,
  secondProposal,
  updateDraft,
  withdrawProposal,
  withdrawSecond,
  writeMinutes,
} from "~/modules/proposals/commands.server";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { permissionMatrix, type Row } from "../support/matrix";

/**
 * The permission matrix of halls, proposals and comments: every role × every
 * action through the real commands (tests/support/matrix.ts).
 */
type Role = "visitor" | "outsider" | "eligible" | "member" | "author" | "convener" | "staff" | "otherStaff";
const { only, rows } = permissionMatrix<HallWorld, Role>({
  roles: ["visitor", "outsider", "eligible", "member", "author", "convener", "staff", "otherStaff"],
  world: () => buildHallWorld(),
  people: (w) => ({
    outsider: w.outsider.id,
    eligible: w.eligible.id,
    member: w.members[0]!.id,
    author: w.author.id,
    convener: w.convener.id,
    staff: w.staff.id,
    otherStaff: w.people.otherCommunityWorker.id,
  }),
  // Someone else's draft does not exist for them: hidden is denied too.
  hiddenIsDenied: true,
});

let n = 0;
const key = () => `k${++n}-${Math.random().toString(36).slice(2)}`;

/** A fresh draft by the author. */
async function draftOf(w: HallWorld) {
  await db().delete(rateLimits);
  return createProposal(await loadActor(db(), w.author.id), { hallId: w.hall.id, title: `草稿${key()}`, body: "一份还没发布的草稿内容。", categoryCode: "parking", publish: false, clientKey: key() });
}

/** A fresh proposal by the author, in the given state. */
async function proposalIn(w: HallWorld, state: "open" | "in_debate") {
  await db().delete(rateLimits); // the fixture raises more than a person's daily five
  const author = await loadActor(db(), w.author.id);
  const p = await createProposal(author, { hallId: w.hall.id, title: `议题${key()}`, body: "一个用于权限测试的议题内容。", categoryCode: "parking", publish: true, clientKey: key() });
  if (state === "in_debate") {
    for (const m of w.members.slice(1, 4)) await secondProposal(await loadActor(db(), m.id), p.id);
    await openDebate(await loadActor(db(), w.convener.id), p.id);
  }
  return p;
}

const settings: HallSettings = {
  name: "新名字",
  description: "",
  rules: "",
  membershipPolicy: "open",
  memberKinds: ["resident"],
  secondingRule: { kind: "count", n: 3 },
  secondingDays: 14,
  commentMaxLength: 200,
  commentsPerPerson: null,
  stanceRequired: true,
};

const cases: Row<HallWorld, Role>[] = [
  {
    action: "join the hall",
    rule: "hall:join",
    // Already-active members get their membership back (no change); staff live elsewhere.
    expected: only({ eligible: "allow", member: "allow", author: "allow", convener: "allow" }),
    attempt: async (w, a) => () => joinHall(a, w.hall.id),
  },
  {
    action: "raise a proposal",
    rule: "proposal:create",
    expected: only({ member: "allow", author: "allow", convener: "allow" }),
    attempt: async (w, a) => () => createProposal(a, { hallId: w.hall.id, title: "一个新的议题", body: "权限测试中的议题内容。", categoryCode: "parking", publish: true, clientKey: key() }),
  },
  {
    action: "second an open proposal",
    rule: "proposal:second",
    expected: only({ member: "allow", author: "refuse", convener: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      return () => secondProposal(a, p.id);
    },
  },
  {
    action: "withdraw one's second while the proposal collects seconds",
    rule: "proposal:unsecond",
    // Whoever seconded takes it back; the others may try but have no second to take back; the author never seconds.
    expected: only({ member: "allow", convener: "allow", outsider: "refuse", eligible: "refuse", staff: "refuse", otherStaff: "refuse" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      await secondProposal(a, p.id).catch(() => null);
      return () => withdrawSecond(a, p.id);
    },
  },
  {
    action: "comment in a debate",
    rule: "proposal:comment",
    expected: only({ member: "allow", author: "allow", convener: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "in_debate");
      return () => postComment(a, { proposalId: p.id, stance: "support", body: "我的看法", clientKey: key() });
    },
  },
  {
    action: "withdraw a proposal",
    rule: "proposal:withdraw",
    expected: only({ author: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      return () => withdrawProposal(a, p.id);
    },
  },
  {
    action: "publish a draft",
    rule: ["proposal:publishDraft", "proposal:view"],
    expected: only({ author: "allow" }),
    attempt: async (w, a) => {
      const p = await draftOf(w);
      return () => publishDraft(a, p.id);
    },
  },
  {
    action: "edit a draft",
    rule: ["proposal:editDraft", "proposal:view"],
    expected: only({ author: "allow" }),
    attempt: async (w, a) => {
      const p = await draftOf(w);
      return () => updateDraft(a, p.id, { title: "改过的草稿标题", body: "改过的草稿内容，更清楚一些。", categoryCode: "parking" });
    },
  },
  {
    action: "delete a draft",
    rule: ["proposal:deleteDraft", "proposal:view"],
    expected: only({ author: "allow" }),
    attempt: async (w, a) => {
      const p = await draftOf(w);
      return () => deleteDraft(a, p.id);
    },
  },
  {
    action: "decline a proposal",
    rule: "proposal:moderate",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      return () => declineProposal(a, { proposalId: p.id, reason: "out_of_scope", text: "不属于本厅" });
    },
  },
  {
    action: "open the debate",
    rule: "proposal:moderate",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      for (const m of w.members.slice(1, 4)) await secondProposal(await loadActor(db(), m.id), p.id);
      return () => openDebate(a, p.id);
    },
  },
  {
    action: "write the minutes",
    rule: "proposal:moderate",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      return () => writeMinutes(a, { proposalId: p.id, agreed: "共识", open: "", nextStep: "" });
    },
  },
  {
    action: "hide a comment",
    rule: "proposal:moderate",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "in_debate");
      const c = await postComment(await loadActor(db(), w.members[1]!.id), { proposalId: p.id, stance: "oppose", body: "被隐藏的发言", clientKey: key() });
      return () => moderateComment(a, { commentId: c.id, hide: true, reason: "人身攻击" });
    },
  },
  {
    action: "report someone else's comment",
    rule: "comment:report",
    expected: only({ member: "allow", author: "allow", convener: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "in_debate");
      const c = await postComment(await loadActor(db(), w.members[1]!.id), { proposalId: p.id, stance: "oppose", body: "被举报的发言", clientKey: key() });
      return () => reportComment(a, { commentId: c.id, reason: "spam" });
    },
  },
  {
    action: "edit someone else's comment",
    rule: "comment:edit",
    expected: only({}),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "in_debate");
      const c = await postComment(await loadActor(db(), w.members[1]!.id), { proposalId: p.id, stance: "oppose", body: "别人的发言", clientKey: key() });
      return () => editComment(a, { commentId: c.id, body: "改掉", stance: "support" });
    },
  },
  {
    action: "open a hall for community C",
    rule: "hall:create",
    // Staff of C (and above); not the worker of C2.
    expected: only({ staff: "allow" }),
    attempt: async (w, a) => () => createHall(a, { ...settings, name: "另一个议事厅", unitId: w.c.id, convenerAccounts: [] }),
  },
  {
    action: "configure the hall",
    rule: "hall:configure",
    expected: only({ staff: "allow" }),
    attempt: async (w, a) => () => updateHall(a, w.hall.id, settings),
  },
];

rows("permission matrix: halls, proposals and comments", cases, {
  actions: Object.keys(hallRules),
  elsewhere: {
    "hall:joinAsOrganization": "no row yet (joinHallAsOrganization)",
    "hall:moderate": "the votes matrix: open and cancel a vote, record a paper ballot (also decideApplication, no row yet)",
    "vote:tell": "the votes matrix: teller key setup, partial decryption",
  },
});
