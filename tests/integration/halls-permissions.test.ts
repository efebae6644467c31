import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { rateLimits } from "#db/schema";
import { CommandError, ForbiddenError, NotFoundError } from "~/lib/command.server";
import { visitor, type Actor } from "~/modules/identity/actor";
import { loadActor } from "~/modules/identity/actor.server";
import { joinHall, updateHall } from "~/modules/halls/commands.server";
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
  writeMinutes,
} from "~/modules/proposals/commands.server";
import { buildHallWorld, type HallWorld } from "../support/hall-world";

/**
 * The permission matrix of halls, proposals and comments: every role × every
 * action through the real commands. allow = done; deny = 403; refuse = a
 * business rule said no after the permission check.
 */
type Role = "visitor" | "outsider" | "eligible" | "member" | "author" | "convener" | "staff" | "otherStaff";
const roles: Role[] = ["visitor", "outsider", "eligible", "member", "author", "convener", "staff", "otherStaff"];
type Outcome = "allow" | "deny" | "refuse";

function who(w: HallWorld, role: Role): Promise<Actor> {
  const ids: Record<Exclude<Role, "visitor">, number> = {
    outsider: w.outsider.id,
    eligible: w.eligible.id,
    member: w.members[0]!.id,
    author: w.author.id,
    convener: w.convener.id,
    staff: w.staff.id,
    otherStaff: w.people.otherCommunityWorker.id,
  };
  return role === "visitor" ? Promise.resolve(visitor) : loadActor(db(), ids[role]);
}

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return "allow";
  } catch (error) {
    if (error instanceof ForbiddenError) return "deny";
    if (error instanceof CommandError) return "refuse";
    // Someone else's draft does not exist for them: hidden is denied too.
    if (error instanceof NotFoundError) return "deny";
    throw error;
  }
}

const only = (map: Partial<Record<Role, Outcome>>) => Object.fromEntries(roles.map((r) => [r, map[r] ?? "deny"]));
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

const cases: { action: string; expected: Record<string, Outcome>; attempt: (w: HallWorld, a: Actor, role: Role) => Promise<() => Promise<unknown>> }[] = [
  {
    action: "join the hall",
    // Already-active members get their membership back (no change); staff live elsewhere.
    expected: only({ eligible: "allow", member: "allow", author: "allow", convener: "allow" }),
    attempt: async (w, a) => () => joinHall(a, w.hall.id),
  },
  {
    action: "raise a proposal",
    expected: only({ member: "allow", author: "allow", convener: "allow" }),
    attempt: async (w, a) => () => createProposal(a, { hallId: w.hall.id, title: "一个新的议题", body: "权限测试中的议题内容。", categoryCode: "parking", publish: true, clientKey: key() }),
  },
  {
    action: "second an open proposal",
    expected: only({ member: "allow", author: "refuse", convener: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      return () => secondProposal(a, p.id);
    },
  },
  {
    action: "comment in a debate",
    expected: only({ member: "allow", author: "allow", convener: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "in_debate");
      return () => postComment(a, { proposalId: p.id, stance: "support", body: "我的看法", clientKey: key() });
    },
  },
  {
    action: "withdraw a proposal",
    expected: only({ author: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      return () => withdrawProposal(a, p.id);
    },
  },
  {
    action: "publish a draft",
    expected: only({ author: "allow" }),
    attempt: async (w, a) => {
      const p = await draftOf(w);
      return () => publishDraft(a, p.id);
    },
  },
  {
    action: "edit a draft",
    expected: only({ author: "allow" }),
    attempt: async (w, a) => {
      const p = await draftOf(w);
      return () => updateDraft(a, p.id, { title: "改过的草稿标题", body: "改过的草稿内容，更清楚一些。", categoryCode: "parking" });
    },
  },
  {
    action: "delete a draft",
    expected: only({ author: "allow" }),
    attempt: async (w, a) => {
      const p = await draftOf(w);
      return () => deleteDraft(a, p.id);
    },
  },
  {
    action: "decline a proposal",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      return () => declineProposal(a, { proposalId: p.id, reason: "out_of_scope", text: "不属于本厅" });
    },
  },
  {
    action: "open the debate",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      for (const m of w.members.slice(1, 4)) await secondProposal(await loadActor(db(), m.id), p.id);
      return () => openDebate(a, p.id);
    },
  },
  {
    action: "write the minutes",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "open");
      return () => writeMinutes(a, { proposalId: p.id, agreed: "共识", open: "", nextStep: "" });
    },
  },
  {
    action: "hide a comment",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "in_debate");
      const c = await postComment(await loadActor(db(), w.members[1]!.id), { proposalId: p.id, stance: "oppose", body: "被隐藏的发言", clientKey: key() });
      return () => moderateComment(a, { commentId: c.id, hide: true, reason: "人身攻击" });
    },
  },
  {
    action: "report someone else's comment",
    expected: only({ member: "allow", author: "allow", convener: "allow" }),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "in_debate");
      const c = await postComment(await loadActor(db(), w.members[1]!.id), { proposalId: p.id, stance: "oppose", body: "被举报的发言", clientKey: key() });
      return () => reportComment(a, { commentId: c.id, reason: "spam" });
    },
  },
  {
    action: "edit someone else's comment",
    expected: only({}),
    attempt: async (w, a) => {
      const p = await proposalIn(w, "in_debate");
      const c = await postComment(await loadActor(db(), w.members[1]!.id), { proposalId: p.id, stance: "oppose", body: "别人的发言", clientKey: key() });
      return () => editComment(a, { commentId: c.id, body: "改掉", stance: "support" });
    },
  },
  {
    action: "configure the hall",
    expected: only({ staff: "allow" }),
    attempt: async (w, a) => () =>
      updateHall(a, w.hall.id, {
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
      }),
  },
];

describe("permission matrix: halls, proposals and comments", () => {
  for (const c of cases) {
    it(c.action, async () => {
      const w = await buildHallWorld();
      const actual: Record<string, Outcome> = {};
      for (const role of roles) actual[role] = await outcome(await c.attempt(w, await who(w, role), role));
      expect(actual).toEqual(c.expected);
    });
  }
});
