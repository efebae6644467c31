import { count, eq, sql } from "drizzle-orm";
import type { Database, Tx } from "../client.server";
import {
  alleys,
  categories,
  departments,
  dutyAssignments,
  households,
  organizationMembers,
  organizations,
  partyReports,
  positions,
  residencyClaims,
  rosterEntries,
  users,
  type PositionKind,
} from "../schema";
import { hashPassword } from "~/modules/identity/password.server";
import { insertUnit } from "~/modules/units/commands.server";
import { DEMO_PASSWORD, demoAccounts } from "./demo-accounts";
import { categoryList, departmentKinds } from "./duty-list";

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
      const name =
        kind.code === "enforcement" ? `${s.name}综合执法队` : kind.code === "police" ? `${short}派出所` : `${short}${kind.zh.replace(/（.*）/, "")}`;
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
    .values(
      Array.from({ length: 48 }, (_, i) => ({
        username: `neighbour${String(i + 1).padStart(2, "0")}`,
        displayName: `${SURNAMES[(i * 7) % SURNAMES.length]}${GIVEN[(i * 5) % GIVEN.length]}`,
        passwordHash,
      })),
    )
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
    const communityId = i < 36 ? shijia.id : neiwu.id;
    const address = i < 36 ? `史家胡同${10 + Math.floor(i / 2)}号院${(i % 2) + 1}门` : `内务部街${20 + Math.floor((i - 36) / 2)}号楼${(i % 2) + 1}单元`;
    if (i >= 44) {
      await tx.insert(residencyClaims).values({ userId: n.id, communityId: shijia.id, address: `史家胡同${50 + i}号` });
      continue;
    }
    const [existing] = await tx.select({ id: households.id }).from(households).where(sql`${households.communityId} = ${communityId} and ${households.address} = ${address}`);
    await verify(n.id, communityId, address, existing?.id ?? (await household(communityId, address)));
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
}
