import type { Step as ProposalStep } from "~/modules/proposals/rules";
/**
 * Every state, kind, reason code and action the database stores reaches a
 * page in words (issue 14 §7: "进入'表决通过' · 系统：passed"). For each
 * value of each such enum, the Chinese text must exist and read as Chinese:
 * no raw code, no ASCII-only word. The lists come from the code (the schema's
 * `as const` lists, or a `Record<Union, true>` the compiler keeps complete),
 * so a new value fails here until both catalogues name it.
 */
import { describe, expect, it } from "vitest";
import type { AssignmentState, Electorate, Satisfaction, Threshold, VoteMethod, VoteState, WhistleKind, WhistleState } from "#db/schema";
import { deliveryStates } from "#db/schema/deliveries";
import { ballotChoices, handStances, meetingInvitees, meetingStatuses, motionKinds, motionStatuses, signInWays } from "#db/schema/meetings";
import {
  proposalEventKinds,
  proposalStates,
  reportReasons,
  stances,
  systemReasons,
  type ProposalEventKind,
  type ProposalState,
} from "#db/schema/halls";
import { organizationKinds, positionKinds } from "#db/schema/people";
import type { ActivityEligibility, Attendance, PledgeStatus, SignupStatus } from "#db/schema/pledges";
import { pledgeCategoryCodes } from "#db/schema/pledges";
import { bidStatuses, criterionKeys, evaluatorRoles, projectStatuses } from "#db/schema/projects";
import { departmentLevels, unitKinds } from "#db/schema/units";
import { whistleEventKinds } from "#db/schema/whistles";
import { milestoneStatuses } from "#db/schema/projects";
import { historyLine } from "~/components/proposals/history-text";
import { catalogs } from "~/i18n/catalogs.server";
import { punctuation, translate, translator, type MessageKey } from "~/i18n/i18n";
import { auditActions, auditSubjects } from "~/lib/audit";
import { projectEventKinds } from "~/modules/projects/schemas";
import type { Step } from "~/modules/whistles/rules";
import { openerSteps, openingReasons, receiptKinds } from "~/modules/projects/bid-schemas";
import type { Ineligible } from "~/modules/projects/rules";

const keys = <T extends string>(all: Record<T, true>) => Object.keys(all) as T[];

/** A value of each union the schema only types: the Record keeps the list complete. */
const voteStates = keys<VoteState>({ scheduled: true, open: true, tallying: true, closed: true, cancelled: true });
const voteMethods = keys<VoteMethod>({ yes_no: true, single: true, approval: true });
const electorates = keys<Electorate>({ members: true, residents: true, households: true });
const thresholds = keys<Threshold>({ simple_majority: true, majority_of_participants: true, two_thirds_cast: true, two_thirds_electorate: true });
const outcomes = ["passed", "failed_quorum", "failed_threshold"] as const;
const whistleStates = keys<WhistleState>({ requested: true, dispatched: true, resolved: true, closed: true, reopened: true });
const whistleKinds = keys<WhistleKind>({ enforcement: true, key_task: true, emergency: true, resident_request: true });
const assignmentStates = keys<AssignmentState>({ dispatched: true, signed: true, on_site: true, resolved: true, returned: true, confirmed: true, not_needed: true });
const satisfactions = keys<Satisfaction>({ satisfied: true, basically_satisfied: true, dissatisfied: true });
const steps = keys<Step>({ sign: true, onSite: true, resolve: true });
const pledgeStatuses = keys<PledgeStatus>({ active: true, fulfilled: true, lapsed: true, withdrawn: true });
const signupStatuses = keys<SignupStatus>({ signed_up: true, waitlisted: true, cancelled: true });
const attendances = keys<Attendance>({ pending: true, verified: true, no_show: true });
const eligibilities = keys<ActivityEligibility>({ members: true, residents: true });

/** The step bar's steps (proposals/rules stepBar). */
const proposalSteps = keys<ProposalStep>({ open: true, on_agenda: true, in_debate: true, voting: true, decided: true, handling: true, resolved: true, rated: true });

