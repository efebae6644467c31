import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Electorate, Threshold, VoteMethod, VoteResult } from "#db/schema/votes";
import { translator } from "~/i18n/i18n";
import { explainResult, explanationText } from "~/modules/votes/explain";
import { ABSTAIN, decide, defaultQuestion, NO, readResult, tally, YES, type VoteRule } from "~/modules/votes/rules";
import { voteFormSchema } from "~/modules/votes/schemas";
import { simpleOutcome } from "../support/simple-count";

const THRESHOLDS: Threshold[] = ["simple_majority", "majority_of_participants", "two_thirds_cast", "two_thirds_electorate"];
const rule = (
  method: VoteMethod,
  options: string[],
  threshold: Threshold,
  quorumPercent = 0,
  maxChoices = 1,
  abstentionsCountForQuorum = true,
): VoteRule => ({
  method,
  options,
  maxChoices,
  threshold,
  quorumPercent,
  abstentionsCountForQuorum,
});
const repeat = (n: number, choices: number[]) => Array.from({ length: n }, () => choices);
const result = (r: VoteRule, ballots: number[][], electorate: number) => decide(r, tally(r.method, r.options.length, ballots), electorate);
const say = (
  locale: "zh-CN" | "en",
  r: VoteResult,
  vote: { method: VoteMethod; options: string[]; maxChoices: number; electorate: Electorate },
) => explanationText(translator(locale), explainResult(readResult(r, vote)!, vote));

describe("options votes are decided by their method (domain-rules.md, Options votes)", () => {
  const bins = ["东侧", "西侧", "不挪"];
  it("single choice names the leader when it meets the threshold", () => {
    const r = result(rule("single", bins, "simple_majority"), [...repeat(5, [0]), ...repeat(2, [1]), [2]], 37);
    expect(r).toMatchObject({ outcome: "passed", adopted: [0], winner: 0, tied: [], undecidedPlaces: 0 });
    // The same lead is not a majority of the 8 ballots under a stricter rule… 5 > 4 is; two thirds of 8 (6) is not.
    expect(result(rule("single", bins, "majority_of_participants"), [...repeat(5, [0]), ...repeat(2, [1]), [2]], 37).adopted).toEqual([0]);
    expect(result(rule("single", bins, "two_thirds_cast"), [...repeat(5, [0]), ...repeat(2, [1]), [2]], 37)).toMatchObject({
      outcome: "failed_threshold",
      adopted: [],
    });
    expect(result(rule("single", bins, "two_thirds_electorate"), repeat(6, [0]), 9)).toMatchObject({ outcome: "passed", adopted: [0] });
    expect(result(rule("single", bins, "two_thirds_electorate"), repeat(5, [0]), 9)).toMatchObject({
      outcome: "failed_threshold",
      adopted: [],
    });
  });

  it("a tie for the lead decides nothing, whatever the threshold", () => {
    for (const th of THRESHOLDS) {
      const r = result(rule("single", bins, th), [...repeat(3, [0]), ...repeat(3, [1])], 6);
      expect(r).toMatchObject({ outcome: "failed_threshold", adopted: [], tied: [0, 1], undecidedPlaces: 1, winner: null });
    }
  });

  it("approval adopts the top k that each meet the threshold; a tie at the k-th place leaves it undecided", () => {
    const opts = ["a", "b", "c", "d"];
    // 12 ballots, approvals a 8, b 6, c 6, d 1; k = 2: a is adopted, b and c tie for place 2.
    const ballots = [...repeat(5, [0, 1]), [0, 2], [0, 2], [1, 2], [2, 3], [2], [2], [0]];
    expect(result(rule("approval", opts, "simple_majority", 0, 2), ballots, 12)).toMatchObject({
      outcome: "passed",
      adopted: [0],
      tied: [1, 2],
      undecidedPlaces: 1,
    });
    // k = 3: a, b, c take the three places and beat d; but more than half of 12 ballots (7) only a has.
    expect(result(rule("approval", opts, "simple_majority", 0, 3), ballots, 12)).toMatchObject({ adopted: [0, 1, 2], tied: [] });
    expect(result(rule("approval", opts, "majority_of_participants", 0, 3), ballots, 12)).toMatchObject({ adopted: [0], tied: [] });
    // Two thirds of 12 eligible (8): only a.
    expect(result(rule("approval", opts, "two_thirds_electorate", 0, 3), ballots, 12)).toMatchObject({ adopted: [0] });
    // An option nobody approved is never adopted, even with places to spare.
    expect(result(rule("approval", opts, "simple_majority", 0, 4), [[0], [1]], 10)).toMatchObject({ adopted: [0, 1], tied: [] });
  });

  it("nothing is adopted without the quorum", () => {
    expect(result(rule("single", bins, "simple_majority", 50), repeat(4, [0]), 10)).toMatchObject({
      outcome: "failed_quorum",
      adopted: [],
      winner: null,
    });
  });
});

