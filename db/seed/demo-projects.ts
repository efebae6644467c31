import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "../client.server";
import {
  bidReceipts,
  bidScores,
  bids,
  conflictDeclarations,
  organizationMembers,
  organizations,
  projectEvaluators,
  projectEvents,
  projectKeys,
  projectMilestones,
  projectOpeners,
  projectQuestions,
  projectRatings,
  projects,
  residencyClaims,
  type BidContents,
  type Criterion,
} from "../schema";
import { DEMO_TELLER_PASSPHRASE } from "~/modules/identity/demo-accounts";
import { encodeContents } from "~/modules/projects/bid-schemas";
import { milestonePayment, noticeEnd, panelScore, toHundredths, type Sheet } from "~/modules/projects/rules";
import { partialOpen, sealBid } from "~/modules/projects/seal";
import { electionKeyOf, projectContext } from "~/modules/votes/crypto";
import { tellerConfirm, tellerDeal, tellerStart, unlockShare } from "~/modules/votes/tellers";

/**
 * Three service projects in 史家社区 (issue 16), so every page of the
 * procurement has content on first start: one completed (opened, scored,
 * awarded, its contract run in milestones and rated by residents), one open
 * for bids (one sealed bid in, one question answered), one being evaluated
 * (opened; one evaluator has scored, one has declared, one has not begun).
 *
 * The cryptography is real: each call's opening committee runs the key
 * ceremony with the documented demo passphrase (DEMO_TELLER_PASSPHRASE), bids
 * are sealed to the committee's key, and the opened ones were opened by two
 * members' partial decryptions, exactly as the pages do it in browsers. The
 * vaults use a cheaper scrypt cost than real ones so the demo seeds quickly.
 */
const DEMO_VAULT = { N: 2 ** 12, r: 8, p: 1 };
const DAY = 86_400_000;

interface World {
  id: (username: string) => number;
  neighbours: { id: number }[];
  shijia: { id: number };
  chaoyangmen: { id: number };
  sunshine: number;
}

const criteria: Criterion[] = [
  { id: "price", key: "price", weight: 30 },
  { id: "plan", key: "plan", weight: 40 },
  { id: "experience", key: "experience", weight: 20 },
  { id: "local", key: "local", weight: 10 },
];

