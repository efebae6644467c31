import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Threshold, VoteMethod } from "#db/schema/votes";
import { ABSTAIN, ballotError, decide, NO, tally, YES, type VoteRule } from "~/modules/votes/rules";

const yesNo = (threshold: Threshold, quorumPercent = 0, abstentionsCountForQuorum = true): VoteRule => ({
  method: "yes_no",
  options: ["yes", "no", "abstain"],
  maxChoices: 1,
  threshold,
  quorumPercent,
  abstentionsCountForQuorum,
});
const ballots = (yes: number, no: number, abstain = 0) => [
  ...Array.from({ length: yes }, () => [YES]),
  ...Array.from({ length: no }, () => [NO]),
  ...Array.from({ length: abstain }, () => [ABSTAIN]),
];
const run = (rule: VoteRule, b: number[][], electorate: number) => decide(rule, tally(rule.method, rule.options.length, b), electorate).outcome;

describe("ballot validity", () => {
  const approval = { method: "approval" as const, options: ["a", "b", "c", "d"], maxChoices: 2 };
  it("accepts one option for yes/no and single choice, up to k for approval", () => {
    expect(ballotError(yesNo("simple_majority"), [YES])).toBeNull();
    expect(ballotError(yesNo("simple_majority"), [YES, NO])).toBe("vote.error.chooseOne");
    expect(ballotError(yesNo("simple_majority"), [])).toBe("vote.error.chooseOne");
    expect(ballotError(approval, [0, 3])).toBeNull();
    expect(ballotError(approval, [])).toBeNull();
    expect(ballotError(approval, [0, 1, 2])).toBe('vote.error.tooMany|{"max":2}');
  });
  it("refuses choices that are not options, and the same option twice", () => {
    expect(ballotError(approval, [4])).toBe("vote.error.notAnOption");
    expect(ballotError(approval, [-1])).toBe("vote.error.notAnOption");
    expect(ballotError(approval, [1.5])).toBe("vote.error.notAnOption");
    expect(ballotError(approval, [1, 1])).toBe("vote.error.notAnOption");
  });
});

describe("thresholds × quorum, edge by edge", () => {
  it("simple majority: yes must beat no; an exact tie fails; abstentions are ignored", () => {
    expect(run(yesNo("simple_majority"), ballots(3, 2, 10), 20)).toBe("passed");
    expect(run(yesNo("simple_majority"), ballots(3, 3, 1), 20)).toBe("failed_threshold");
    expect(run(yesNo("simple_majority"), ballots(0, 0, 5), 20)).toBe("failed_threshold"); // all abstain
  });
  it("majority of participants counts abstentions in the base (the Residents' Committee rule)", () => {
    expect(run(yesNo("majority_of_participants"), ballots(6, 2, 3), 20)).toBe("passed"); // 6 > 11/2
    expect(run(yesNo("majority_of_participants"), ballots(5, 2, 3), 20)).toBe("failed_threshold"); // 5 = 10/2
  });
  it("two thirds of votes cast: exactly two thirds passes", () => {
    expect(run(yesNo("two_thirds_cast"), ballots(2, 1), 10)).toBe("passed");
    expect(run(yesNo("two_thirds_cast"), ballots(5, 3), 10)).toBe("failed_threshold");
    expect(run(yesNo("two_thirds_cast"), ballots(0, 0, 4), 10)).toBe("failed_threshold");
  });
  it("two thirds of the electorate: exactly two thirds of everyone passes", () => {
    expect(run(yesNo("two_thirds_electorate"), ballots(20, 0), 30)).toBe("passed");
    expect(run(yesNo("two_thirds_electorate"), ballots(19, 0), 30)).toBe("failed_threshold");
  });
  it("quorum exactly met counts; one short fails; abstentions count only if the vote says so", () => {
    expect(run(yesNo("simple_majority", 50), ballots(3, 1, 1), 10)).toBe("passed"); // 5 of 10 = 50%
    expect(run(yesNo("simple_majority", 50), ballots(3, 1, 0), 10)).toBe("failed_quorum");
    expect(run(yesNo("simple_majority", 50, false), ballots(3, 1, 1), 10)).toBe("failed_quorum");
  });
  it("an empty electorate never passes, whatever the rule", () => {
    for (const th of ["simple_majority", "majority_of_participants", "two_thirds_cast", "two_thirds_electorate"] as const) {
      expect(run(yesNo(th, 0), [], 0)).toBe("failed_quorum");
    }
  });
  it("single choice: the leader wins only alone at the top", () => {
    const rule: VoteRule = { method: "single", options: ["东侧", "西侧", "不挪"], maxChoices: 1, threshold: "simple_majority", quorumPercent: 0, abstentionsCountForQuorum: true };
    const r = decide(rule, tally("single", 3, [[0], [0], [1], [2]]), 10);
    expect(r).toMatchObject({ outcome: "passed", winner: 0, counts: [2, 1, 1] });
    expect(run(rule, [[0], [1]], 10)).toBe("failed_threshold");
  });
  it("approval: empty ballots abstain", () => {
    const rule: VoteRule = { method: "approval", options: ["a", "b", "c"], maxChoices: 2, threshold: "majority_of_participants", quorumPercent: 0, abstentionsCountForQuorum: true };
    const r = decide(rule, tally("approval", 3, [[0, 1], [0], [], [0, 2]]), 10);
    expect(r).toMatchObject({ outcome: "passed", winner: 0, abstentions: 1, counts: [3, 1, 1] });
  });
});

describe("the tally equals a brute-force recount (property)", () => {
  const method = fc.constantFrom<VoteMethod>("yes_no", "single", "approval");
  it("for any ballots, every count, the ballots and the abstentions agree", () => {
    fc.assert(
      fc.property(method, fc.integer({ min: 2, max: 6 }), fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }), { maxLength: 200 }), (m, k, raw) => {
        const n = m === "yes_no" ? 3 : k;
        const valid = raw.map((b) => [...new Set(b.filter((c) => c < n))]).map((b) => (m === "approval" ? b : b.slice(0, 1))).filter((b) => m === "approval" || b.length === 1);
        const t = tally(m, n, valid);
        for (let option = 0; option < n; option++) {
          let brute = 0;
          for (const b of valid) if (b.includes(option)) brute++;
          expect(t.counts[option]).toBe(brute);
        }
        expect(t.ballots).toBe(valid.length);
        expect(t.abstentions).toBe(valid.filter((b) => (m === "yes_no" ? b[0] === ABSTAIN : b.length === 0)).length);
      }),
    );
  });

  it("a yes/no result passes only when its rule's inequality holds", () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(20), fc.nat(150), fc.integer({ min: 0, max: 100 }), (y, no, a, extra, q) => {
        const electorate = y + no + a + extra;
        const turnout = y + no + a;
        for (const th of ["simple_majority", "majority_of_participants", "two_thirds_cast", "two_thirds_electorate"] as const) {
          const outcome = run(yesNo(th, q), ballots(y, no, a), electorate);
          const quorum = electorate > 0 && turnout * 100 >= q * electorate;
          const rule = { simple_majority: y > no, majority_of_participants: 2 * y > turnout, two_thirds_cast: y + no > 0 && 3 * y >= 2 * (y + no), two_thirds_electorate: electorate > 0 && 3 * y >= 2 * electorate }[th];
          expect(outcome).toBe(!quorum ? "failed_quorum" : rule ? "passed" : "failed_threshold");
        }
      }),
    );
  });
});
