/**
 * The demo district's people: one account for every role, listed on the
 * login page in demo mode. All share DEMO_PASSWORD. The app owns this list
 * (the login page shows it); the demo seed (db/seed/demo.ts) creates these
 * accounts from it.
 */
export const DEMO_PASSWORD = "gongzhi2026";

/**
 * The passphrase of the demo secret votes' tellers (李娟, 王秀兰, 陈建国),
 * which unlocks their key shares on the teller's page (ADR 0016). Public,
 * like every demo password: a real teller's passphrase is known to them alone.
 */
export const DEMO_TELLER_PASSPHRASE = "共治演示唱票口令2026";

export const demoRoles = [
  "resident",
  "unverified",
  "partyMember",
  "orgAdmin",
  "communityWorker",
  "communitySecretary",
  "subdistrictOfficer",
  "subdistrictLeader",
  "departmentOfficer",
  "departmentHead",
  "stationOfficer",
  "alleyChief",
  "districtAdmin",
  "platformAdmin",
] as const;
export type DemoRole = (typeof demoRoles)[number];

export interface DemoAccount {
  username: string;
  displayName: string;
  role: DemoRole;
  /** Where this person sits, for the login page (Chinese; a proper name). */
  where: string;
}

export const demoAccounts: DemoAccount[] = [
  { username: "wangxiulan", displayName: "王秀兰", role: "resident", where: "史家社区 · 史家胡同 24 号院" },
  { username: "liuyang", displayName: "刘洋", role: "unverified", where: "刚搬来，尚未认证" },
  { username: "chenjianguo", displayName: "陈建国", role: "partyMember", where: "内务社区 · 国家电网北京公司" },
  { username: "zhaomin", displayName: "赵敏", role: "orgAdmin", where: "东城区阳光社会工作服务中心" },
  { username: "lijuan", displayName: "李娟", role: "communityWorker", where: "史家社区居委会" },
  { username: "zhangguifang", displayName: "张桂芳", role: "communitySecretary", where: "史家社区党委" },
  { username: "sunlei", displayName: "孙磊", role: "subdistrictOfficer", where: "朝阳门街道办事处" },
  { username: "zhouhaiyan", displayName: "周海燕", role: "subdistrictLeader", where: "朝阳门街道工委" },
  { username: "maqiang", displayName: "马强", role: "departmentOfficer", where: "东城区城管执法局" },
  { username: "guowei", displayName: "郭伟", role: "departmentHead", where: "东城区城管执法局" },
  { username: "hejun", displayName: "何军", role: "stationOfficer", where: "朝阳门派出所" },
  { username: "yangfan", displayName: "杨帆", role: "alleyChief", where: "史家胡同街巷长" },
  { username: "wugang", displayName: "吴刚", role: "districtAdmin", where: "东城区政务服务管理局" },
  { username: "admin", displayName: "平台管理员", role: "platformAdmin", where: "共治平台" },
];

/** How the login page groups the demo people (a newcomer looks for a role, then a person). */
export const demoGroups = ["residents", "party", "community", "subdistrict", "departments", "district"] as const;
export type DemoGroup = (typeof demoGroups)[number];

export const demoGroupOf: Record<DemoRole, DemoGroup> = {
  resident: "residents",
  unverified: "residents",
  partyMember: "party",
  orgAdmin: "party",
  communityWorker: "community",
  communitySecretary: "community",
  subdistrictOfficer: "subdistrict",
  subdistrictLeader: "subdistrict",
  alleyChief: "subdistrict",
  departmentOfficer: "departments",
  departmentHead: "departments",
  stationOfficer: "departments",
  districtAdmin: "district",
  platformAdmin: "district",
};

export interface DemoNeighbour {
  username: string;
  displayName: string;
  community: "史家社区" | "内务社区";
  /** The household's address (for those still waiting, the address they gave). */
  address: string;
  /** Verified by 李娟 and on the roll; the last four are still waiting. */
  verified: boolean;
  /** An in-service Party member who reported to 史家社区 (双报到, db/seed/demo-pledges.ts). */
  partyMember: boolean;
}

const NEIGHBOUR_NAMES =
  "王淑珍 黄玉兰 高德福 宋秀珍 董俊杰 傅欣怡 蒋建国 阎丽华 汪卫东 姚金凤 郝雨桐 秦佳琪 龙秀英 黎海燕 龚振华 杨丽娟 胡思远 罗桂英 冯国庆 邓凤英 苏文革 薛子涵 夏明轩 方志强 金春生 毛红梅 邵宝山 汤浩然 贺淑珍 刘玉兰 徐德福 郭秀珍 韩俊杰 曹欣怡 彭建国 丁丽华 杜卫东 姜金凤 邹雨桐 崔佳琪 顾秀英 雷海燕 武振华 李丽娟 周思远 林桂英 郑国庆 萧凤英".split(
    " ",
  );

/**
 * The demo's neighbours (neighbour01 … neighbour48, same password): enough
 * residents to second a proposal and vote. 01–36 live in 史家社区 and belong
 * to its hall (09–16 are Party members), 37–44 in 内务社区 and its hall,
 * 45–48 have asked to be verified and wait for 李娟.
 */
export const demoNeighbours: DemoNeighbour[] = NEIGHBOUR_NAMES.map((displayName, i) => {
  const shijia = i < 36 || i >= 44;
  return {
    username: `neighbour${String(i + 1).padStart(2, "0")}`,
    displayName,
    community: shijia ? "史家社区" : "内务社区",
    address:
      i >= 44
        ? `史家胡同${50 + i}号`
        : i < 36
          ? `史家胡同${10 + Math.floor(i / 2)}号院${(i % 2) + 1}门`
          : `内务部街${20 + Math.floor((i - 36) / 2)}号楼${(i % 2) + 1}单元`,
    verified: i < 44,
    partyMember: i >= 8 && i < 16,
  };
});
