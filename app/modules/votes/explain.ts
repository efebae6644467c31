import type { Electorate } from "#db/schema/votes";
import type { MessageKey, Params } from "~/i18n/i18n";
import { NO, quorumMet, standings, thresholdBase, votesNeeded, YES, type ReadResult } from "./rules";

/**
 * A closed vote's result in plain words (ADR 0019): the arithmetic behind
 * it, part by part, then the conclusion, as message keys with parameters so
 * that both languages say the same thing and a unit test can check it:
 * "赞成 6 票 > 反对 2 票；参与 8/37 户 = 21.6 % ≥ 法定 20 %，表决通过".
 * Pure: nothing here reads the database or the clock.
 */
export type ExplainParam = string | number | { options: string[] } | { key: MessageKey };
export interface Part {
  key: MessageKey;
  params?: Record<string, ExplainParam>;
}
export interface Explanation {
  parts: Part[];
  conclusion: Part;
}

/** Percent with one decimal, rounded down, so that "≥ 20 %" is never shown for 19.96 %. */
export function percentDown(n: number, of: number): number {
  return of > 0 ? Math.floor((n * 1000) / of) / 10 : 0;
}

export function explainResult(r: ReadResult, vote: { options: string[]; electorate: Electorate }): Explanation {
  const parts: Part[] = [];
  const name = (i: number) => vote.options[i] ?? "?";
  const base = thresholdBase(r.rule.threshold, r, r.electorateSize);
  const measure = (subject: Record<string, ExplainParam>, n: number, rival: number, optionVote: boolean): Part => {
    const prefix = optionVote ? "voteResult.option" : "voteResult.yes";
    if (r.rule.threshold === "simple_majority") {
      return {
        key: `${prefix}.simple_majority` as MessageKey,
        params: { ...subject, n, op: n > rival ? ">" : n === rival ? "=" : "<", rival },
      };
    }
    const need = votesNeeded(r.rule.threshold, base);
    return { key: `${prefix}.${r.rule.threshold}` as MessageKey, params: { ...subject, n, op: n >= need ? "≥" : "<", need, base } };
  };

  if (r.rule.method === "yes_no") {
    parts.push(measure({}, r.counts[YES] ?? 0, r.counts[NO] ?? 0, false));
  } else if (r.legacy) {
    // Counted before ADR 0019, by a rule that did not record its arithmetic: name what was stored, nothing more.
    parts.push({ key: "voteResult.legacy" });
  } else if (r.counts.every((n) => n === 0)) {
    parts.push({ key: "voteResult.noVotes" });
  } else {
    const places = r.rule.method === "approval" ? Math.max(1, Math.min(r.rule.maxChoices, r.counts.length)) : 1;
    const s = standings(r.counts, places);
    for (const i of s.top) parts.push(measure({ option: name(i) }, r.counts[i] ?? 0, s.rival, true));
    if (s.tied.length > 0) {
      const tie = { options: { options: s.tied.map(name) }, n: r.counts[s.tied[0]!] ?? 0 };
      parts.push(
        places === 1
          ? { key: "voteResult.tieForLead", params: tie }
          : { key: "voteResult.tieAtPlace", params: { ...tie, place: s.top.length + 1, places: s.undecidedPlaces } },
      );
    }
  }

  if (!r.rule.abstentionsCountForQuorum && r.abstentions > 0)
    parts.push({ key: "voteResult.abstentionsExcluded", params: { n: r.abstentions } });
  const unit = { key: (vote.electorate === "households" ? "voteResult.unit.households" : "voteResult.unit.people") as MessageKey };
  if (r.electorateSize === 0) parts.push({ key: "voteResult.emptyElectorate" });
  else if (r.rule.quorumPercent === 0)
    parts.push({ key: "voteResult.turnoutNoQuorum", params: { turnout: r.turnout, size: r.electorateSize, unit } });
  else {
    const met = quorumMet(r.rule.quorumPercent, r.turnout, r.electorateSize);
    parts.push({
      key: "voteResult.turnout",
      params: {
        turnout: r.turnout,
        size: r.electorateSize,
        unit,
        pct: percentDown(r.turnout, r.electorateSize),
        op: met ? "≥" : "<",
        quorum: r.rule.quorumPercent,
      },
    });
  }

  return { parts, conclusion: conclude(r, name) };
}

function conclude(r: ReadResult, name: (i: number) => string): Part {
  if (r.outcome === "failed_quorum") return { key: "voteResult.conclusion.failedQuorum" };
  if (r.rule.method === "yes_no") return { key: r.outcome === "passed" ? "voteResult.conclusion.passed" : "voteResult.conclusion.failed" };
  const adopted = { options: r.adopted.map(name) };
  if (r.adopted.length > 0 && r.undecidedPlaces > 0)
    return { key: "voteResult.conclusion.adoptedSomeUndecided", params: { options: adopted, places: r.undecidedPlaces } };
  if (r.adopted.length > 0) return { key: "voteResult.conclusion.adopted", params: { options: adopted } };
  if (r.undecidedPlaces > 0) return { key: "voteResult.conclusion.tie" };
  return { key: "voteResult.conclusion.noneAdopted" };
}

/** The explanation as one sentence in a language: parts joined by "；", then "，" and the conclusion. */
export function explanationText(t: (key: MessageKey, params?: Params) => string, e: Explanation): string {
  const render = (p: Part) =>
    t(p.key, p.params ? Object.fromEntries(Object.entries(p.params).map(([k, v]) => [k, param(t, v)])) : undefined);
  return t("voteResult.sentence", { parts: e.parts.map(render).join(t("voteResult.partSeparator")), conclusion: render(e.conclusion) });
}

function param(t: (key: MessageKey, params?: Params) => string, v: ExplainParam): string | number {
  if (typeof v === "string" || typeof v === "number") return v;
  if ("key" in v) return t(v.key);
  return v.options.map((o) => t("voteResult.quoted", { text: o })).join(t("voteResult.listSeparator"));
}
