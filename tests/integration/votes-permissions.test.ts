import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { rollResidents } from "#db/schema";
import { CommandError, ForbiddenError } from "~/lib/command.server";
import { visitor, type Actor } from "~/modules/identity/actor";
import { loadActor } from "~/modules/identity/actor.server";
import { cancelVote, castBallot, createVote, recordPaperBallot, type NewVote } from "~/modules/votes/commands.server";
import { YES } from "~/modules/votes/rules";
import { loader as receiptsLoader } from "~/routes/votes.$id_.receipts";
import { buildHallWorld, type HallWorld } from "../support/hall-world";

/** Every vote action × every role, through the real commands (and the receipts route). */
type Role = "visitor" | "outsider" | "member" | "convener" | "staff" | "otherStaff";
const roles: Role[] = ["visitor", "outsider", "member", "convener", "staff", "otherStaff"];
type Outcome = "allow" | "deny" | "refuse";

function who(w: HallWorld, role: Role): Promise<Actor> {
  const ids = { outsider: w.outsider.id, member: w.members[0]!.id, convener: w.convener.id, staff: w.staff.id, otherStaff: w.people.otherCommunityWorker.id };
  return role === "visitor" ? Promise.resolve(visitor) : loadActor(db(), ids[role]);
}

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return "allow";
  } catch (error) {
    if (error instanceof ForbiddenError) return "deny";
    if (error instanceof CommandError) return "refuse";
    if (error instanceof Response) return error.status === 403 ? "deny" : "refuse";
    throw error;
  }
}

const input = (w: HallWorld, o: Partial<NewVote> = {}): NewVote => ({
  hallId: w.hall.id,
  question: "是否调整桶站位置？",
  method: "yes_no",
  options: [],
  maxChoices: 1,
  electorate: "members",
  opensAt: new Date(),
  closesAt: new Date(Date.now() + 3_600_000),
  quorumPercent: 0,
  threshold: "simple_majority",
  abstentionsCountForQuorum: true,
  secret: false,
  liveResults: false,
  ...o,
});

const only = (map: Partial<Record<Role, Outcome>>, rest: Outcome = "deny") => Object.fromEntries(roles.map((r) => [r, map[r] ?? rest]));

const cases: { action: string; expected: Record<string, Outcome>; attempt: (w: HallWorld, a: Actor) => Promise<() => Promise<unknown>> }[] = [
  { action: "open a vote", expected: only({ convener: "allow", staff: "allow" }), attempt: async (w, a) => () => createVote(a, input(w)) },
  {
    action: "cast a ballot",
    // Not in the electorate is a refusal with a reason, not a 403: the page says why.
    expected: only({ member: "allow", convener: "allow" }, "refuse"),
    attempt: async (w, a) => {
      const v = await createVote(await loadActor(db(), w.convener.id), input(w));
      return () => castBallot(a, { voteId: v.id, choices: [YES] });
    },
  },
  {
    action: "record a paper ballot",
    // Chosen from the roll (居民名册): only staff who moderate the hall and keep the roll (ADR 0020); a resident convener does not read the roll.
    expected: only({ staff: "allow" }),
    attempt: async (w, a) => {
      const v = await createVote(await loadActor(db(), w.convener.id), input(w));
      const [m4] = await db().select().from(rollResidents).where(eq(rollResidents.userId, w.members[3]!.id));
      return () => recordPaperBallot(a, { voteId: v.id, residentId: m4!.id, choices: [YES], meeting: "居民会议" });
    },
  },
  {
    action: "cancel a vote",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const v = await createVote(await loadActor(db(), w.convener.id), input(w));
      return () => cancelVote(a, { voteId: v.id, reason: "规则有误" });
    },
  },
];

describe("permission matrix: votes", () => {
  for (const c of cases) {
    it(c.action, async () => {
      const w = await buildHallWorld();
      const actual: Record<string, Outcome> = {};
      for (const role of roles) actual[role] = await outcome(await c.attempt(w, await who(w, role)));
      expect(actual).toEqual(c.expected);
    });
  }

  it("receipts are published to everyone only after a secret vote closes", async () => {
    const w = await buildHallWorld();
    const v = await createVote(await loadActor(db(), w.convener.id), input(w, { secret: true }));
    const call = () => receiptsLoader({ params: { id: String(v.id) }, request: new Request(`http://localhost/votes/${v.id}/receipts`), context: {} as never });
    await expect(call()).rejects.toMatchObject({ status: 403 });
  });
});