export async function seedProjects(tx: Tx, w: World) {
  const now = Date.now();
  const n = (i: number) => w.neighbours[i]!.id;
  // Two more verified civil-society organisations, and the sunshine centre verified long ago (calls ask for six months).
  const [youth, watch] = await tx
    .insert(organizations)
    .values([
      { kind: "social_org", name: "东城区启航青少年发展中心", unitId: w.chaoyangmen.id, registrationNumber: "52110101MJ0712345K", serviceScope: "课后托管、青少年阅读与心理支持", status: "confirmed", decidedBy: w.id("sunlei"), decidedAt: new Date(now - 700 * DAY), createdBy: n(7), description: "扎根朝阳门地区八年的青少年服务机构。" },
      { kind: "social_org", name: "邻里守望社会工作事务所", unitId: w.chaoyangmen.id, registrationNumber: "52110101MJ0798765Q", serviceScope: "助老探访、邻里互助、社区营造", status: "confirmed", decidedBy: w.id("sunlei"), decidedAt: new Date(now - 420 * DAY), createdBy: n(8), description: "专业社工团队，承接过多个街道的助老项目。" },
    ])
    .returning({ id: organizations.id });
  await tx.update(organizations).set({ decidedAt: new Date(now - 900 * DAY) }).where(eq(organizations.id, w.sunshine));
  await tx.insert(organizationMembers).values([
    { organizationId: youth!.id, userId: n(7), role: "admin" },
    { organizationId: watch!.id, userId: n(8), role: "admin" },
  ]);
  const orgs = { sunshine: w.sunshine, youth: youth!.id, watch: watch!.id };
  const admins = { [w.sunshine]: w.id("zhaomin"), [youth!.id]: n(7), [watch!.id]: n(8) } as Record<number, number>;
  const staff = w.id("lijuan");
  const committee = [w.id("lijuan"), w.id("zhangguifang"), w.id("wangxiulan")];
  const panel = [
    { userId: w.id("zhangguifang"), role: "staff" as const },
    { userId: w.id("wangxiulan"), role: "resident" as const },
    { userId: n(9), role: "expert" as const },
  ];

  /** A call with its committee's key made, as of `createdAt`. */
  const call = async (values: Omit<typeof projects.$inferInsert, "unitId" | "criteria" | "createdBy" | "eligibility" | "category">, category: (typeof projects.$inferInsert)["category"]) => {
    const [p] = await tx
      .insert(projects)
      .values({ ...values, unitId: w.shijia.id, category, criteria, eligibility: { minMonthsVerified: 6, localOnly: false }, createdBy: staff })
      .returning();
    const scope = projectContext(p!.id);
    const started = await Promise.all(committee.map(() => tellerStart(scope, 2, DEMO_TELLER_PASSPHRASE, DEMO_VAULT)));
    const peers = started.map((s, k) => ({ index: k + 1, transportKey: s.transportKey }));
    const dealt = await Promise.all(started.map((s, k) => tellerDeal(scope, k + 1, DEMO_TELLER_PASSPHRASE, s.setupVault, peers)));
    const commitments = started.map((s, k) => ({ index: k + 1, commitments: s.commitments }));
    const confirmed = await Promise.all(
      started.map((s, k) =>
        tellerConfirm(scope, k + 1, DEMO_TELLER_PASSPHRASE, s.setupVault, dealt.map((d, i) => ({ from: i + 1, sealed: d.find((x) => x.to === k + 1)!.sealed })), commitments, DEMO_VAULT),
      ),
    );
    const openingKey = electionKeyOf(started.map((s) => s.commitments));
    await tx.insert(projectKeys).values({ projectId: p!.id, threshold: 2, openingKey });
    await tx.insert(projectOpeners).values(
      committee.map((userId, k) => ({
        projectId: p!.id,
        index: k + 1,
        userId,
        transportKey: started[k]!.transportKey,
        commitments: started[k]!.commitments,
        dealt: true,
        shareVault: confirmed[k]!.shareVault,
        verificationKey: confirmed[k]!.verificationKey,
      })),
    );
    const at = p!.createdAt;
    await tx.insert(projectEvaluators).values(panel.map((e) => ({ projectId: p!.id, userId: e.userId, role: e.role, invitedBy: staff })));
    await tx.insert(projectEvents).values([
      { projectId: p!.id, actorId: staff, kind: "created", at },
      { projectId: p!.id, actorId: staff, kind: "committee_named", detail: { members: 3, threshold: 2 }, at },
      { projectId: p!.id, actorId: staff, kind: "panel", at },
      { projectId: p!.id, actorId: null, kind: "opening_key", detail: { threshold: 2, members: 3 }, at },
      { projectId: p!.id, actorId: staff, kind: "published", at: p!.publishedAt ?? at },
    ]);
    return { project: p!, openingKey, shareVaults: confirmed.map((c) => c.shareVault) };
  };

  /** A bid sealed to the call's key, as the bidder's browser seals it. */
  const bid = async (projectId: number, openingKey: string, organizationId: number, contents: BidContents, at: Date) => {
    const sealed = await sealBid(projectId, organizationId, openingKey, encodeContents(contents));
    const [row] = await tx
      .insert(bids)
      .values({ projectId, organizationId, status: "submitted", revision: 1, sealed: sealed.sealed, receipt: sealed.receipt, submittedBy: admins[organizationId]!, submittedAt: at })
      .returning();
    await tx.insert(bidReceipts).values({ bidId: row!.id, revision: 1, kind: "submit", receipt: sealed.receipt, by: admins[organizationId]!, at });
    return row!;
  };

  /** The opening (开标): members 1 and 2 publish their partial decryptions; the contents are written as the opening writes them. */
  const open = async (c: Awaited<ReturnType<typeof call>>, placed: { row: typeof bids.$inferSelect; contents: BidContents; name: string }[], at: Date) => {
    const scope = projectContext(c.project.id);
    for (const index of [1, 2]) {
      const secret = await unlockShare(scope, DEMO_TELLER_PASSPHRASE, c.shareVaults[index - 1]!);
      const partials = Object.fromEntries(placed.map((b) => [String(b.row.id), partialOpen(c.project.id, b.row.id, secret, b.row.sealed!.R)]));
      await tx.update(projectOpeners).set({ partials }).where(and(eq(projectOpeners.projectId, c.project.id), eq(projectOpeners.index, index)));
      await tx.insert(projectEvents).values({ projectId: c.project.id, actorId: committee[index - 1]!, kind: "opener_partial", detail: { index }, at });
    }
    for (const b of placed) await tx.update(bids).set({ status: "valid", contents: b.contents, price: b.contents.price }).where(eq(bids.id, b.row.id));
    await tx.update(projects).set({ openedAt: at, status: "evaluating" }).where(eq(projects.id, c.project.id));
    await tx.insert(projectEvents).values([
      { projectId: c.project.id, actorId: null, kind: "closed", detail: { bids: placed.length }, at: c.project.bidDeadline },
      {
        projectId: c.project.id,
        actorId: null,
        kind: "opened",
        detail: { bids: placed.map((b) => ({ bidId: b.row.id, organizationId: b.row.organizationId, name: b.name, price: b.contents.price, status: "valid", reason: null })), members: [1, 2] },
        at,
      },
    ]);
  };

  /** One evaluator's declaration (no conflicts unless named) and, if given, their sheets. */
  const evaluate = async (projectId: number, userId: number, bidIds: number[], sheets: Record<number, Sheet> | null, at: Date, conflicts: number[] = []) => {
    await tx.insert(conflictDeclarations).values(bidIds.map((bidId) => ({ projectId, userId, bidId, conflict: conflicts.includes(bidId), note: conflicts.includes(bidId) ? "曾在该机构兼职，申请回避" : null })));
    await tx.update(projectEvaluators).set({ declaredAt: at, submittedAt: sheets ? at : null }).where(and(eq(projectEvaluators.projectId, projectId), eq(projectEvaluators.userId, userId)));
    if (sheets) {
      const rows = Object.entries(sheets).flatMap(([bidId, sheet]) => Object.entries(sheet).map(([criterion, score]) => ({ projectId, userId, bidId: Number(bidId), criterion, score })));
      if (rows.length) await tx.insert(bidScores).values(rows);
    }
  };

  // ---------------------------------------------------------------------------------------------
  // 1. Completed: meals for elderly people living alone, 2026.
  const c1 = await call(
    {
      title: "史家社区高龄独居老人助餐与探访服务（2026 年度）",
      scope: "为社区 80 岁以上独居老人每周提供五次送餐上门，每月两次入户探访，建立健康与需求台账；组织志愿者结对，节假日开展集体活动。",
      budgetCap: 180_000,
      periodStart: "2026-03-01",
      periodEnd: "2026-11-30",
      questionsCloseAt: new Date("2026-01-20T10:00:00+08:00"),
      bidDeadline: new Date("2026-01-31T17:00:00+08:00"),
      status: "completed",
      createdAt: new Date("2026-01-05T09:00:00+08:00"),
      publishedAt: new Date("2026-01-06T09:00:00+08:00"),
    },
    "serving_people",
  );
  const p1 = c1.project.id;
  const c1Bids: { org: number; name: string; contents: BidContents; at: string }[] = [
    {
      org: orgs.sunshine,
      name: "东城区阳光社会工作服务中心",
      at: "2026-01-28T15:20:00+08:00",
      contents: {
        price: 168_000,
        plan: "与社区食堂合作中央厨房配餐，专职送餐员两名、志愿者十二名分片负责；每次探访填写健康与需求台账，异常情况当日报告社区。",
        team: "项目主管 1 名（中级社工师）、社工 2 名、送餐员 2 名、志愿者 12 名",
        experience: "2023—2025 年承接朝阳门街道助老服务项目，服务老人 300 余名。",
        milestones: [
          { title: "建立服务台账，送餐与探访启动", due: "2026-04-15", share: 30 },
          { title: "过半服务期评估", due: "2026-07-31", share: 40 },
          { title: "全年服务完成与总结", due: "2026-11-30", share: 30 },
        ],
        attachments: [],
      },
    },
    {
      org: orgs.watch,
      name: "邻里守望社会工作事务所",
      at: "2026-01-30T10:05:00+08:00",
      contents: {
        price: 152_000,
        plan: "以邻里互助为主，志愿者轮值送餐，社工每月探访一次。",
        team: "社工 2 名、志愿者 20 名",
        milestones: [
          { title: "启动", due: "2026-04-30", share: 50 },
          { title: "结项", due: "2026-11-30", share: 50 },
        ],
        attachments: [],
      },
    },
    {
      org: orgs.youth,
      name: "东城区启航青少年发展中心",
      at: "2026-01-31T09:40:00+08:00",
      contents: {
        price: 175_000,
        plan: "组织中学生志愿者与老人结对，周末送餐并陪伴。",
        team: "项目主管 1 名、带队老师 3 名、学生志愿者 40 名",
        milestones: [{ title: "全年服务", due: "2026-11-30", share: 100 }],
        attachments: [],
      },
    },
  ];
  const placed1 = [];
  for (const b of c1Bids) placed1.push({ row: await bid(p1, c1.openingKey, b.org, b.contents, new Date(b.at)), contents: b.contents, name: b.name });
  const opened1 = new Date("2026-01-31T17:30:00+08:00");
  await open(c1, placed1, opened1);
  await tx.update(projects).set({ bidCount: placed1.length }).where(eq(projects.id, p1));
  const ids1 = placed1.map((b) => b.row.id);
  const [sun1, watch1, youth1] = ids1 as [number, number, number];
  const sheets1: Record<number, Sheet>[] = [
    { [sun1]: { price: 80, plan: 92, experience: 90, local: 95 }, [watch1]: { price: 95, plan: 70, experience: 75, local: 80 }, [youth1]: { price: 82, plan: 65, experience: 55, local: 85 } },
    { [sun1]: { price: 78, plan: 88, experience: 92, local: 90 }, [watch1]: { price: 92, plan: 72, experience: 70, local: 75 }, [youth1]: { price: 80, plan: 70, experience: 50, local: 90 } },
    { [sun1]: { price: 82, plan: 90, experience: 85, local: 92 }, [watch1]: { price: 94, plan: 68, experience: 78, local: 70 } },
  ];
  const scored1 = new Date("2026-02-03T16:00:00+08:00");
  // The expert declared a conflict with 启航 (she volunteered there) and did not score it.
  for (const [k, e] of panel.entries()) await evaluate(p1, e.userId, ids1, sheets1[k]!, scored1, k === 2 ? [youth1] : []);
  for (const id of ids1) {
    const score = panelScore(criteria, sheets1.map((s) => s[id]).filter((s): s is Sheet => s !== undefined));
    await tx.update(bids).set({ score: score === null ? null : toHundredths(score) }).where(eq(bids.id, id));
  }
  const awarded1 = new Date("2026-02-05T10:00:00+08:00");
  const final1 = noticeEnd(awarded1, 5);
  const winner = c1Bids[0]!.contents;
  await tx
    .update(projects)
    .set({
      status: "completed",
      awardBidId: sun1,
      awardRationale: "综合得分最高（服务方案与相关经验明显领先）；报价在预算内，配餐与探访台账的安排最为具体。",
      awardedAt: awarded1,
      noticeEndsAt: final1,
      finalAt: final1,
      completedAt: new Date("2026-12-02T10:00:00+08:00"),
    })
    .where(eq(projects.id, p1));
  const judged = [
    { status: "met" as const, report: "完成 46 位独居老人建档，4 月 1 日起每周五次送餐，3 月、4 月各入户探访两次。", attendance: 46, judgement: "台账齐全，抽查 10 户均与记录一致。", reportedAt: "2026-04-14", judgedAt: "2026-04-20" },
    { status: "met" as const, report: "累计送餐 4 860 份，探访 368 人次，发现并转介就医 5 例；端午组织集体活动一次。", attendance: 52, judgement: "服务量达到计划，满意度回访 92%。", reportedAt: "2026-07-30", judgedAt: "2026-08-06" },
    { status: "partially_met" as const, report: "全年送餐 10 920 份，探访 790 人次；10 月因厨房检修停送一周，以上门代购补充。", attendance: 55, judgement: "停送一周未提前报备，按九成付款。", reportedAt: "2026-11-28", judgedAt: "2026-12-02" },
  ];
  const shares = winner.milestones.map((m) => m.share);
  await tx.insert(projectMilestones).values(
    winner.milestones.map((m, k) => {
      const j = judged[k]!;
      const partial = j.status === "partially_met" ? Math.round((winner.price * shares[k]! * 0.9) / 100) : undefined;
      return {
        projectId: p1,
        ordinal: k + 1,
        title: m.title,
        dueOn: m.due,
        paymentShare: m.share,
        status: j.status,
        report: j.report,
        attendance: j.attendance,
        evidence: [],
        reportedBy: w.id("zhaomin"),
        reportedAt: new Date(`${j.reportedAt}T16:00:00+08:00`),
        judgement: j.judgement,
        judgedBy: staff,
        judgedAt: new Date(`${j.judgedAt}T10:00:00+08:00`),
        paidAmount: milestonePayment(winner.price, m.share, j.status, partial),
        paidAt: new Date(`${j.judgedAt}T15:00:00+08:00`),
      };
    }),
  );
  await tx.insert(projectEvents).values([
    { projectId: p1, actorId: null, kind: "scored", at: scored1 },
    { projectId: p1, actorId: staff, kind: "awarded", detail: { bidId: sun1 }, at: awarded1 },
    { projectId: p1, actorId: null, kind: "finalized", detail: { bidId: sun1 }, at: final1 },
    ...judged.flatMap((j, k) => [
      { projectId: p1, actorId: w.id("zhaomin"), kind: "milestoneReported", detail: { ordinal: k + 1 }, at: new Date(`${j.reportedAt}T16:00:00+08:00`) },
      { projectId: p1, actorId: staff, kind: "milestoneJudged", detail: { ordinal: k + 1, status: j.status }, at: new Date(`${j.judgedAt}T10:00:00+08:00`) },
      { projectId: p1, actorId: staff, kind: "milestonePaid", detail: { ordinal: k + 1 }, at: new Date(`${j.judgedAt}T15:00:00+08:00`) },
    ]),
    { projectId: p1, actorId: null, kind: "completed", at: new Date("2026-12-02T10:00:00+08:00") },
  ]);
  // Residents of 史家 who took part rate it.
  const raters = (
    await tx
      .select({ userId: residencyClaims.userId })
      .from(residencyClaims)
      .where(and(eq(residencyClaims.communityId, w.shijia.id), eq(residencyClaims.status, "verified")))
  )
    .map((r) => r.userId)
    // 王秀兰 is left to rate it herself, so the demo shows the rating form.
    .filter((id) => !committee.includes(id))
    .slice(0, 6);
  const stars = [5, 4, 5, 4, 3, 5];
  const comments = ["送餐准时，饭菜软烂适合老人。", "探访的社工很耐心。", null, "希望明年继续。", "停送那一周有点不方便。", null];
  if (raters.length) await tx.insert(projectRatings).values(raters.map((userId, k) => ({ projectId: p1, userId, stars: stars[k]!, comment: comments[k], at: new Date(now - (k + 1) * 3_600_000) })));

  // ---------------------------------------------------------------------------------------------
  // 2. Open for bids: after-school care and reading for children of the hutong.
  const c2 = await call(
    {
      title: "史家胡同儿童课后托管与阅读服务",
      scope: "为社区 6—12 岁儿童提供工作日放学后 16:00—18:30 的托管、作业辅导与亲子阅读；每月一次家长沙龙。服务地点：史家社区活动中心二层。",
      budgetCap: 120_000,
      periodStart: "2027-03-01",
      periodEnd: "2027-12-31",
      questionsCloseAt: new Date(now + 5 * DAY),
      bidDeadline: new Date(now + 10 * DAY),
      status: "open",
      createdAt: new Date(now - 3 * DAY),
      publishedAt: new Date(now - 3 * DAY + 3_600_000),
    },
    "education",
  );
  const youthBid: BidContents = {
    price: 112_000,
    plan: "两名专职老师带班，师生比不超过 1:10；作业辅导后开展 30 分钟共读，每月一次家长沙龙。",
    team: "项目主管 1 名、专职老师 2 名、大学生志愿者 6 名",
    milestones: [
      { title: "招生与开班", due: "2027-03-15", share: 30 },
      { title: "上半年评估", due: "2027-07-10", share: 30 },
      { title: "全年结项", due: "2027-12-31", share: 40 },
    ],
    attachments: [],
  };
  await bid(c2.project.id, c2.openingKey, orgs.youth, youthBid, new Date(now - DAY));
  await tx.update(projects).set({ bidCount: 1 }).where(eq(projects.id, c2.project.id));
  await tx.insert(projectQuestions).values({
    projectId: c2.project.id,
    organizationId: orgs.watch,
    askedBy: n(8),
    question: "寒暑假期间是否需要提供服务？",
    answer: "本项目只含学期内工作日；寒暑假另行安排，不计入本次报价。",
    answeredBy: staff,
    askedAt: new Date(now - 2 * DAY),
    answeredAt: new Date(now - DAY - 3_600_000),
  });
  await tx.insert(projectEvents).values({ projectId: c2.project.id, actorId: staff, kind: "answered", at: new Date(now - DAY - 3_600_000) });

  // ---------------------------------------------------------------------------------------------
  // 3. Being evaluated: the courtyard greening and waste-sorting guides.
  const c3 = await call(
    {
      title: "史家社区楼门院落垃圾分类指导与微绿化",
      scope: "在 12 个院落设置分类指导员，早晚高峰桶前值守三个月；组织居民共建 6 处微花园并培训养护志愿者。",
      budgetCap: 90_000,
      periodStart: "2027-01-15",
      periodEnd: "2027-06-30",
      questionsCloseAt: new Date(now - 9 * DAY),
      bidDeadline: new Date(now - 2 * DAY),
      status: "evaluating",
      createdAt: new Date(now - 20 * DAY),
      publishedAt: new Date(now - 19 * DAY),
    },
    "environment",
  );
  const c3Bids = [
    { org: orgs.watch, name: "邻里守望社会工作事务所", contents: { price: 86_000, plan: "每院落招募 2 名楼门长做分类指导员，社工督导；微花园由居民共建、社工跟进养护。", team: "社工 3 名、楼门长 24 名", milestones: [{ title: "指导员上岗", due: "2027-02-01", share: 40 }, { title: "微花园建成", due: "2027-05-15", share: 40 }, { title: "结项评估", due: "2027-06-30", share: 20 }], attachments: [] } satisfies BidContents },
    { org: orgs.sunshine, name: "东城区阳光社会工作服务中心", contents: { price: 79_500, plan: "专职指导员轮岗值守，配合积分兑换；微花园外包园艺公司施工。", team: "项目主管 1 名、指导员 6 名", milestones: [{ title: "启动", due: "2027-02-15", share: 50 }, { title: "结项", due: "2027-06-30", share: 50 }], attachments: [] } satisfies BidContents },
  ];
  const placed3 = [];
  for (const [k, b] of c3Bids.entries()) placed3.push({ row: await bid(c3.project.id, c3.openingKey, b.org, b.contents, new Date(now - (4 - k) * DAY)), contents: b.contents, name: b.name });
  await open(c3, placed3, new Date(now - 2 * DAY + 1_800_000));
  await tx.update(projects).set({ bidCount: placed3.length }).where(eq(projects.id, c3.project.id));
  const ids3 = placed3.map((b) => b.row.id);
  // 张桂芳 has scored and submitted; 王秀兰 has declared (no conflicts) and may score now; the expert has not begun.
  await evaluate(c3.project.id, panel[0]!.userId, ids3, { [ids3[0]!]: { price: 75, plan: 90, experience: 85, local: 95 }, [ids3[1]!]: { price: 88, plan: 72, experience: 80, local: 70 } }, new Date(now - DAY));
  await evaluate(c3.project.id, panel[1]!.userId, ids3, null, new Date(now - DAY + 7_200_000));
  await tx.insert(projectEvents).values({ projectId: c3.project.id, actorId: null, kind: "declared", at: new Date(now - DAY) });
  const bidders = await tx.select({ id: bids.id }).from(bids).where(inArray(bids.projectId, [p1, c2.project.id, c3.project.id]));
  return { projects: [p1, c2.project.id, c3.project.id], bids: bidders.length };
}