/** Prefix → the values whose words follow it. */
const enums: [string, readonly string[]][] = [
  ["contract.milestone.status.", milestoneStatuses],
  ["proposal.state.", proposalStates],
  ["proposal.step.", proposalSteps],
  ["event.", proposalEventKinds],
  ["event.reason.", systemReasons],
  ["stance.", stances],
  ["report.", reportReasons],
  ["proposal.decline.", ["out_of_scope", "duplicate", "unlawful"]],
  ["vote.state.", voteStates],
  ["vote.method.", voteMethods],
  ["vote.electorate.", electorates],
  ["vote.threshold.", thresholds],
  ["voteForm.optionThreshold.", thresholds],
  ["vote.outcome.", outcomes],
  ["whistle.state.", whistleStates],
  ["whistle.kind.", whistleKinds],
  ["whistle.event.", whistleEventKinds],
  ["whistle.role.", ["lead", "cooperate"]],
  ["whistle.step.", steps],
  ["whistle.satisfaction.", satisfactions],
  ["assignment.state.", assignmentStates],
  ["unit.kind.", unitKinds],
  ["unit.children.", unitKinds],
  ["admin.unitKind.", unitKinds],
  ["admin.level.", departmentLevels],
  ["position.kind.", positionKinds],
  ["organization.kind.", organizationKinds],
  ["pledge.category.", pledgeCategoryCodes],
  ["pledge.status.", pledgeStatuses],
  ["activity.signup.", signupStatuses],
  ["activity.attendance.", attendances],
  ["activity.eligibility.", eligibilities],
  ["admin.deliveries.state.", deliveryStates],
  ["meeting.status.", meetingStatuses],
  ["meeting.invitees.", meetingInvitees],
  ["meeting.way.", signInWays],
  ["meeting.stance.", handStances],
  ["meeting.ballot.", ballotChoices],
  ["meeting.motionKind.", motionKinds],
  ["meeting.motionStatus.", motionStatuses],
  ["project.status.", projectStatuses],
  ["project.bidStatus.", bidStatuses],
  ["project.evaluatorRole.", evaluatorRoles],
  ["project.criterion.", criterionKeys],
  ["project.event.", projectEventKinds],
  ["admin.audit.action.", auditActions],
  ["admin.audit.subject.", auditSubjects],
  ["bids.status.", bidStatuses],
  ["bids.reason.", openingReasons],
  ["bids.receiptKind.", receiptKinds],
  ["bids.ineligible.", keys<Ineligible>({ notSocialOrg: true, notVerified: true, tooNew: true, notLocal: true })],
  ["opener.step.", openerSteps],
];

/** ASCII words a Chinese page may show: file formats and the roster's name. */
const allowed = new Set(["JPG", "PNG", "WebP", "PDF", "HEIC", "MB", "N"]);

/** Why a Chinese text does not read as Chinese, or null when it does. */
function notChinese(template: string, code: string): string | null {
  const text = template.replace(/\{\w+\}/g, "");
  if (!/[\u4e00-\u9fff]/.test(text)) return "has no Chinese character";
  if (text.includes(code) && /[a-z]/i.test(code)) return `shows the code "${code}"`;
  const word = (text.match(/[A-Za-z_]+/g) ?? []).find((w) => !allowed.has(w));
  return word ? `has the ASCII word "${word}"` : null;
}

describe("every enum value reads as Chinese (issue 14 §7)", () => {
  it.each(enums)("%s*", (prefix, values) => {
    const problems: string[] = [];
    for (const value of values) {
      const key = `${prefix}${value}` as MessageKey;
      const zh = catalogs["zh-CN"][key];
      if (zh === undefined) problems.push(`${key}: missing in zh-CN`);
      else {
        const why = notChinese(zh, value);
        if (why) problems.push(`${key} = "${zh}" ${why}`);
      }
      if (catalogs.en[key] === undefined) problems.push(`${key}: missing in en`);
    }
    expect(problems).toEqual([]);
  });

  it("knows a raw code when it sees one (the check can fail)", () => {
    expect(notChinese("系统：passed", "passed")).not.toBeNull();
    expect(notChinese("pledge.lapsed", "pledge.lapsed")).not.toBeNull();
    expect(notChinese("true → false", "isHead")).not.toBeNull();
    expect(notChinese("修改 1+5+N 名单", "roster:set")).toBeNull();
  });
});

describe("a proposal's history in Chinese", () => {
  const t = translator("zh-CN");
  const punct = punctuation("zh-CN");
  const reasons: (string | null)[] = [...systemReasons, "seconding window passed", null];

  it("names every state, kind and system reason in words, whoever acted", () => {
    const problems: string[] = [];
    for (const kind of proposalEventKinds as readonly ProposalEventKind[]) {
      const states: (ProposalState | null)[] = kind === "state" ? [...proposalStates] : [null];
      for (const toState of states)
        for (const reason of kind === "state" ? reasons : [null])
          for (const actorName of [null, "李娟"]) {
            const line = historyLine(t, punct, { kind, toState, reason, actorName });
            const why = notChinese(line, reason ?? toState ?? kind);
            if (why) problems.push(`${line} ${why}`);
          }
    }
    expect(problems).toEqual([]);
  });

  it("reads the issue's example as words, and shows a person's own reason as written", () => {
    expect(historyLine(t, punct, { kind: "state", toState: "decided_passed", reason: "passed", actorName: null })).toBe(
      "状态变为“表决通过” · 系统自动：按表决结果",
    );
    expect(historyLine(t, punct, { kind: "state", toState: "withdrawn", reason: "问题已经解决了", actorName: "王秀兰" })).toBe(
      "状态变为“已撤回” · 王秀兰：问题已经解决了",
    );
  });
});

describe("numbers in Chinese text (issue 14 §7)", () => {
  it("writes counts and years without a separator, and groups only large figures", () => {
    expect(translate("zh-CN", "validation.tooLong", { max: 4000 })).toBe("太长了，最多 4000 个字。");
    expect(translate("zh-CN", "notifications.unreadCount", { count: 12345 })).toBe("12,345 条未读通知");
    expect(translate("en", "validation.tooLong", { max: 4000 })).toContain("4,000");
  });
});