describe("every result states its arithmetic in both languages", () => {
  const yesNo = { method: "yes_no" as const, options: ["yes", "no", "abstain"], maxChoices: 1, electorate: "households" as const };
  it("yes/no, as in issue 11", () => {
    const r = result(rule("yes_no", yesNo.options, "simple_majority", 20), [...repeat(6, [YES]), ...repeat(2, [NO])], 37);
    expect(say("zh-CN", r, yesNo)).toBe("赞成 6 票 > 反对 2 票；参与 8/37 户 = 21.6 % ≥ 法定 20 %，表决通过。");
    expect(say("en", r, yesNo)).toBe("yes 6 > no 2; turnout 8/37 households = 21.6 % ≥ the required 20 %: passed.");
  });

  it("a tie fails, a missed quorum is shown as such, and excluded abstentions are said", () => {
    const tie = result(rule("yes_no", yesNo.options, "simple_majority", 0), [...repeat(3, [YES]), ...repeat(3, [NO])], 10);
    expect(say("zh-CN", tie, yesNo)).toBe("赞成 3 票 = 反对 3 票；参与 6/10 户（不设参与率门槛），表决未通过。");
    const thin = result(
      rule("yes_no", yesNo.options, "two_thirds_cast", 50, 1, false),
      [...repeat(3, [YES]), [NO], ...repeat(2, [ABSTAIN])],
      10,
    );
    expect(say("zh-CN", thin, yesNo)).toBe(
      "赞成 3 票 ≥ 所需 3 票（赞成与反对共 4 票的三分之二）；弃权 2 票不计入参与率；参与 4/10 户 = 40 % < 法定 50 %，参与人数不足，表决无效。",
    );
  });

  it("options votes name the option and what it was measured against", () => {
    const vote = { method: "single" as const, options: ["东侧", "西侧", "不挪"], maxChoices: 1, electorate: "households" as const };
    const r = result(rule("single", vote.options, "simple_majority", 20), [...repeat(5, [0]), ...repeat(2, [1]), [2]], 37);
    expect(say("zh-CN", r, vote)).toBe("“东侧” 5 票 > 其后选项的 2 票；参与 8/37 户 = 21.6 % ≥ 法定 20 %，选定“东侧”。");
    expect(say("en", r, vote)).toBe(
      "“东侧” 5 > 2 for the next option; turnout 8/37 households = 21.6 % ≥ the required 20 %: “东侧” chosen.",
    );
    const tie = result(rule("single", vote.options, "majority_of_participants"), [...repeat(3, [0]), ...repeat(3, [1])], 6);
    expect(say("zh-CN", tie, vote)).toBe(
      "“东侧”、“西侧”并列最多，各 3 票，最多票平票不作决定；参与 6/6 户（不设参与率门槛），平票，不作决定。",
    );
  });

  it("approval names each adopted option and the undecided place", () => {
    const vote = { method: "approval" as const, options: ["a", "b", "c", "d"], maxChoices: 2, electorate: "residents" as const };
    const ballots = [...repeat(5, [0, 1]), [0, 2], [0, 2], [1, 2], [2, 3], [2], [2], [0]];
    const r = result(rule("approval", vote.options, "majority_of_participants", 0, 2), ballots, 14);
    expect(say("zh-CN", r, vote)).toBe(
      "“a” 8 票 ≥ 所需 7 票（参与投票 12 票的过半数）；“b”、“c”并列第 2 名，各 6 票，1 个名额待定；参与 12/14 人（不设参与率门槛），选定“a”，另有 1 个名额待定。",
    );
  });

  it("reads and explains a result stored before ADR 0019 without re-deciding it", () => {
    const old = {
      outcome: "passed",
      counts: [3, 1, 0],
      ballots: 4,
      abstentions: 0,
      electorateSize: 6,
      turnout: 4,
      winner: 0,
      rule: { threshold: "simple_majority", quorumPercent: 0, abstentionsCountForQuorum: true },
    };
    const single = { method: "single" as const, options: ["东侧", "西侧", "不挪"], maxChoices: 1, electorate: "members" as const };
    expect(readResult(old, single)).toMatchObject({ legacy: true, adopted: [0], tied: [], rule: { method: "single", maxChoices: 1 } });
    expect(say("zh-CN", old as VoteResult, single)).toBe(
      "这次表决按当时的计票规则计算，当时没有保存计算过程；参与 4/6 人（不设参与率门槛），选定“东侧”。",
    );
    const oldYesNo = { ...old, winner: null, outcome: "failed_threshold", counts: [1, 1, 2] };
    expect(say("zh-CN", oldYesNo as VoteResult, { ...yesNo, electorate: "members" })).toBe(
      "赞成 1 票 = 反对 1 票；参与 4/6 人（不设参与率门槛），表决未通过。",
    );
    expect(readResult(null, single)).toBeNull();
    expect(readResult({ outcome: "passed" }, single)).toMatchObject({ counts: [0, 0, 0], adopted: [], legacy: true });
  });
});

