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
