import { count, eq, sql } from "drizzle-orm";
import type { Database, Tx } from "../client.server";
import {
  alleys,
  categories,
  comments,
  departments,
  follows,
  hallConveners,
  hallMembers,
  halls,
  minutes,
  proposalEvents,
  proposalSeconds,
  proposals,
  assignments,
  ratings,
  whistleEvents,
  whistles,
  type ProposalState,
  type Stance,
  dutyAssignments,
  households,
  organizationMembers,
  organizations,
  partyReports,
  positions,
  residencyClaims,
  rollResidents,
  rosterEntries,
  users,
  ballots,
  voteElectors,
  voteEvents,
  votes,
  type PositionKind,
} from "../schema";
import { hashPassword } from "~/modules/identity/password.server";
import { indexText } from "~/modules/search/bigrams";
import { insertUnit } from "~/modules/units/commands.server";
import { rebuildRateCounts } from "~/modules/whistles/rate-counts.server";
import { DEMO_PASSWORD, demoAccounts, demoNeighbours } from "~/modules/identity/demo-accounts";
import { categoryList, departmentKinds } from "~/modules/units/duty-list";
import { seedLists } from "./demo-lists";
import { seedPledges } from "./demo-pledges";
import { seedWishes } from "./demo-wishes";
import { seedProjects } from "./demo-projects";
import { seedMeetings } from "./demo-meetings";
import { seedSecretVotes } from "./demo-secret-votes";
import { seedMembersVote } from "./demo-votes";
import { seedWhistleHistory } from "./demo-whistle-history";
import { ABSTAIN, NO, YES } from "~/modules/votes/rules";

/**
 * Fill an empty database with the demo district: 北京市东城区, three
 * subdistricts, their communities, alleys, departments, the 1+5+N roster, the
 * duty list, a demo account for every role and neighbours for them.
 * Does nothing when any account exists, so it is safe on every start.
 */
export async function seedDemoIfEmpty(db: Database): Promise<{ ms: number } | null> {
  const started = performance.now();
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return null;
  // One hash for every demo account: argon2 is deliberately slow.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7305153)`);
    const [again] = await tx.select({ n: count() }).from(users);
    if ((again?.n ?? 0) > 0) return false;
    await seedDemo(tx, passwordHash);
    return true;
  });
  return seeded ? { ms: Math.round(performance.now() - started) } : null;
}

const SUBDISTRICTS: { name: string; communities: string[]; alleys: [string, string][] }[] = [
  {
    name: "朝阳门街道",
    communities: ["史家社区", "内务社区", "演乐社区", "竹杆社区", "礼士社区", "新鲜社区"],
    alleys: [
      ["史家胡同", "东起朝阳门南小街，西至东四南大街，全长约 750 米"],
      ["内务部街", "东起朝阳门南小街，西至东四南大街"],
      ["演乐胡同", "明代教坊司演乐之所，今为居民院落"],
      ["本司胡同", "东起朝阳门南小街，西至东四南大街"],
      ["朝阳门南小街", "南北向主街，商户集中"],
    ],
  },
  {
    name: "东四街道",
    communities: ["东四社区", "豆瓣社区", "八条社区", "六条社区"],
    alleys: [
      ["东四六条", "清代王府与四合院保护区"],
      ["东四八条", "四合院民居集中"],
    ],
  },
  { name: "景山街道", communities: ["吉祥社区", "黄化门社区", "三眼井社区"], alleys: [["三眼井胡同", "紧邻景山公园东侧"]] },
];

const SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
const GIVEN = ["淑珍", "桂英", "建国", "志强", "秀英", "玉兰", "国庆", "丽华", "春生", "海燕", "德福", "凤英", "卫东", "红梅", "振华", "秀珍", "文革", "金凤", "宝山", "丽娟", "俊杰", "子涵", "雨桐", "浩然", "思远", "欣怡", "明轩", "佳琪"];