describe("the named outcome equals a simple independent count (property, every method × threshold)", () => {
  it("for random ballots, quorums and electorates", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<VoteMethod>("yes_no", "single", "approval"),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 5 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 100 }),
        fc.nat(40),
        fc.boolean(),
        (method, optionCount, kRaw, raw, quorumPercent, extra, abstentionsCount) => {
          const n = method === "yes_no" ? 3 : optionCount;
          const k = method === "approval" ? Math.min(kRaw, n) : 1;
          const ballots = raw
            .map((b) => [...new Set(b.filter((c) => c < n))])
            .map((b) => (method === "approval" ? b.slice(0, k) : b.slice(0, 1)))
            .filter((b) => method === "approval" || b.length === 1);
          const electorate = ballots.length + extra;
          for (const threshold of THRESHOLDS) {
            const r = result(
              rule(
                method,
                Array.from({ length: n }, (_, i) => `o${i}`),
                threshold,
                quorumPercent,
                k,
                abstentionsCount,
              ),
              ballots,
              electorate,
            );
            const expected = simpleOutcome(method, n, k, threshold, quorumPercent, abstentionsCount, ballots, electorate);
            expect({ threshold, outcome: r.outcome, adopted: r.adopted, tied: r.tied }).toEqual({ threshold, ...expected });
            expect(r.winner).toBe(expected.adopted[0] ?? null);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("the vote form", () => {
  it("asks a question by default, not the proposal's title", () => {
    expect(defaultQuestion(translator("zh-CN"), "垃圾桶站挪到东侧。")).toBe("是否同意：垃圾桶站挪到东侧？");
    expect(defaultQuestion(translator("en"), "Move the bin station east")).toBe("Do you agree: Move the bin station east?");
  });

  it("refuses a secret ballot with a live tally, next to the live-tally box", () => {
    const base = { question: "是否同意：加装电梯？", method: "yes_no", electorate: "households", closesAt: "2026-12-10T18:00", quorumPercent: 50, threshold: "simple_majority" };
    const both = voteFormSchema.safeParse({ ...base, secret: true, liveResults: true });
    expect(both.success).toBe(false);
    expect(both.error?.issues).toMatchObject([{ path: ["liveResults"], message: "vote.error.secretLive" }]);
    expect(voteFormSchema.safeParse({ ...base, secret: true, liveResults: false }).success).toBe(true);
    expect(voteFormSchema.safeParse({ ...base, secret: false, liveResults: true }).success).toBe(true);
  });
});
