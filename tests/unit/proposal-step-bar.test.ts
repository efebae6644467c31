import { describe, expect, it } from "vitest";
import type { ProposalState } from "#db/schema/halls";
import type { WhistleState } from "#db/schema/whistles";
import { stepBar } from "~/modules/proposals/rules";

/** The bar in short: each step's name with ✓ (done), * (current) or nothing (still to come), and who owns the next step. */
function bar(state: ProposalState, whistle: WhistleState | null = null) {
  const { steps, owner } = stepBar(state, whistle);
  return { steps: steps.map((s) => `${s.step}${s.status === "done" ? "✓" : s.status === "current" ? "*" : ""}`).join(" "), owner };
}

describe("the proposal's step bar", () => {
  it("walks the proposal's own lifecycle, saying who owns the next step", () => {
    expect(bar("open")).toEqual({ steps: "open* on_agenda in_debate voting decided handling resolved", owner: "members" });
    expect(bar("in_debate")).toEqual({ steps: "open✓ on_agenda✓ in_debate* voting decided handling resolved", owner: "convener" });
    expect(bar("decided_passed")).toEqual({ steps: "open✓ on_agenda✓ in_debate✓ voting✓ decided* handling resolved", owner: "community" });
    expect(bar("self_handled")).toEqual({ steps: "open✓ on_agenda✓ in_debate✓ voting✓ decided✓ handling* resolved", owner: "selfHandling" });
  });

  it("follows the whistle an escalated proposal became: asked for, handled, resolved, rated", () => {
    const done = "open✓ on_agenda✓ in_debate✓ voting✓ decided✓";
    expect(bar("escalated", "requested")).toEqual({ steps: `${done} handling* resolved rated`, owner: "subdistrict" });
    expect(bar("escalated", "dispatched")).toEqual({ steps: `${done} handling* resolved rated`, owner: "departments" });
    // Resolved (办结): the bar no longer stays at 决定; the residents' rating is what is going on.
    expect(bar("escalated", "resolved")).toEqual({ steps: `${done} handling✓ resolved✓ rated*`, owner: "raters" });
    // Reopened by the residents (重办): back to being handled.
    expect(bar("escalated", "reopened")).toEqual({ steps: `${done} handling* resolved rated`, owner: "departments" });
    expect(bar("escalated", "closed")).toEqual({ steps: `${done} handling✓ resolved✓ rated✓`, owner: null });
    expect(bar("closed", "closed")).toEqual(bar("escalated", "closed"));
  });

  it("ends a failed vote at its decision, and reaches no step for a proposal that stopped early", () => {
    expect(bar("decided_failed")).toEqual({ steps: "open✓ on_agenda✓ in_debate✓ voting✓ decided✓", owner: null });
    for (const state of ["draft", "withdrawn", "declined", "expired"] as const) {
      expect(bar(state)).toEqual({ steps: "open on_agenda in_debate voting decided handling resolved", owner: null });
    }
  });
});
