import { and, eq } from "drizzle-orm";
import type { Tx } from "../client.server";
import { halls, needClaims, needs, partyReports, proposalEvents, proposals, resources, type NeedStatus, type PledgeCategory } from "../schema";

/**
 * The three lists (三张清单) of 史家社区: needs posted by 李娟 (one raised
 * from a proposal the community handled itself), claims at every stage
 * (claimed, reported done, confirmed, released), and resources offered by
 * reported members and the State Grid Party committee. Its activities (项目清单)
 * come from demo-pledges.ts.
 */
export async function seedLists(tx: Tx, w: { id: (username: string) => number; shijia: { id: number }; orgs: { stateGrid: number } }) {
  const lijuan = w.id("lijuan");
  const chen = w.id("chenjianguo"); // admin of the State Grid Party committee
  const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
  const members = (
    await tx
      .select({ userId: partyReports.userId })
      .from(partyReports)
      .where(and(eq(partyReports.communityId, w.shijia.id), eq(partyReports.status, "confirmed")))
      .orderBy(partyReports.userId)
  ).map((r) => r.userId);
  const m = (i: number) => members[i % members.length]!;

  // A proposal of the 史家 hall the community handled itself, which became a need.
  const [hall] = await tx.select({ id: halls.id }).from(halls).where(eq(halls.unitId, w.shijia.id)).limit(1);
  const [stairs] = await tx
    .insert(proposals)
    .values({
      hallId: hall!.id,
      authorId: m(3),
      title: "3号楼楼道堆物清一清",
      body: "3号楼楼道里堆了多年的旧家具和纸箱，既挡路又有火灾隐患。居民同意自己动手，社区出车清运。",
      categoryCode: "junk_piles",
      state: "self_handled",
      secondsRequired: 5,
      clientKey: "seed-lists-stairs",
      createdAt: daysAgo(20),
      openedAt: daysAgo(20),
    })
    .returning();
  await tx.insert(proposalEvents).values([
    { proposalId: stairs!.id, actorId: m(3), kind: "state", toState: "open", at: daysAgo(20) },
    { proposalId: stairs!.id, actorId: lijuan, kind: "state", fromState: "open", toState: "self_handled", at: daysAgo(12) },
  ]);

  const need = (n: { category: PledgeCategory; title: string; description: string; whenText: string; unit: "people" | "hours"; amount: number; claimed: number; status: NeedStatus; proposalId?: number; closeReason?: string; days: number }) => ({
    unitId: w.shijia.id,
    category: n.category,
    title: n.title,
    description: n.description,
    whenText: n.whenText,
    unit: n.unit,
    amount: n.amount,
    claimed: n.claimed,
    status: n.status,
    proposalId: n.proposalId ?? null,
    closeReason: n.closeReason ?? null,
    createdBy: lijuan,
    createdAt: daysAgo(n.days),
    closedAt: n.status === "done" || n.status === "closed" ? daysAgo(1) : null,
  });
  const [clearing, , phones, sorting] = await tx
    .insert(needs)
    .values([
      need({ category: "environment", title: "3号楼楼道堆物清理", description: "搬运旧家具和纸箱到胡同口，社区安排车辆清运。请穿方便干活的衣服，手套社区准备。", whenText: "本周六上午 9:00–11:00", unit: "people", amount: 6, claimed: 5, status: "claimed", proposalId: stairs!.id, days: 10 }),
      need({ category: "serving_people", title: "独居老人午间送餐", description: "从社区老年餐桌把午饭送到8位独居老人家中，顺便聊聊天、看看身体。", whenText: "本月每个工作日 11:30–12:30", unit: "hours", amount: 20, claimed: 0, status: "open", days: 4 }),
      need({ category: "education", title: "老年人智能手机课堂助教", description: "帮老人学会用健康码、视频通话和网上缴费，一对一辅导。", whenText: "每周三下午 14:00–16:00", unit: "people", amount: 4, claimed: 4, status: "claimed", days: 15 }),
      need({ category: "environment", title: "垃圾分类桶前值守", description: "早晚高峰在桶站旁提醒居民分类投放。", whenText: "上月每天 7:00–9:00", unit: "hours", amount: 12, claimed: 12, status: "done", days: 40 }),
      need({ category: "policy_advice", title: "冬季用电安全入户讲解", description: "入户讲解电暖器安全使用和老旧线路改造政策。", whenText: "12月内", unit: "people", amount: 3, claimed: 0, status: "closed", closeReason: "供电所已统一安排入户，不再需要志愿者。", days: 25 }),
    ])
    .returning();

  await tx.insert(needClaims).values([
    // The stairwell: a member and the State Grid committee claimed; one member gave up.
    { needId: clearing!.id, userId: m(0), amount: 2, createdBy: m(0), createdAt: daysAgo(8) },
    { needId: clearing!.id, organizationId: w.orgs.stateGrid, amount: 3, createdBy: chen, createdAt: daysAgo(7) },
    { needId: clearing!.id, userId: m(5), amount: 1, status: "released" as const, releaseReason: "周六要加班，来不了了。", createdBy: m(5), createdAt: daysAgo(8), closedAt: daysAgo(6) },
    // The phone class: fully claimed, one said it is done and waits for 李娟.
    { needId: phones!.id, userId: m(1), amount: 2, reportedDoneAt: daysAgo(1), createdBy: m(1), createdAt: daysAgo(14) },
    { needId: phones!.id, userId: m(2), amount: 2, createdBy: m(2), createdAt: daysAgo(13) },
    // Sorting duty: done and confirmed.
    { needId: sorting!.id, userId: m(3), amount: 6, status: "done" as const, reportedDoneAt: daysAgo(3), confirmedBy: lijuan, createdBy: m(3), createdAt: daysAgo(38), closedAt: daysAgo(2) },
    { needId: sorting!.id, organizationId: w.orgs.stateGrid, amount: 6, status: "done" as const, reportedDoneAt: daysAgo(3), confirmedBy: lijuan, createdBy: chen, createdAt: daysAgo(37), closedAt: daysAgo(1) },
  ]);

  await tx.insert(resources).values([
    { unitId: w.shijia.id, organizationId: w.orgs.stateGrid, kind: "venue" as const, category: "education" as const, description: "朝阳门营业厅二楼多功能会议室，可坐40人，有投影。", availability: "工作日晚上和周末，提前三天预约", createdBy: chen, createdAt: daysAgo(30) },
    { unitId: w.shijia.id, organizationId: w.orgs.stateGrid, kind: "volunteers" as const, category: "environment" as const, description: "青年突击队志愿者10人，可参加环境整治和搬运。", availability: "每月第一、三个周六上午", createdBy: chen, createdAt: daysAgo(30) },
    { unitId: w.shijia.id, userId: m(0), kind: "skill" as const, category: "serving_people" as const, description: "电工，能帮老人检查家里的插座和线路。", availability: "周末下午", createdBy: m(0), createdAt: daysAgo(20) },
    { unitId: w.shijia.id, userId: m(5), kind: "skill" as const, category: "serving_people" as const, description: "全科医生，可以给老人量血压、讲讲用药。", availability: "每月第二个周日上午", createdBy: m(5), createdAt: daysAgo(18) },
    { unitId: w.shijia.id, userId: m(6), kind: "skill" as const, category: "education" as const, description: "中学老师，能辅导孩子功课，也能教老人用手机。", availability: "周三、周五晚上", createdBy: m(6), createdAt: daysAgo(16) },
    { unitId: w.shijia.id, userId: m(7), kind: "goods" as const, category: "environment" as const, description: "单位捐赠的分类垃圾桶20个、手套100副。", availability: "随时可领，联系社区", createdBy: m(7), createdAt: daysAgo(10) },
  ]);
}