async function seedDemo(tx: Tx, passwordHash: string) {
  // Categories and the district's duty list come from the default duty list.
  await tx.insert(categories).values(
    categoryList.map((c, i) => ({ code: c.code, nameZh: c.zh, nameEn: c.en, whistleKind: c.whistleKind, sortOrder: i })),
  );

  const city = await insertUnit(tx, { parentId: null, kind: "city", name: "北京市" });
  const district = await insertUnit(tx, { parentId: city.id, kind: "district", name: "东城区" });
  await tx.insert(dutyAssignments).values(
    categoryList.flatMap((c) => [
      ...c.lead.map((k) => ({ districtId: district.id, categoryCode: c.code, departmentKind: k, role: "lead" as const })),
      ...c.cooperate.map((k) => ({ districtId: district.id, categoryCode: c.code, departmentKind: k, role: "cooperate" as const })),
    ]),
  );

  const communities = new Map<string, { id: number }>();
  const subdistricts = new Map<string, { id: number }>();
  const alleyIds = new Map<string, number>();
  for (const s of SUBDISTRICTS) {
    const sub = await insertUnit(tx, { parentId: district.id, kind: "subdistrict", name: s.name });
    subdistricts.set(s.name, sub);
    for (const c of s.communities) communities.set(c, await insertUnit(tx, { parentId: sub.id, kind: "community", name: c }));
    for (const [name, description] of s.alleys) {
      const [alley] = await tx.insert(alleys).values({ subdistrictId: sub.id, name, description, chiefContact: "010-6525 " + String(1000 + alleyIds.size * 7) }).returning();
      alleyIds.set(name, alley!.id);
    }
  }
  await insertUnit(tx, { parentId: communities.get("史家社区")!.id, kind: "courtyard", name: "史家胡同 24 号院" });

  // District departments, and for every subdistrict its enforcement team and stations.
  const districtDepartments = new Map<string, number>();
  const districtNames: Record<string, string> = {
    enforcement: "东城区城管执法局",
    police: "东城公安分局",
    fire: "东城区消防救援支队",
    traffic: "东城交通支队",
    market: "东城区市场监管局",
    food: "东城区市场监管局（食药）",
  };
  for (const kind of departmentKinds) {
    const name = districtNames[kind.code] ?? `东城区${kind.zh.replace(/（.*）/, "")}`;
    const [dep] = await tx
      .insert(departments)
      .values({ districtId: district.id, kind: kind.code, level: "district", name, phone: `010-6400 ${String(districtDepartments.size).padStart(4, "0")}` })
      .returning();
    districtDepartments.set(kind.code, dep!.id);
  }
  const stationFor = new Map<string, number>(); // `${subdistrict}:${kind}` → id
  for (const s of SUBDISTRICTS) {
    const sub = subdistricts.get(s.name)!;
    const short = s.name.replace("街道", "");
    for (const kind of departmentKinds.filter((k) => k.level !== "district")) {
      // Two kinds share the name 市场监管所 (原工商, 原食药): the food office is told apart, as the district bureau is.
      const name =
        kind.code === "enforcement"
          ? `${s.name}综合执法队`
          : kind.code === "police"
            ? `${short}派出所`
            : `${short}${kind.zh.replace(/（.*）/, "")}${kind.code === "food" ? "（食药）" : ""}`;
      const [station] = await tx
        .insert(departments)
        .values({
          districtId: district.id,
          parentId: districtDepartments.get(kind.code)!,
          servesUnitId: sub.id,
          kind: kind.code,
          level: kind.level === "subdistrict" ? "subdistrict" : "station",
          name,
        })
        .returning();
      stationFor.set(`${s.name}:${kind.code}`, station!.id);
    }
    // The 1+5+N roster: the team leads, stations are stationed, district departments on call.
    const people = (n: number) => [{ name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[n % GIVEN.length]}`, phone: `010-8511 ${String(2000 + n)}` }];
    await tx.insert(rosterEntries).values([
      ...departmentKinds
        .filter((k) => k.roster !== "on_call")
        .map((k, i) => ({ subdistrictId: sub.id, departmentId: stationFor.get(`${s.name}:${k.code}`)!, role: k.roster, people: people(i + sub.id) })),
      ...departmentKinds
        .filter((k) => k.roster === "on_call")
        .map((k, i) => ({ subdistrictId: sub.id, departmentId: districtDepartments.get(k.code)!, role: k.roster, people: people(i + 40) })),
    ]);
  }

  // Demo accounts, one for every role.
  const inserted = await tx
    .insert(users)
    .values(demoAccounts.map((a) => ({ username: a.username, displayName: a.displayName, passwordHash })))
    .returning({ id: users.id, username: users.username });
  const id = (username: string) => inserted.find((u) => u.username === username)!.id;
  const shijia = communities.get("史家社区")!;
  const chaoyangmen = subdistricts.get("朝阳门街道")!;
  const grants: { user: string; kind: PositionKind; unitId?: number; departmentId?: number; alleyId?: number }[] = [
    { user: "lijuan", kind: "community_worker", unitId: shijia.id },
    { user: "zhangguifang", kind: "community_secretary", unitId: shijia.id },
    { user: "sunlei", kind: "subdistrict_officer", unitId: chaoyangmen.id },
    { user: "zhouhaiyan", kind: "subdistrict_leader", unitId: chaoyangmen.id },
    { user: "maqiang", kind: "department_officer", departmentId: districtDepartments.get("enforcement")! },
    { user: "guowei", kind: "department_head", departmentId: districtDepartments.get("enforcement")! },
    { user: "hejun", kind: "station_officer", departmentId: stationFor.get("朝阳门街道:police")! },
    { user: "yangfan", kind: "alley_chief", alleyId: alleyIds.get("史家胡同")! },
    { user: "wugang", kind: "district_admin", unitId: district.id },
    { user: "admin", kind: "platform_admin", unitId: city.id },
  ];
  await tx.insert(positions).values(
    grants.map((g) => ({ userId: id(g.user), kind: g.kind, unitId: g.unitId ?? null, departmentId: g.departmentId ?? null, alleyId: g.alleyId ?? null, grantedBy: id("admin") })),
  );
  // Chiefs are public: every alley gets one (the demo chief, and subdistrict officers for the rest).
  await tx.update(alleys).set({ chiefUserId: id("yangfan") }).where(eq(alleys.id, alleyIds.get("史家胡同")!));
  await tx.update(alleys).set({ chiefUserId: id("sunlei") }).where(sql`${alleys.chiefUserId} is null and ${alleys.subdistrictId} = ${chaoyangmen.id}`);
  await tx.update(alleys).set({ chiefUserId: id("zhouhaiyan") }).where(sql`${alleys.chiefUserId} is null`);

  // Neighbours: verified residents in households of 史家社区 and 内务社区, a few still waiting.
  const neighbours = await tx
    .insert(users)
    .values(demoNeighbours.map((n) => ({ username: n.username, displayName: n.displayName, passwordHash })))
    .returning({ id: users.id });
  const household = async (communityId: number, address: string) => {
    const [h] = await tx.insert(households).values({ communityId, address }).returning();
    return h!.id;
  };
  const verify = async (userId: number, communityId: number, address: string, householdId: number) =>
    tx.insert(residencyClaims).values({ userId, communityId, address, householdId, status: "verified", decidedBy: id("lijuan"), decidedAt: new Date() });

  const wangHousehold = await household(shijia.id, "史家胡同24号院3门");
  await verify(id("wangxiulan"), shijia.id, "史家胡同24号院3门", wangHousehold);
  const neiwu = communities.get("内务社区")!;
  const chenHousehold = await household(neiwu.id, "内务部街15号楼2单元301");
  await verify(id("chenjianguo"), neiwu.id, "内务部街15号楼2单元301", chenHousehold);
  for (const [i, n] of neighbours.entries()) {
    const who = demoNeighbours[i]!;
    const communityId = communities.get(who.community)!.id;
    if (!who.verified) {
      await tx.insert(residencyClaims).values({ userId: n.id, communityId, address: who.address });
      continue;
    }
    const [existing] = await tx.select({ id: households.id }).from(households).where(sql`${households.communityId} = ${communityId} and ${households.address} = ${who.address}`);
    await verify(n.id, communityId, who.address, existing?.id ?? (await household(communityId, who.address)));
  }

  // An in-service Party member, confirmed, badge shown; a unit Party organisation and civil-society organisations.
  const [stateGrid] = await tx
    .insert(organizations)
    .values({ kind: "unit_party_org", name: "国网北京市电力公司党委", unitId: chaoyangmen.id, status: "confirmed", decidedBy: id("zhouhaiyan"), decidedAt: new Date(), createdBy: id("chenjianguo"), description: "驻区单位党组织，参与区域化党建协调委员会。" })
    .returning();
  await tx.insert(partyReports).values({
    userId: id("chenjianguo"),
    communityId: neiwu.id,
    workUnit: "国网北京市电力公司",
    partyOrgName: "国网北京市电力公司党委",
    organizationId: stateGrid!.id,
    status: "confirmed",
    showBadge: true,
    decidedBy: id("zhangguifang"),
    decidedAt: new Date(),
  });
  const [sunshine] = await tx
    .insert(organizations)
    .values({
      kind: "social_org",
      name: "东城区阳光社会工作服务中心",
      unitId: chaoyangmen.id,
      registrationNumber: "52110101MJ0123456X",
      serviceScope: "为老服务、社区营造、青少年课后托管",
      status: "confirmed",
      decidedBy: id("zhouhaiyan"),
      decidedAt: new Date(),
      createdBy: id("zhaomin"),
      description: "扎根东城的专业社工机构，承接多个街道的为老服务项目。",
    })
    .returning();
  const [pending] = await tx
    .insert(organizations)
    .values({ kind: "social_org", name: "夕阳红助老服务社", unitId: chaoyangmen.id, registrationNumber: "52110101MJ0654321Y", serviceScope: "助餐、助浴、陪诊", createdBy: neighbours[3]!.id })
    .returning();
  const [chamber] = await tx
    .insert(organizations)
    .values({ kind: "merchant_association", name: "朝阳门南小街商户联合会", unitId: chaoyangmen.id, status: "confirmed", decidedBy: id("sunlei"), decidedAt: new Date(), createdBy: neighbours[5]!.id })
    .returning();
  await tx.insert(organizationMembers).values([
    { organizationId: stateGrid!.id, userId: id("chenjianguo"), role: "admin" },
    { organizationId: sunshine!.id, userId: id("zhaomin"), role: "admin" },
    { organizationId: sunshine!.id, userId: neighbours[1]!.id, role: "member" },
    { organizationId: pending!.id, userId: neighbours[3]!.id, role: "admin" },
    { organizationId: chamber!.id, userId: neighbours[5]!.id, role: "admin" },
  ]);

  await seedHalls(tx, { id, neighbours, shijia, neiwu, chaoyangmen, alleyIds, orgs: { stateGrid: stateGrid!.id, sunshine: sunshine!.id } });
  await seedWhistles(tx, {
    id,
    neighbours,
    chaoyangmen,
    enforcementBureau: districtDepartments.get("enforcement")!,
    team: stationFor.get("朝阳门街道:enforcement")!,
    police: stationFor.get("朝阳门街道:police")!,
    city: districtDepartments.get("city")!,
    // 朝阳门街道's station for a kind, else the district department.
    department: (kind: string) => (kind === "team" ? stationFor.get("朝阳门街道:enforcement")! : (stationFor.get(`朝阳门街道:${kind}`) ?? districtDepartments.get(kind)!)),
    shijia,
  });
  await seedPledges(tx, { id, neighbours, shijia, neiwu, chaoyangmen, orgs: { stateGrid: stateGrid!.id, sunshine: sunshine!.id } });
  await seedWishes(tx, { id, shijia, stateGrid: stateGrid!.id });
  await seedLists(tx, { id, shijia, orgs: { stateGrid: stateGrid!.id } });
  await seedProjects(tx, { id, neighbours, shijia, chaoyangmen, sunshine: sunshine!.id });
  await seedRoll(tx, { id, shijia, neiwu });
}

/**
 * The roll of residents (居民名册, ADR 0020): every verified neighbour on it,
 * linked to their account, and elderly residents with no account at all; an
 * open households' vote of 史家社区 frozen from the roll, with a paper ballot
 * recorded at a home visit for one of the elderly households.
 */
async function seedRoll(tx: Tx, w: { id: (username: string) => number; shijia: { id: number }; neiwu: { id: number } }) {
  await tx.execute(sql`insert into ${rollResidents} (community_id, household_id, name, user_id, created_by, created_at)
    select rc.community_id, rc.household_id, u.display_name, rc.user_id, rc.decided_by, coalesce(rc.decided_at, rc.created_at)
    from ${residencyClaims} rc join ${users} u on u.id = rc.user_id where rc.status = 'verified' and rc.household_id is not null`);
  await tx.update(rollResidents).set({ isHead: true, birthYear: 1952 }).where(eq(rollResidents.userId, w.id("wangxiulan")));
  const lijuan = w.id("lijuan");
  const elderly: { communityId: number; address: string; note?: string; people: { name: string; birthYear: number; isHead?: boolean; phone?: string }[] }[] = [
    { communityId: w.shijia.id, address: "史家胡同5号院", note: "两位老人同住，子女在外地", people: [{ name: "赵桂英", birthYear: 1936, isHead: true, phone: "010-6525 1187" }, { name: "赵德福", birthYear: 1934 }] },
    { communityId: w.shijia.id, address: "史家胡同8号院2门", note: "独居老人，每周入户探访", people: [{ name: "刘淑珍", birthYear: 1941, isHead: true }] },
    { communityId: w.shijia.id, address: "史家胡同3号院", people: [{ name: "周玉兰", birthYear: 1945, isHead: true }, { name: "周宝山", birthYear: 1943 }] },
    { communityId: w.neiwu.id, address: "内务部街9号", note: "独居老人", people: [{ name: "马秀珍", birthYear: 1938, isHead: true }] },
  ];
  const residentIds = new Map<string, { id: number; householdId: number }>();
  for (const h of elderly) {
    const [household] = await tx.insert(households).values({ communityId: h.communityId, address: h.address, note: h.note ?? null }).returning();
    for (const p of h.people) {
      const [r] = await tx
        .insert(rollResidents)
        .values({ communityId: h.communityId, householdId: household!.id, name: p.name, birthYear: p.birthYear, isHead: p.isHead ?? false, phone: p.phone ?? null, createdBy: lijuan })
        .returning();
      residentIds.set(p.name, { id: r!.id, householdId: household!.id });
    }
  }
  // The wang household has an elderly mother-in-law without an account.
  const [wang] = await tx.select().from(rollResidents).where(eq(rollResidents.userId, w.id("wangxiulan")));
  await tx.insert(rollResidents).values({ communityId: wang!.communityId, householdId: wang!.householdId, name: "孙凤英", birthYear: 1931, createdBy: lijuan });

  // An open households' vote in 史家社区's hall, its electorate frozen from the roll.
  const [hall] = await tx.select({ id: halls.id }).from(halls).where(eq(halls.unitId, w.shijia.id)).orderBy(halls.id).limit(1);
  const opened = daysAgo(1);
  const [vote] = await tx
    .insert(votes)
    .values({
      hallId: hall!.id,
      question: "是否同意在史家胡同口设置夜间停车引导员（每晚 19 点至 23 点）？",
      method: "yes_no",
      options: ["yes", "no", "abstain"],
      electorate: "households",
      opensAt: opened,
      closesAt: new Date(Date.now() + 5 * 86_400_000),
      quorumPercent: 20,
      threshold: "simple_majority",
      liveResults: true,
      state: "open",
      createdBy: lijuan,
      createdAt: opened,
    })
    .returning();
  await tx.execute(sql`insert into ${voteElectors} (vote_id, elector_id)
    select distinct ${vote!.id}::int, r.household_id from ${rollResidents} r join ${households} h on h.id = r.household_id
    where r.community_id = ${w.shijia.id} and r.moved_out_at is null and h.ended_at is null`);
  const [size] = await tx.select({ n: count() }).from(voteElectors).where(eq(voteElectors.voteId, vote!.id));
  await tx.update(votes).set({ electorateSize: size!.n }).where(eq(votes.id, vote!.id));
  await tx.insert(voteEvents).values([
    { voteId: vote!.id, actorId: lijuan, kind: "created", at: opened },
    { voteId: vote!.id, kind: "opened", at: opened },
  ]);
  // A few neighbours voted online; 赵桂英's household on paper, at a home visit.
  const online = await tx
    .select({ id: rollResidents.id, userId: rollResidents.userId, householdId: rollResidents.householdId })
    .from(rollResidents)
    .where(sql`${rollResidents.communityId} = ${w.shijia.id} and ${rollResidents.userId} is not null and ${rollResidents.userId} <> ${w.id("wangxiulan")}`)
    .orderBy(rollResidents.id)
    .limit(12);
  const seen = new Set<number>();
  const firsts = online.filter((r) => !seen.has(r.householdId) && seen.add(r.householdId)).slice(0, 5);
  await tx.insert(ballots).values([
    ...firsts.map((r, i) => ({ voteId: vote!.id, electorId: r.householdId, choices: [i === 3 ? 1 : 0], castBy: r.userId, residentId: r.id, castAt: daysAgo(0.5) })),
    {
      voteId: vote!.id,
      electorId: residentIds.get("赵桂英")!.householdId,
      choices: [0],
      castBy: null,
      residentId: residentIds.get("赵桂英")!.id,
      channel: "paper" as const,
      recordedBy: lijuan,
      meeting: "12月3日入户征求意见（史家胡同5号院）",
      castAt: daysAgo(0.3),
    },
  ]);
}

const tsv = (...parts: (string | null | undefined)[]) => sql`to_tsvector('simple', ${indexText(...parts)})`;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

/** Halls with proposals at every stage and a lively debate, so every page has something to show. */
async function seedHalls(
  tx: Tx,
  w: {
    id: (username: string) => number;
    neighbours: { id: number }[];
    shijia: { id: number };
    neiwu: { id: number };
    chaoyangmen: { id: number };
    alleyIds: Map<string, number>;
    orgs: { stateGrid: number; sunshine: number };
  },
) {
  const rules =
    "一、先提具体议题，再讨论；\n二、召集人保持中立；\n三、发言先表明支持、反对或中立，再讲理由；\n四、没发过言的邻居优先；\n五、每人每个议题最多发言 2 次，每次不超过 300 字；\n六、表决以赞成多于反对为通过，平票不通过。";
  const [shijiaHall] = await tx
    .insert(halls)
    .values({
      unitId: w.shijia.id,
      name: "史家胡同老街坊议事厅",
      description: "史家社区居民和在职党员商量胡同里的大事小情。",
      rules,
      secondingRule: { kind: "count", n: 5 },
      // What the rules above say (五、每人每个议题最多发言 2 次，每次不超过 300 字) is what the hall enforces.
      commentMaxLength: 300,
      commentsPerPerson: 2,
      createdBy: w.id("lijuan"),
    })
    .returning();
  const [neiwuHall] = await tx
    .insert(halls)
    .values({ unitId: w.neiwu.id, name: "内务社区院儿长议事厅", description: "各院院儿长和居民代表议事。", rules, commentMaxLength: 300, commentsPerPerson: 2, membershipPolicy: "application", createdBy: w.id("lijuan") })
    .returning();
  const [regionalHall] = await tx
    .insert(halls)
    .values({
      unitId: w.chaoyangmen.id,
      name: "朝阳门街道区域化党建协调委员会",
      description: "驻区单位党组织、社会组织与街道共商共建。",
      memberKinds: ["organization", "party_member"],
      membershipPolicy: "application",
      createdBy: w.id("zhouhaiyan"),
    })
    .returning();
  await tx.insert(hallConveners).values([
    { hallId: shijiaHall!.id, userId: w.id("lijuan") },
    { hallId: shijiaHall!.id, userId: w.id("zhangguifang") },
    { hallId: regionalHall!.id, userId: w.id("zhouhaiyan") },
  ]);
  const shijiaPeople = [w.id("wangxiulan"), w.id("lijuan"), w.id("zhangguifang"), ...w.neighbours.slice(0, 36).map((n) => n.id)];
  await tx.insert(hallMembers).values([
    ...shijiaPeople.map((userId) => ({ hallId: shijiaHall!.id, userId, status: "active" as const })),
    ...[w.id("chenjianguo"), ...w.neighbours.slice(36, 44).map((n) => n.id)].map((userId) => ({ hallId: neiwuHall!.id, userId, status: "active" as const })),
    { hallId: regionalHall!.id, organizationId: w.orgs.stateGrid, status: "active" as const },
    { hallId: regionalHall!.id, organizationId: w.orgs.sunshine, status: "active" as const },
    { hallId: regionalHall!.id, userId: w.id("chenjianguo"), status: "active" as const },
    { hallId: regionalHall!.id, userId: w.id("zhouhaiyan"), status: "active" as const },
  ]);

  const n = (i: number) => w.neighbours[i]!.id;
  const make = async (p: {
    author: number;
    title: string;
    body: string;
    category: string;
    state: ProposalState;
    seconders: number[];
    daysOld: number;
    address?: string;
    alley?: string;
    hallId?: number;
  }) => {
    const [row] = await tx
      .insert(proposals)
      .values({
        hallId: p.hallId ?? shijiaHall!.id,
        authorId: p.author,
        title: p.title,
        body: p.body,
        categoryCode: p.category,
        address: p.address ?? null,
        alleyId: p.alley ? (w.alleyIds.get(p.alley) ?? null) : null,
        state: p.state,
        secondsRequired: 5,
        secondingDeadline: new Date(daysAgo(p.daysOld).getTime() + 14 * 86_400_000),
        openedAt: daysAgo(p.daysOld),
        createdAt: daysAgo(p.daysOld),
        clientKey: `seed-${p.title}`,
        searchVector: tsv(p.title, p.body, p.address),
      })
      .returning();
    const path: ProposalState[] = ["open", "on_agenda", "in_debate", "voting", "decided_passed"];
    const reached = path.indexOf(p.state);
    // The system moves a proposal on when it has its seconds and when its vote closes; the convener does the rest.
    const bySystem = (to: ProposalState) => to === "on_agenda" || to === "decided_passed";
    await tx.insert(proposalEvents).values([
      { proposalId: row!.id, actorId: p.author, kind: "state", toState: "open", at: daysAgo(p.daysOld) },
      ...path.slice(1, Math.max(1, reached + 1)).map((to, i) => ({
        proposalId: row!.id,
        actorId: bySystem(to) ? null : w.id("lijuan"),
        kind: "state" as const,
        fromState: path[i]!,
        toState: to,
        reason: to === "on_agenda" ? "seconds" : to === "decided_passed" ? "passed" : null,
        at: daysAgo(p.daysOld - i - 1),
      })),
    ]);
    if (p.seconders.length) await tx.insert(proposalSeconds).values(p.seconders.map((userId) => ({ proposalId: row!.id, userId, createdAt: daysAgo(p.daysOld - 1) })));
    await tx.insert(follows).values([...new Set([p.author, ...p.seconders])].map((userId) => ({ proposalId: row!.id, userId })));
    return row!;
  };

  const parking = await make({
    author: w.id("wangxiulan"),
    title: "史家胡同口夜间乱停车，消防通道被堵",
    body: "每天晚上八点以后，胡同口到 24 号院门前停满了外来车辆，消防车和救护车都进不来。上个月 30 号院老人突发疾病，救护车在胡同口停了十分钟。希望社区和交通部门想想办法，比如夜间限时停车、设置隔离桩。",
    category: "parking",
    state: "open",
    seconders: [n(0), n(1), n(2)],
    daysOld: 2,
    address: "史家胡同东口至24号院",
    alley: "史家胡同",
  });
  const lift = await make({
    author: n(4),
    title: "老楼加装电梯，请大家一起商量",
    body: "史家胡同 10 号院 3 号楼是 1985 年的六层老楼，住着 40 多位 70 岁以上的老人。区里有加装电梯的补贴政策，但需要全楼业主同意，一层住户担心采光和噪音。请大家说说看法，也请社区帮忙请住建委的同志来讲讲政策。",
    category: "old_estate",
    state: "in_debate",
    seconders: [n(5), n(6), n(7), n(8), n(9), n(10)],
    daysOld: 9,
    address: "史家胡同10号院3号楼",
  });
  const bins = await make({
    author: n(12),
    title: "垃圾分类桶站挪到院外",
    body: "现在的桶站紧挨着 16 号院窗户，夏天味道很大。建议挪到胡同东侧空地，并安排定时开放。",
    category: "sanitation",
    state: "on_agenda",
    seconders: [n(13), n(14), n(15), n(16), n(17)],
    daysOld: 5,
    address: "史家胡同16号院门口",
  });
  await make({
    author: n(20),
    title: "院内私搭的棚子挡住了通道",
    body: "18 号院有人在公共通道上搭了彩钢棚堆放杂物，轮椅和婴儿车都过不去，也有火灾隐患。",
    category: "illegal_construction",
    state: "open",
    seconders: [n(21)],
    daysOld: 1,
    address: "史家胡同18号院",
  });
  await make({
    author: w.id("chenjianguo"),
    title: "内务部街路灯不亮",
    body: "内务部街 20 号到 26 号之间三盏路灯已经坏了两个星期，晚上回家很黑。",
    category: "alley_renovation",
    state: "open",
    seconders: [n(36), n(37)],
    daysOld: 3,
    hallId: neiwuHall!.id,
  });

  // Proposals the hall's members vote on openly (the votes follow the secret ones below): one in progress, one decided.
  const benches = await make({
    author: n(18),
    title: "胡同里增设三处休息座椅",
    body: "史家胡同全长七百多米，老人买菜回来走一半就得歇脚，只能坐在别人家台阶上。建议在 12 号、20 号、26 号院门口的空地各放一张长椅，由街坊轮流照看。",
    category: "alley_renovation",
    state: "voting",
    seconders: [n(19), n(20), n(21), n(22), n(23)],
    daysOld: 7,
    address: "史家胡同12号、20号、26号院门口",
    alley: "史家胡同",
  });
  const ramp = await make({
    author: n(2),
    title: "院门口加装无障碍坡道",
    body: "14 号院门口有三级台阶，坐轮椅的老人和推婴儿车的住户进出都要人抬。建议在台阶一侧加装一条不锈钢坡道，不影响邻居通行。",
    category: "old_estate",
    state: "decided_passed",
    seconders: [n(3), n(4), n(5), n(6), n(7)],
    daysOld: 30,
    address: "史家胡同14号院门口",
    alley: "史家胡同",
  });

  // A real debate on the lift, with replies and the convener's minutes.
  const say = async (author: number, stance: Stance, body: string, parentId: number | null, hoursAgo: number, organizationId: number | null = null) => {
    const [c] = await tx
      .insert(comments)
      .values({
        proposalId: lift.id,
        authorId: author,
        organizationId,
        parentId,
        depth: parentId === null ? 0 : 1,
        stance,
        body,
        clientKey: `seed-${lift.id}-${hoursAgo}-${author}`,
        searchVector: tsv(body),
        createdAt: new Date(Date.now() - hoursAgo * 3_600_000),
      })
      .returning();
    return c!.id;
  };
  const a = await say(n(5), "support", "我住五层，腿脚不好，每次下楼都要歇三次。装了电梯，我们这些老人就能天天下楼遛弯了。", null, 70);
  await say(n(22), "oppose", "我家在一层，电梯井正好挡在我家窗前，采光本来就差。装可以，但得给一层一个说法。", null, 66);
  await say(n(6), "neutral", "能不能请住建委来讲讲补贴怎么算？每户要出多少钱，大家心里有数才好表态。", a, 60);
  await say(w.id("wangxiulan"), "support", "隔壁 12 号院去年装了，一层住户拿到了补偿，噪音也不大，可以去看看。", null, 50);
  await say(n(22), "oppose", "12 号院的楼朝向不一样，不能简单比较。", null, 46);
  await say(w.id("chenjianguo"), "support", "单位党员志愿者可以帮忙挨家挨户做意见征集，把大家的顾虑都记下来。", null, 30, null);
  await tx.insert(minutes).values({
    proposalId: lift.id,
    version: 1,
    agreed: "大多数居民支持加装电梯；请住建委下周三来社区讲解补贴政策。",
    open: "一层住户的采光和补偿问题还没有结论。",
    nextStep: "社区联系住建委；党员志愿者本周末入户征求意见，整理后再议。",
    authorId: w.id("lijuan"),
  });
  await tx.insert(proposalEvents).values({ proposalId: lift.id, actorId: w.id("lijuan"), kind: "minutes", data: { version: 1 } });
  await seedMeetings(tx, { hallId: shijiaHall!.id, id: w.id, invited: shijiaPeople, neighbours: w.neighbours.slice(0, 36).map((x) => x.id), past: [lift.id, ramp.id], upcoming: [bins.id, parking.id] });
  await seedSecretVotes(tx, { hallId: shijiaHall!.id, createdBy: w.id("lijuan"), tellers: [w.id("lijuan"), w.id("wangxiulan"), w.id("chenjianguo")] });
  // After the secret votes, which keep the first numbers (/votes/1 is a secret vote and has a board).
  await seedMembersVote(tx, {
    hallId: shijiaHall!.id,
    proposalId: benches.id,
    question: "是否同意在史家胡同增设三处休息座椅？",
    createdBy: w.id("lijuan"),
    electorate: shijiaPeople,
    opensAt: daysAgo(4),
    closesAt: new Date(Date.now() + 3 * 86_400_000),
    voters: [n(18), n(19), n(20), n(21), n(22), n(23), n(24), n(25), n(26), n(27), n(28)],
    choices: [YES, YES, NO, YES, ABSTAIN, YES],
  });
  await seedMembersVote(tx, {
    hallId: shijiaHall!.id,
    proposalId: ramp.id,
    question: "是否同意在 14 号院门口加装无障碍坡道？",
    createdBy: w.id("lijuan"),
    electorate: shijiaPeople,
    opensAt: daysAgo(27),
    closesAt: daysAgo(26),
    voters: [w.id("wangxiulan"), ...w.neighbours.slice(2, 22).map((x) => x.id)],
    choices: [YES, YES, YES, NO, YES, ABSTAIN, YES],
  });
}

/**
 * Escalated matters at every stage of report-for-duty, so the inbox, the
 * supervision list, a rating form and the three-rates dashboard have content.
 */
async function seedWhistles(
  tx: Tx,
  w: {
    id: (u: string) => number;
    neighbours: { id: number }[];
    chaoyangmen: { id: number };
    enforcementBureau: number;
    team: number;
    police: number;
    city: number;
    department: (kind: string) => number;
    shijia: { id: number };
  },
) {
  const [hall] = await tx.select({ id: halls.id }).from(halls).where(sql`${halls.name} = '史家胡同老街坊议事厅'`);
  const members = (await tx.select({ userId: hallMembers.userId }).from(hallMembers).where(eq(hallMembers.hallId, hall!.id)).orderBy(hallMembers.userId))
    .map((m) => m.userId)
    .filter((x): x is number => x !== null);
  const hours = (h: number) => new Date(Date.now() - h * 3_600_000);
  const raise = async (title: string, body: string, category: string, author: number, seconders: number[], state: ProposalState, daysOld: number) => {
    const [p] = await tx
      .insert(proposals)
      .values({ hallId: hall!.id, authorId: author, title, body, categoryCode: category, state, secondsRequired: 5, openedAt: daysAgo(daysOld), createdAt: daysAgo(daysOld), clientKey: `seed-${title}`, searchVector: tsv(title, body) })
      .returning();
    await tx.insert(proposalSeconds).values(seconders.map((userId) => ({ proposalId: p!.id, userId })));
    await tx.insert(follows).values([...new Set([author, ...seconders])].map((userId) => ({ proposalId: p!.id, userId })));
    const chain: ProposalState[] = ["open", "on_agenda", "in_debate", "voting", "decided_passed", "escalated"];
    await tx.insert(proposalEvents).values(chain.map((to, i) => ({ proposalId: p!.id, actorId: i === 1 || i === 4 ? null : w.id("lijuan"), kind: "state" as const, fromState: i ? chain[i - 1]! : null, toState: to, reason: i === 4 ? "passed" : null, at: daysAgo(daysOld - i) })));
    // The hall voted before it asked the subdistrict to whistle: the proposal's page shows that vote.
    await seedMembersVote(tx, {
      hallId: hall!.id,
      proposalId: p!.id,
      question: `是否同意：${title}？`,
      createdBy: w.id("lijuan"),
      electorate: members,
      opensAt: daysAgo(daysOld - 3),
      closesAt: daysAgo(daysOld - 4),
      voters: [...new Set([author, ...seconders, ...members.slice(3, 12)])],
      choices: [YES, YES, YES, ABSTAIN],
    });
    return p!;
  };
  const n = (i: number) => w.neighbours[i]!.id;

  // 1. Dispatched two days ago; the bureau has signed, the police station not yet (overdue).
  const noise = await raise("夜间施工噪音扰民", "史家胡同东口的工地每晚十一点后还在施工，老人孩子睡不好觉。", "noise", n(24), [n(25), n(26), n(27), n(28), n(29)], "escalated", 8);
  const [w1] = await tx
    .insert(whistles)
    .values({ subdistrictId: w.chaoyangmen.id, source: "proposal", proposalId: noise.id, kind: "enforcement", title: noise.title, description: noise.body, categoryCode: "noise", state: "dispatched", createdBy: w.id("lijuan"), createdAt: hours(60), dispatchedAt: hours(48), instructions: "今晚十一点后联合到场" })
    .returning();
  const [bureauA] = await tx
    .insert(assignments)
    .values({ whistleId: w1!.id, departmentId: w.enforcementBureau, role: "lead", state: "signed", dispatchedAt: hours(48), dueSignAt: hours(46), dueOnSiteAt: hours(24), dueResolveAt: new Date(hours(48).getTime() + 7 * 86_400_000), signedAt: hours(47), overdueSince: hours(24) })
    .returning();
  const [policeA] = await tx
    .insert(assignments)
    .values({ whistleId: w1!.id, departmentId: w.police, role: "cooperate", state: "dispatched", dispatchedAt: hours(48), dueSignAt: hours(46), dueOnSiteAt: hours(24), dueResolveAt: new Date(hours(48).getTime() + 7 * 86_400_000), overdueSince: hours(46), autoSupervisedAt: hours(22) })
    .returning();
  await tx.insert(whistleEvents).values([
    { whistleId: w1!.id, actorId: w.id("lijuan"), kind: "requested", toState: "requested", at: hours(60), publicText: "史家胡同老街坊议事厅：请街道协调城管和派出所夜间到场", data: { hall: "史家胡同老街坊议事厅", message: "请街道协调城管和派出所夜间到场" } },
    { whistleId: w1!.id, actorId: w.id("sunlei"), kind: "whistle", fromState: "requested", toState: "dispatched", at: hours(48), publicText: "今晚十一点后联合到场" },
    { whistleId: w1!.id, assignmentId: bureauA!.id, actorId: w.id("sunlei"), kind: "dispatched", toState: "dispatched", at: hours(48) },
    { whistleId: w1!.id, assignmentId: policeA!.id, actorId: w.id("sunlei"), kind: "dispatched", toState: "dispatched", at: hours(48) },
    { whistleId: w1!.id, assignmentId: bureauA!.id, actorId: w.id("maqiang"), kind: "sign", fromState: "dispatched", toState: "signed", at: hours(47) },
    { whistleId: w1!.id, assignmentId: policeA!.id, kind: "overdue", at: hours(46) },
    { whistleId: w1!.id, assignmentId: bureauA!.id, kind: "overdue", at: hours(24) },
    { whistleId: w1!.id, assignmentId: policeA!.id, kind: "auto_supervised", at: hours(22) },
  ]);

  // 2. Resolved yesterday: wangxiulan and her neighbours are asked to rate it.
  const bins = await raise("桶站旁的垃圾无人清运", "史家胡同 20 号门口的垃圾桶站三天没人清运，味道很大。", "sanitation", w.id("wangxiulan"), [n(30), n(31), n(32), n(33), n(34)], "escalated", 9);
  const [w2] = await tx
    .insert(whistles)
    .values({ subdistrictId: w.chaoyangmen.id, source: "proposal", proposalId: bins.id, kind: "resident_request", title: bins.title, description: bins.body, categoryCode: "sanitation", state: "resolved", resolvedAt: hours(20), ratingClosesAt: new Date(hours(20).getTime() + 7 * 86_400_000), closure: "resolved", createdBy: w.id("lijuan"), createdAt: hours(96), dispatchedAt: hours(90) })
    .returning();
  const [cityA] = await tx
    .insert(assignments)
    .values({ whistleId: w2!.id, departmentId: w.city, role: "lead", state: "resolved", dispatchedAt: hours(90), dueSignAt: hours(66), dueOnSiteAt: hours(18), dueResolveAt: new Date(hours(90).getTime() + 7 * 86_400_000), signedAt: hours(80), onSiteAt: hours(40), resolvedAt: hours(20), resultText: "已清运，并与环卫所约定每日两次清运" })
    .returning();
  await tx.insert(whistleEvents).values([
    { whistleId: w2!.id, actorId: w.id("lijuan"), kind: "requested", toState: "requested", at: hours(96), publicText: "史家胡同老街坊议事厅：请街道督促环卫及时清运", data: { hall: "史家胡同老街坊议事厅", message: "请街道督促环卫及时清运" } },
    { whistleId: w2!.id, actorId: w.id("sunlei"), kind: "whistle", fromState: "requested", toState: "dispatched", at: hours(90) },
    { whistleId: w2!.id, assignmentId: cityA!.id, actorId: w.id("sunlei"), kind: "dispatched", toState: "dispatched", at: hours(90) },
    { whistleId: w2!.id, assignmentId: cityA!.id, kind: "sign", fromState: "dispatched", toState: "signed", at: hours(80) },
    { whistleId: w2!.id, assignmentId: cityA!.id, kind: "on_site", fromState: "signed", toState: "on_site", at: hours(40), publicText: "环卫所两人到场", data: { people: 2 } },
    // No photo in the demo: the part states why (resolving needs a photo or a reason).
    { whistleId: w2!.id, assignmentId: cityA!.id, kind: "resolve", fromState: "on_site", toState: "resolved", at: hours(20), publicText: "已清运，并与环卫所约定每日两次清运", reason: "清运前后照片存环卫所台账，可到所查看", data: { noEvidenceReason: "清运前后照片存环卫所台账，可到所查看" } },
    { whistleId: w2!.id, kind: "resolved", fromState: "dispatched", toState: "resolved", at: hours(20) },
  ]);
  await tx.insert(ratings).values([
    { whistleId: w2!.id, userId: n(30), round: 0, solved: true, satisfaction: "satisfied" },
    { whistleId: w2!.id, userId: n(31), round: 0, solved: true, satisfaction: "basically_satisfied" },
  ]);

  // 3. A whistle waiting for the subdistrict to blow it (the supervision list's first section).
  const [w3] = await tx
    .insert(whistles)
    .values({ subdistrictId: w.chaoyangmen.id, source: "patrol", kind: "enforcement", title: "朝阳门南小街占道经营", description: "街巷长日巡发现三家商户把货摊摆上人行道。", categoryCode: "street_vending", address: "朝阳门南小街 112 号至 120 号", state: "requested", createdBy: w.id("yangfan"), createdAt: hours(3) })
    .returning();
  await tx.insert(whistleEvents).values({ whistleId: w3!.id, actorId: w.id("yangfan"), kind: "requested", toState: "requested", at: hours(3), publicText: "街巷长日巡" });

  // 4. An emergency the team reports resolved: open until the subdistrict (sunlei) confirms it (事不完、人不撤).
  const [w4] = await tx
    .insert(whistles)
    .values({ subdistrictId: w.chaoyangmen.id, source: "emergency", kind: "emergency", title: "南竹竿胡同雨水井盖缺失", description: "胡同中段一处雨水井盖不见了，夜里有人差点踩空。", categoryCode: "road_damage", address: "南竹竿胡同 40 号前", state: "dispatched", createdBy: w.id("sunlei"), createdAt: hours(3), dispatchedAt: hours(3), instructions: "立即围挡，当天补盖" })
    .returning();
  const [teamA] = await tx
    .insert(assignments)
    .values({ whistleId: w4!.id, departmentId: w.team, role: "lead", state: "resolved", dispatchedAt: hours(3), dueSignAt: hours(2.5), dueOnSiteAt: hours(2.5), dueResolveAt: null, signedAt: hours(2.9), onSiteAt: hours(2.6), resolvedAt: hours(0.5), resultText: "已设围挡并补装井盖" })
    .returning();
  await tx.insert(whistleEvents).values([
    { whistleId: w4!.id, actorId: w.id("sunlei"), kind: "whistle", fromState: "requested", toState: "dispatched", at: hours(3), publicText: "立即围挡，当天补盖" },
    { whistleId: w4!.id, assignmentId: teamA!.id, actorId: w.id("sunlei"), kind: "dispatched", toState: "dispatched", at: hours(3) },
    { whistleId: w4!.id, assignmentId: teamA!.id, kind: "sign", fromState: "dispatched", toState: "signed", at: hours(2.9) },
    { whistleId: w4!.id, assignmentId: teamA!.id, kind: "on_site", fromState: "signed", toState: "on_site", at: hours(2.6), publicText: "已到场设置围挡", data: { people: 3 } },
    { whistleId: w4!.id, assignmentId: teamA!.id, kind: "resolve", fromState: "on_site", toState: "resolved", at: hours(0.5), publicText: "已设围挡并补装井盖", reason: "夜间抢修未拍照，街道确认时到现场查看", data: { noEvidenceReason: "夜间抢修未拍照，街道确认时到现场查看" } },
  ]);
  // Six months behind them, so the dashboards have a history.
  await seedWhistleHistory(tx, { id: w.id, raters: w.neighbours.slice(0, 36).map((x) => x.id), subdistrictId: w.chaoyangmen.id, shijiaId: w.shijia.id, department: w.department });
  // The rows above were written directly: count them once, as the commands would have (ADR 0018).
  await rebuildRateCounts(tx);
}
