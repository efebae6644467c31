import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { rollResidents } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { cancelVote, castBallot, createVote, recordPaperBallot, type NewVote } from "~/modules/votes/commands.server";
import { YES } from "~/modules/votes/rules";
import { getTellerWork } from "~/modules/votes/queries.server";
import { publishTellerKeys, submitPartialDecryption } from "~/modules/votes/secret-commands.server";
import { tellerStart } from "~/modules/votes/tellers";
import { loader as receiptsLoader } from "~/routes/votes.$id_.receipts";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { permissionMatrix, type Row } from "../support/matrix";
import { CHEAP_VAULT, runKeyCeremony, passphraseOf } from "../support/tellers";
import { tellerUnlock } from "~/modules/votes/tellers";

/** Every vote action × every role, through the real commands (tests/support/matrix.ts); and the receipts route. */
type Role = "visitor" | "outsider" | "member" | "convener" | "staff" | "otherStaff" | "teller";
const { only, rows } = permissionMatrix<HallWorld, Role>({
  roles: ["visitor", "outsider", "member", "convener", "staff", "otherStaff", "teller"],
  world: () => buildHallWorld(),
  people: (w) => ({ outsider: w.outsider.id, member: w.members[0]!.id, convener: w.convener.id, staff: w.staff.id, otherStaff: w.people.otherCommunityWorker.id, teller: w.eligible.id }),
  responses: true,
});

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

/** A secret vote whose tellers are the convener, m2 and "eligible" (the "teller" role: a resident who is not a hall member). */
const tellersOf = (w: HallWorld) => [w.convener.id, w.members[1]!.id, w.eligible.id];
async function secretVote(w: HallWorld) {
  return createVote(await loadActor(db(), w.convener.id), input(w, { secret: true, tellers: tellersOf(w), electorate: "members" }));
}

const cases: Row<HallWorld, Role>[] = [
  { action: "open a vote", rule: "hall:moderate", expected: only({ convener: "allow", staff: "allow" }), attempt: async (w, a) => () => createVote(a, input(w)) },
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
    rule: ["hall:moderate", "roll:read"],
    // Chosen from the roll (居民名册): only staff who moderate the hall and keep the roll (ADR 0020); a resident convener does not read the roll.
    expected: only({ staff: "allow" }),
    attempt: async (w, a) => {
      const v = await createVote(await loadActor(db(), w.convener.id), input(w));
      const [m4] = await db().select().from(rollResidents).where(eq(rollResidents.userId, w.members[3]!.id));
      return () => recordPaperBallot(a, { voteId: v.id, residentId: m4!.id, choices: [YES], meeting: "居民会议" });
    },
  },
  {
    action: "teller key setup (publish a teller's keys)",
    rule: "vote:tell",
    // Only the vote's named tellers, whoever else they are (the convener here is one of them).
    expected: only({ convener: "allow", teller: "allow" }),
    attempt: async (w, a) => {
      const v = await secretVote(w);
      const keys = await tellerStart(v.id, 2, "a passphrase long enough", CHEAP_VAULT);
      return () => publishTellerKeys(a, { voteId: v.id, ...keys });
    },
  },
  {
    action: "partial decryption (unlock the count)",
    rule: "vote:tell",
    expected: only({ convener: "allow", teller: "allow" }),
    attempt: async (w, a) => {
      const v = await secretVote(w);
      await runKeyCeremony(v.id, tellersOf(w));
      await castBallot(await loadActor(db(), w.members[0]!.id), { voteId: v.id, choices: [YES] });
      const { runVoteClock } = await import("~/modules/votes/commands.server");
      await runVoteClock(new Date(Date.now() + 3_600_001));
      return async () => {
        // Each role unlocks with the share of the teller it is, or (not a teller) borrows one: refused anyway.
        const me = a.userId !== null && tellersOf(w).includes(a.userId) ? a.userId : w.eligible.id;
        const work = (await getTellerWork(db(), v.id, me))!;
        const partial = await tellerUnlock(v.id, passphraseOf(me), work.me.shareVault!, work.sums!);
        return submitPartialDecryption(a, { voteId: v.id, partial });
      };
    },
  },
  {
    action: "cancel a vote",
    rule: "hall:moderate",
    expected: only({ convener: "allow", staff: "allow" }),
    attempt: async (w, a) => {
      const v = await createVote(await loadActor(db(), w.convener.id), input(w));
      return () => cancelVote(a, { voteId: v.id, reason: "规则有误" });
    },
  },
];

rows("permission matrix: votes", cases);

describe("permission matrix: votes", () => {
  it("the old receipts page sends everyone to the public board", async () => {
    const w = await buildHallWorld();
    const v = await secretVote(w);
    const res = receiptsLoader({ params: { id: String(v.id) }, request: new Request(`http://localhost/votes/${v.id}/receipts`), context: {} as never });
    expect(res.status).toBe(301);
    expect(res.headers.get("Location")).toBe(`/votes/${v.id}/board`);
  });
});
