import { randomBytes } from "node:crypto";
import type { Tx } from "../client.server";
import { activities, activityRoles, partyReports, pledges, signups, type PledgeCategory } from "../schema";
import { recomputeAllPledges } from "~/modules/pledges/commands.server";
import { localDate } from "~/lib/time";

/**
 * The demo district's pledges and volunteer activities (双报到 put to work):
 * more reported Party members, pledges by them and by the State Grid Party
 * committee, past activities with verified hours, and upcoming ones with
 * free places. No new demo accounts: 陈建国 (chenjianguo) is the member,
 * 李娟 (lijuan) the organising community worker, 赵敏 (zhaomin) a civil-society organiser.
 */
export async function seedPledges(
  tx: Tx,
  w: {
    id: (username: string) => number;
    neighbours: { id: number }[];
    shijia: { id: number };
    neiwu: { id: number };
    chaoyangmen: { id: number };
    orgs: { stateGrid: number; sunshine: number };
  },
) {
  const TZ = process.env.TIME_ZONE ?? "Asia/Shanghai";
  const now = new Date();
  const year = localDate(now, TZ).slice(0, 4);
  const day = (offsetDays: number, hour: number) => {
    const d = new Date(now.getTime() + offsetDays * 86_400_000);
    d.setUTCHours(hour - 8, 0, 0, 0); // the hour in Beijing (the demo district's zone)
    return d;
  };

  // Eight neighbours of 史家社区 are in-service Party members who reported (双报到), five of them with State Grid.
  const workUnits = ["国网北京市电力公司", "国网北京市电力公司", "国网北京市电力公司", "国网北京市电力公司", "国网北京市电力公司", "东城区第一人民医院", "北京市第二中学", "东城区税务局"];
  const members = w.neighbours.slice(8, 16).map((n) => n.id);
  await tx.insert(partyReports).values(
    members.map((userId, i) => ({
      userId,
      communityId: w.shijia.id,
      workUnit: workUnits[i]!,
      partyOrgName: i < 5 ? "国网北京市电力公司党委" : `${workUnits[i]}党支部`,
      organizationId: i < 5 ? w.orgs.stateGrid : null,
      status: "confirmed" as const,
      showBadge: i % 2 === 0,
      decidedBy: w.id("lijuan"),
      decidedAt: day(-60, 10),
    })),
  );

  const chen = w.id("chenjianguo");
  const pledge = (p: { userId?: number; organizationId?: number; unitId: number; category: PledgeCategory; text: string; unit: "hours" | "times"; amount: number; startsOn?: string; endsOn?: string; status?: "withdrawn"; withdrawReason?: string; createdBy: number }) => ({
    userId: p.userId ?? null,
    organizationId: p.organizationId ?? null,
    unitId: p.unitId,
    category: p.category,
    text: p.text,
    unit: p.unit,
    amount: p.amount,
    startsOn: p.startsOn ?? `${year}-01-01`,
    endsOn: p.endsOn ?? `${year}-12-31`,
    status: p.status ?? ("active" as const),
    withdrawReason: p.withdrawReason ?? null,
    closedAt: p.status ? day(-10, 12) : null,
    createdBy: p.createdBy,
    createdAt: day(-90, 9),
  });
  const texts: [PledgeCategory, string, "hours" | "times", number][] = [
    ["environment", "每月参加一次胡同环境整治，清理楼道堆物", "hours", 24],
    ["serving_people", "每周为独居老人送一次餐，陪他们说说话", "times", 20],
    ["education", "给社区孩子上四次科学实验课", "times", 4],
    ["policy_advice", "每季度在社区坐班一次，解答用电和新能源车充电桩问题", "hours", 8],
    ["environment", "参加垃圾分类桶前值守", "hours", 12],
    ["serving_people", "为行动不便的老人提供上门义诊", "hours", 10],
    ["education", "为社区老人开设智能手机使用课堂", "times", 6],
    ["policy_advice", "帮助居民了解个税专项附加扣除", "hours", 6],
  ];
  await tx.insert(pledges).values([
    pledge({ userId: chen, unitId: w.neiwu.id, category: "environment", text: "每月至少参加一次社区环境整治，全年不少于 20 小时", unit: "hours", amount: 20, createdBy: chen }),
    pledge({ userId: chen, unitId: w.neiwu.id, category: "policy_advice", text: "为居民讲解阶梯电价和老旧线路改造政策", unit: "times", amount: 3, createdBy: chen }),
    pledge({ organizationId: w.orgs.stateGrid, unitId: w.chaoyangmen.id, category: "serving_people", text: "党员服务队全年为辖区居民提供 200 小时志愿服务", unit: "hours", amount: 200, createdBy: chen }),
    ...members.map((userId, i) => pledge({ userId, unitId: w.shijia.id, category: texts[i]![0], text: texts[i]![1], unit: texts[i]![2], amount: texts[i]![3], createdBy: userId })),
    pledge({ userId: members[0]!, unitId: w.shijia.id, category: "environment", text: "国庆期间每天巡查胡同卫生", unit: "hours", amount: 10, startsOn: `${year}-09-25`, endsOn: `${year}-10-08`, createdBy: members[0]! }),
    pledge({ userId: members[2]!, unitId: w.shijia.id, category: "education", text: "暑期每周带孩子们读书", unit: "times", amount: 8, status: "withdrawn", withdrawReason: "暑期被单位派往外地支援", createdBy: members[2]! }),
  ]);

  // Activities: past ones with verified hours, and upcoming ones with free places.
  const activity = async (a: { unitId: number; organizationId?: number; createdBy: number; title: string; description: string; category: PledgeCategory; place: string; start: Date; hours: number; eligibility: "members" | "residents"; roles: [string, number][] }) => {
    const [row] = await tx
      .insert(activities)
      .values({
        unitId: a.unitId,
        organizationId: a.organizationId ?? null,
        createdBy: a.createdBy,
        title: a.title,
        description: a.description,
        category: a.category,
        place: a.place,
        startsAt: a.start,
        endsAt: new Date(a.start.getTime() + a.hours * 3_600_000),
        eligibility: a.eligibility,
        codeSecret: randomBytes(20).toString("hex"),
        createdAt: new Date(a.start.getTime() - 7 * 86_400_000),
      })
      .returning();
    const roles = await tx
      .insert(activityRoles)
      .values(a.roles.map(([name, slots], i) => ({ activityId: row!.id, name, slots, sortOrder: i })))
      .returning();
    return { ...row!, roles };
  };
  const lijuan = w.id("lijuan");
  const attend = async (act: Awaited<ReturnType<typeof activity>>, people: number[], minutes: number) => {
    await tx.insert(signups).values(
      people.map((userId, i) => ({
        activityId: act.id,
        roleId: act.roles[i % act.roles.length]!.id,
        userId,
        status: "signed_up" as const,
        seq: i + 1,
        checkedInAt: new Date(act.startsAt.getTime() - 5 * 60_000),
        checkedOutAt: new Date(act.startsAt.getTime() + minutes * 60_000),
        attendance: "verified" as const,
        minutes,
        verifiedBy: act.createdBy,
        verifiedAt: act.endsAt,
        createdAt: new Date(act.startsAt.getTime() - 3 * 86_400_000),
      })),
    );
  };
  const cleanUp = await activity({ unitId: w.shijia.id, createdBy: lijuan, title: "史家胡同周末大扫除", description: "清理胡同内的小广告、楼道堆物和绿化带垃圾。工具由社区提供。", category: "environment", place: "史家胡同 24 号院门口", start: day(-21, 9), hours: 3, eligibility: "residents", roles: [["清扫", 10], ["宣传劝导", 4]] });
  await attend(cleanUp, [chen, ...members.slice(0, 6), w.id("wangxiulan")], 180);
  const meals = await activity({ unitId: w.neiwu.id, organizationId: w.orgs.stateGrid, createdBy: chen, title: "国网党员服务队：为独居老人送餐", description: "按名单为内务社区的独居老人送午餐，顺带检查家中用电安全。", category: "serving_people", place: "内务社区居委会", start: day(-14, 10), hours: 2, eligibility: "members", roles: [["送餐", 6], ["用电检查", 2]] });
  await attend(meals, members.slice(0, 6), 120); // 陈建国 organised it: he does not certify himself
  const talk = await activity({ unitId: w.neiwu.id, createdBy: lijuan, title: "老旧线路改造政策宣讲", description: "向居民介绍老旧小区线路改造的申请流程和补贴。", category: "policy_advice", place: "内务社区活动室", start: day(-7, 15), hours: 2, eligibility: "members", roles: [["讲解", 2], ["签到引导", 2]] });
  await attend(talk, [chen, members[1]!], 90);

  const upcoming = [
    await activity({ unitId: w.shijia.id, createdBy: lijuan, title: "垃圾分类桶前值守", description: "早晚高峰在分类驿站旁引导居民分类投放。", category: "environment", place: "史家胡同分类驿站", start: day(3, 7), hours: 2, eligibility: "residents", roles: [["早班值守", 4], ["宣传", 2]] }),
    await activity({ unitId: w.shijia.id, organizationId: w.orgs.sunshine, createdBy: w.id("zhaomin"), title: "智能手机课堂：教老人用健康码和挂号", description: "阳光社工带领志愿者一对一教老人使用手机。", category: "education", place: "史家社区活动室", start: day(5, 14), hours: 2, eligibility: "residents", roles: [["一对一辅导", 8], ["签到引导", 2]] }),
    await activity({ unitId: w.neiwu.id, organizationId: w.orgs.stateGrid, createdBy: chen, title: "国网党员服务队：冬季用电安全入户检查", description: "入户检查老旧线路和取暖电器，排查隐患。", category: "serving_people", place: "内务部街 15 号楼前", start: day(7, 9), hours: 3, eligibility: "members", roles: [["入户检查", 6], ["登记", 2]] }),
  ];
  // Some places already taken, so the counts have something to show.
  await tx.insert(signups).values(
    members.slice(0, 3).map((userId, i) => ({ activityId: upcoming[0]!.id, roleId: upcoming[0]!.roles[0]!.id, userId, status: "signed_up" as const, seq: i + 1, createdAt: day(-1, 12) })),
  );
  await recomputeAllPledges(tx, now, TZ);
}
