import fc from "fast-check";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { notifications, votes, type Threshold, type VoteMethod } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { castBallot, countVote, createVote, runVoteClock, type NewVote } from "~/modules/votes/commands.server";
import { getVotePage } from "~/modules/votes/queries.server";
import { NO, YES } from "~/modules/votes/rules";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { simpleAbstentions, simpleCounts, simpleOutcome } from "../support/simple-count";

const actor = (id: number) => loadActor(db(), id);
const HOUR = 60 * 60_000;

function voteInput(w: HallWorld, overrides: Partial<NewVote> = {}): NewVote {
  const opensAt = overrides.opensAt ?? new Date();
  return {
    hallId: w.hall.id,
    question: "是否同意：垃圾桶站挪到东侧？",
    method: "yes_no",
    options: [],
    maxChoices: 1,
    electorate: "members",
    opensAt,
    closesAt: new Date(opensAt.getTime() + HOUR),
    quorumPercent: 0,
    threshold: "simple_majority",
    abstentionsCountForQuorum: true,
    secret: false,
    liveResults: false,
    ...overrides,
  };
}

const reminders = async (voteId: number) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.kind, "notification.voteClosing"), eq(notifications.link, `/votes/${voteId}`)));

describe("the closing reminder (an injected clock)", () => {
  it("is never sent for a vote shorter than a day: a 6-minute vote opens and closes without one", async () => {
    const w = await buildHallWorld();
    const opensAt = new Date();
    const vote = await createVote(
      await actor(w.convener.id),
      voteInput(w, { opensAt, closesAt: new Date(opensAt.getTime() + 6 * 60_000) }),
      opensAt,
    );
    for (const minute of [0, 1, 5, 6, 7]) await runVoteClock(new Date(opensAt.getTime() + minute * 60_000));
    expect(await reminders(vote.id)).toHaveLength(0);
    const day = await createVote(
      await actor(w.convener.id),
      voteInput(w, { opensAt, closesAt: new Date(opensAt.getTime() + 24 * HOUR) }),
      opensAt,
    );
    await runVoteClock(new Date(opensAt.getTime() + 60_000));
    expect(await reminders(day.id)).toHaveLength(0); // exactly a day: a reminder would go out at opening
  });

  it("goes out 24 hours before closing, not earlier, once, to those who have not voted", async () => {
    const w = await buildHallWorld();
    const opensAt = new Date();
    const vote = await createVote(
      await actor(w.convener.id),
      voteInput(w, { opensAt, closesAt: new Date(opensAt.getTime() + 72 * HOUR) }),
      opensAt,
    );
    await castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [YES] }, new Date(opensAt.getTime() + 60_000));
    await runVoteClock(new Date(opensAt.getTime() + 60_000));
    await runVoteClock(new Date(opensAt.getTime() + 48 * HOUR - 60_000));
    expect(await reminders(vote.id)).toHaveLength(0);
    await runVoteClock(new Date(opensAt.getTime() + 48 * HOUR));
    await runVoteClock(new Date(opensAt.getTime() + 50 * HOUR));
    const sent = await reminders(vote.id);
    expect(sent).toHaveLength(5);
    expect(sent.map((n) => n.userId)).not.toContain(w.members[0]!.id);
  });
});

describe("voters are told the truth", () => {
  it("a household member sees who of the household voted and when", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { electorate: "households" }));
    const castAt = new Date(Date.now() + 60_000);
    await castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [NO] }, castAt);
    const other = await getVotePage(db(), vote.id, await actor(w.members[1]!.id));
    expect(other).toMatchObject({
      voted: true,
      votedByOther: true,
      myChoices: [NO],
      myBallot: { castByName: "m1", channel: "online", household: true },
    });
    expect(new Date(other!.myBallot!.castAt!).getTime()).toBe(castAt.getTime());
    const self = await getVotePage(db(), vote.id, await actor(w.members[0]!.id));
    expect(self).toMatchObject({ voted: true, votedByOther: false, myBallot: { castByName: "m1" } });
  });
});

describe("the count production uses (countVote, in SQL) and the stored result equal a simple count (property)", () => {
  it("for random ballots cast through the real commands, changes of mind included", async () => {
    const w = await buildHallWorld();
    const voters = await Promise.all([w.convener, w.author, ...w.members].map((u) => actor(u.id)));
    const threshold = fc.constantFrom<Threshold>("simple_majority", "majority_of_participants", "two_thirds_cast", "two_thirds_electorate");
    const ballot = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<VoteMethod>("yes_no", "single", "approval"),
        threshold,
        fc.integer({ min: 0, max: 100 }),
        fc.boolean(),
        fc.array(fc.option(fc.tuple(ballot, fc.option(ballot)), { nil: null }), { minLength: 6, maxLength: 6 }),
        async (method, th, quorumPercent, abstentionsCount, plans) => {
          const options = method === "yes_no" ? [] : ["东侧", "西侧", "不挪", "再议"];
          const k = method === "approval" ? 2 : 1;
          const n = method === "yes_no" ? 3 : 4;
          const valid = (b: number[]) => {
            const unique = [...new Set(b.filter((c) => c < n))];
            return method === "approval" ? unique.slice(0, k) : unique.length > 0 ? unique.slice(0, 1) : [0];
          };
          const opensAt = new Date();
          const vote = await createVote(
            await actor(w.convener.id),
            voteInput(w, {
              method,
              options,
              maxChoices: k,
              threshold: th,
              quorumPercent,
              abstentionsCountForQuorum: abstentionsCount,
              opensAt,
            }),
            opensAt,
          );
          const final: number[][] = [];
          await Promise.all(
            plans.map(async (plan, i) => {
              if (!plan) return;
              const [first, second] = plan;
              await castBallot(voters[i]!, { voteId: vote.id, choices: valid(first) }, opensAt);
              if (second) await castBallot(voters[i]!, { voteId: vote.id, choices: valid(second) }, opensAt);
              final.push(valid(second ?? first));
            }),
          );
          expect(await countVote(db(), vote)).toEqual({
            counts: simpleCounts(n, final),
            ballots: final.length,
            abstentions: simpleAbstentions(method, final),
          });
          await runVoteClock(new Date(vote.closesAt.getTime()));
          const [closed] = await db().select().from(votes).where(eq(votes.id, vote.id));
          const expected = simpleOutcome(method, n, k, th, quorumPercent, abstentionsCount, final, 6);
          expect({ outcome: closed!.result!.outcome, adopted: closed!.result!.adopted, tied: closed!.result!.tied }).toEqual(expected);
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
