import { randomBytes } from "node:crypto";
import type { Tx } from "../client.server";
import { meetingAttendance, meetingHands, meetingInvites, meetingItems, meetingMinutes, meetingMotions, meetingProcedures, meetings } from "../schema";

/**
 * The demo district's hall meetings (议事会) in 史家胡同老街坊议事厅, convened
 * by 李娟 (lijuan): one held twelve days ago on the lift and the ramp, with
 * its sign-ins, speeches, an amendment and the motions' counted hands, and its
 * published minutes; and one in five days on the bins and the parking at the
 * lane's mouth. The hall's rules: 2 minutes a speech, twice an item, for and
 * against in turn, proxies allowed.
 */
export async function seedMeetings(
  tx: Tx,
  w: { hallId: number; id: (username: string) => number; invited: number[]; neighbours: number[]; past: [number, number]; upcoming: [number, number] },
) {
  const day = 86_400_000;
  const today = new Date();
  // 19:00 in Beijing (11:00 UTC) on a day so many days from today.
  const at = (days: number, minutes = 0) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + days * day + 11 * 3_600_000 + minutes * 60_000);
  const lijuan = w.id("lijuan");
  const procedure = { speakingSeconds: 120, timesPerItem: 2, alternate: true, proxies: true };
  await tx.insert(meetingProcedures).values({ hallId: w.hallId, ...procedure, updatedBy: lijuan });

  // ——— Held twelve days ago ———
  const start = at(-12);
  const [past] = await tx
    .insert(meetings)
    .values({
      hallId: w.hallId,
      title: "史家胡同居民议事会（加装电梯与无障碍坡道）",
      startsAt: start,
      minutes: 90,
      place: "史家社区居委会二楼活动室",
      remote: "腾讯会议 123 456 789（行动不便的邻居可在家参加）",
      invitees: "members",
      quorum: 20,
      ...procedure,
      status: "closed",
      codeSecret: randomBytes(20).toString("hex"),
      clientKey: "demo-past",
      createdBy: lijuan,
      createdAt: at(-20),
      openedAt: start,
      closedAt: at(-12, 70),
      rev: 40,
    })
    .returning();
  const m = past!.id;
  await tx.insert(meetingInvites).values(w.invited.map((userId) => ({ meetingId: m, userId })));
  const n = w.neighbours;
  const present = [w.id("wangxiulan"), w.id("zhangguifang"), ...n.slice(0, 21)];
  await tx.insert(meetingAttendance).values([
    ...present.map((userId, i) => ({ meetingId: m, userId, way: i % 5 === 4 ? ("staff" as const) : ("code" as const), byUserId: i % 5 === 4 ? lijuan : null, signedInAt: new Date(start.getTime() - (30 - i) * 60_000) })),
    { meetingId: m, userId: n[21]!, way: "proxy" as const, byUserId: n[4]!, signedInAt: new Date(start.getTime() - 5 * 60_000) },
  ]);
  const [lift, ramp] = await tx
    .insert(meetingItems)
    .values([
      { meetingId: m, position: 1, proposalId: w.past[0], minutes: 45, startedAt: at(-12, 3), endedAt: at(-12, 44) },
      { meetingId: m, position: 2, proposalId: w.past[1], minutes: 20, startedAt: at(-12, 45), endedAt: at(-12, 68) },
    ])
    .returning();
  const speech = (itemId: number, userId: number, stance: "for" | "against", minute: number, seconds: number, extra: { warned?: boolean; extended?: boolean } = {}) => ({
    meetingId: m,
    itemId,
    userId,
    stance,
    status: "spoken" as const,
    raisedAt: at(-12, minute - 1),
    startedAt: at(-12, minute),
    allottedSeconds: extra.extended ? 180 : 120,
    extended: extra.extended ?? false,
    warnedAt: extra.warned ? new Date(at(-12, minute).getTime() + 110_000) : null,
    endedAt: new Date(at(-12, minute).getTime() + seconds * 1000),
  });
  await tx.insert(meetingHands).values([
    speech(lift!.id, n[4]!, "for", 5, 118),
    speech(lift!.id, n[21]!, "against", 8, 150, { extended: true }),
    speech(lift!.id, n[5]!, "for", 12, 95),
    speech(lift!.id, n[6]!, "against", 15, 125, { warned: true }),
    speech(lift!.id, w.id("wangxiulan"), "for", 19, 80),
    speech(ramp!.id, n[2]!, "for", 47, 70),
    speech(ramp!.id, n[9]!, "against", 50, 60),
  ]);
  const [main] = await tx
    .insert(meetingMotions)
    .values({ meetingId: m, itemId: lift!.id, kind: "main", text: "同意 10 号院 3 号楼申请加装电梯补贴，由社区请住建委来讲解政策", movedBy: n[4]!, secondedBy: n[5]!, status: "passed", votesFor: 17, votesAgainst: 4, abstentions: 2, channels: { phones: { for: 0, against: 0, abstain: 0 }, hands: { for: 15, against: 4, abstain: 2 }, paper: { for: 2, against: 0, abstain: 0 } }, createdAt: at(-12, 25), decidedAt: at(-12, 42) })
    .returning();
  await tx.insert(meetingMotions).values([
    { meetingId: m, itemId: lift!.id, kind: "amendment", amendsId: main!.id, text: "加上：对一层住户的采光和噪音损失给予补偿，补偿方案再议", movedBy: n[21]!, secondedBy: n[6]!, status: "passed", votesFor: 15, votesAgainst: 5, abstentions: 3, channels: { phones: { for: 0, against: 0, abstain: 0 }, hands: { for: 13, against: 5, abstain: 3 }, paper: { for: 2, against: 0, abstain: 0 } }, createdAt: at(-12, 28), decidedAt: at(-12, 38) },
    { meetingId: m, itemId: ramp!.id, kind: "main", text: "同意在 14 号院门口加装无障碍坡道", movedBy: n[2]!, secondedBy: w.id("wangxiulan"), status: "passed", votesFor: 20, votesAgainst: 1, abstentions: 2, channels: { phones: { for: 0, against: 0, abstain: 0 }, hands: { for: 18, against: 1, abstain: 2 }, paper: { for: 2, against: 0, abstain: 0 } }, createdAt: at(-12, 55), decidedAt: at(-12, 66) },
  ]);
  const body = [
    "史家胡同居民议事会（加装电梯与无障碍坡道） 会议纪要",
    "议事厅：史家胡同老街坊议事厅；地点：史家社区居委会二楼活动室；召集人：李娟",
    "",
    "应到 39 人，实到 24 人（含委托 1 人），法定人数 20 人，达到法定人数。",
    "",
    "议程1：老楼加装电梯，请大家一起商量（计划 45 分钟，用时 41 分钟）",
    "  5 位邻居发言，赞成 3 人、反对 2 人；一层住户代表发言延时一次，一位发言人被提醒注意时间。",
    "  修正案：加上“对一层住户的采光和噪音损失给予补偿，补偿方案再议”——通过，赞成 15、反对 5、弃权 3；其中现场举手赞成 13、反对 5、弃权 3，纸质票赞成 2、反对 0、弃权 0。",
    "  动议：同意 10 号院 3 号楼申请加装电梯补贴，由社区请住建委来讲解政策（含修正案）——通过，赞成 17、反对 4、弃权 2；其中现场举手赞成 15、反对 4、弃权 2，纸质票赞成 2、反对 0、弃权 0。",
    "",
    "议程2：院门口加装无障碍坡道（计划 20 分钟，用时 23 分钟）",
    "  2 位邻居发言，赞成 1 人、反对 1 人。",
    "  动议：同意在 14 号院门口加装无障碍坡道——通过，赞成 20、反对 1、弃权 2；其中现场举手赞成 18、反对 1、弃权 2，纸质票赞成 2、反对 0、弃权 0。",
    "",
    "下一步：社区本周联系住建委；一层住户补偿方案下次议事会再议。",
  ].join("\n");
  await tx.insert(meetingMinutes).values([
    { meetingId: m, version: 1, body: body.replace("\n\n下一步：社区本周联系住建委；一层住户补偿方案下次议事会再议。", ""), published: false, authorId: lijuan, createdAt: at(-12, 70) },
    { meetingId: m, version: 2, body, published: true, authorId: lijuan, createdAt: at(-11) },
  ]);

  // ——— In five days ———
  const [upcoming] = await tx
    .insert(meetings)
    .values({
      hallId: w.hallId,
      title: "史家胡同居民议事会（垃圾桶站与夜间停车）",
      startsAt: at(5),
      minutes: 90,
      place: "史家社区居委会二楼活动室",
      remote: "腾讯会议 987 654 321",
      invitees: "members",
      quorum: 20,
      ...procedure,
      codeSecret: randomBytes(20).toString("hex"),
      clientKey: "demo-upcoming",
      createdBy: lijuan,
      createdAt: at(-1),
    })
    .returning();
  await tx.insert(meetingInvites).values(w.invited.map((userId) => ({ meetingId: upcoming!.id, userId })));
  await tx.insert(meetingItems).values([
    { meetingId: upcoming!.id, position: 1, proposalId: w.upcoming[0], minutes: 30 },
    { meetingId: upcoming!.id, position: 2, proposalId: w.upcoming[1], minutes: 40 },
  ]);
}
