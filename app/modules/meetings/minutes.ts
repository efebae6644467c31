import type { HandStance as Stance, MotionChannels, MotionKind, MotionStatus, SignInWay } from "#db/schema/meetings";
import type { Translate } from "~/i18n/i18n";

/** What the record of a meeting holds, for its minutes (纪要). */
export interface MeetingRecord {
  title: string;
  hallName: string;
  /** The start, as the district reads it ("2026-05-01 19:00"). */
  when: string;
  place: string;
  chair: string;
  invited: number;
  quorum: number;
  attendance: { name: string; way: SignInWay; holder: string | null }[];
  items: {
    position: number;
    proposalId: number;
    title: string;
    minutes: number;
    /** Seconds from the item's start to its end. */
    usedSeconds: number;
    speakers: { name: string; stance: Stance; seconds: number; warned: boolean }[];
    motions: { kind: MotionKind; text: string; status: MotionStatus; movedBy: string; secondedBy: string | null; votesFor: number | null; votesAgainst: number | null; abstentions: number | null; channels: MotionChannels | null }[];
  }[];
}

const minutesOf = (seconds: number) => Math.round(seconds / 60);

/** A result by channel in words: "of which phones 4/1/0, hands counted 1/0/0, paper 0/1/0" (each channel, so the record shows how the room voted). */
export function channelsLine(c: MotionChannels, t: Translate): string {
  const list = (["phones", "hands", "paper"] as const).map((k) => t("meeting.minutes.channel", { channel: t(`meeting.channel.${k}`), for: c[k].for, against: c[k].against, abstain: c[k].abstain }));
  return list.join(t("meeting.minutes.channelJoin"));
}

/** One motion's outcome in words: "text (passed, 12 for, 3 against, 1 abstaining; of which phones …, hands …, paper …)". */
function motionLine(m: MeetingRecord["items"][number]["motions"][number], t: Translate): string {
  const total = m.votesFor !== null ? t("meeting.minutes.counts", { for: m.votesFor, against: m.votesAgainst ?? 0, abstain: m.abstentions ?? 0 }) : "";
  const counts = total && m.channels ? total + t("meeting.minutes.channels", { list: channelsLine(m.channels, t) }) : total;
  return t("meeting.minutes.motion", {
    kind: t(`meeting.motionKind.${m.kind}`),
    text: m.text,
    status: t(`meeting.motionStatus.${m.status}`),
    counts,
    by: m.movedBy,
    second: m.secondedBy ?? "—",
  });
}

/** An item's outcome for its proposal's own minutes. */
export function outcomeOf(item: MeetingRecord["items"][number], t: Translate): string {
  if (item.motions.length === 0) return t("meeting.minutes.noMotion");
  return item.motions.map((m) => motionLine(m, t)).join("\n");
}

/**
 * The first draft of the minutes, from the record: attendance and quorum,
 * each item's speakers and the time they used, the motions and amendments
 * with their results. Plain text the convener edits before publishing.
 */
export function draftMinutes(r: MeetingRecord, t: Translate): string {
  const lines: string[] = [];
  lines.push(t("meeting.minutes.heading", { title: r.title }));
  lines.push(t("meeting.minutes.meta", { hall: r.hallName, when: r.when, place: r.place, chair: r.chair }));
  lines.push("");
  const met = r.attendance.length >= r.quorum;
  lines.push(t("meeting.minutes.attendance", { present: r.attendance.length, invited: r.invited, quorum: r.quorum }) + t(met ? "meeting.minutes.quorumMet" : "meeting.minutes.quorumNotMet"));
  if (r.attendance.length) {
    lines.push(
      r.attendance
        .map((a) => (a.way === "proxy" && a.holder ? t("meeting.minutes.proxy", { name: a.name, holder: a.holder }) : a.name))
        .join(t("punct.list")),
    );
  }
  for (const item of r.items) {
    lines.push("");
    lines.push(t("meeting.minutes.item", { n: item.position, title: item.title, id: item.proposalId, planned: item.minutes, used: minutesOf(item.usedSeconds) }));
    if (item.speakers.length === 0) lines.push(t("meeting.minutes.noSpeakers"));
    item.speakers.forEach((s, i) =>
      lines.push(t("meeting.minutes.speaker", { n: i + 1, name: s.name, stance: t(`meeting.stance.${s.stance}`), seconds: s.seconds }) + (s.warned ? t("meeting.minutes.warned") : "")),
    );
    if (item.motions.length === 0) lines.push(t("meeting.minutes.noMotion"));
    for (const m of item.motions) lines.push(motionLine(m, t));
  }
  return lines.join("\n");
}
