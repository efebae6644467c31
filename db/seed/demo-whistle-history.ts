import type { Tx } from "../client.server";
import { assignments, ratings, whistleEvents, whistles, type Satisfaction, type WhistleKind } from "../schema";
import { categoryList } from "~/modules/units/duty-list";
import { deadlines, RATING_WINDOW_MS } from "~/modules/whistles/rules";
import { localMonth, monthStart } from "~/lib/time";

/**
 * Six months of 朝阳门街道's whistles, finished or not, so the dashboards'
 * month-over-month chart has a history and each month's three rates differ:
 * signed in time or late, resolved on time or late, residents satisfied or
 * not, a part returned to the subdistrict and sent elsewhere, one left
 * overdue. Written as rows like the rest of the seed; the caller then counts
 * them as the server does (rebuildRateCounts, ADR 0018), so the running counts
 * and the recount agree. Each whistle is raised where its street is: 史家社区
 * (李娟) and 史家胡同's alley chief (杨帆) about 史家胡同, the subdistrict's
 * officer (孙磊, chief of the other alleys) about the rest.
 */
type Outcome = "satisfied" | "lateSign" | "dissatisfied" | "lateResolve" | "returned" | "open";

interface Case {
  title: string;
  description: string;
  category: string;
  address: string;
  /** 史家社区 whistled it directly (社区吹哨), or a chief found it on patrol. */
  raisedBy: "shijia" | "yangfan" | "sunlei";
  lead: string;
  cooperate?: string;
}

const CASES: Case[] = [
  { title: "院门前堆放建筑垃圾", description: "装修后的渣土和旧家具堆在院门口一个多星期，挡住了半条胡同。", category: "junk_piles", address: "史家胡同 15 号院门前", raisedBy: "shijia", lead: "team", cooperate: "city" },
  { title: "餐馆油烟直排扰民", description: "胡同里一家小餐馆的排烟管直接朝居民院里排，楼上住户不敢开窗。", category: "cooking_fumes", address: "演乐胡同 31 号", raisedBy: "sunlei", lead: "ecology", cooperate: "team" },
  { title: "私装地锁占用车位", description: "有人在胡同公共停车位上私装了三把地锁。", category: "parking_locks", address: "史家胡同 27 号院外", raisedBy: "yangfan", lead: "team", cooperate: "traffic" },
  { title: "路面塌陷出现坑洞", description: "胡同中段路面塌下一个半米宽的坑，已用杂物临时围住。", category: "road_damage", address: "本司胡同 18 号前", raisedBy: "sunlei", lead: "city", cooperate: "traffic" },
  { title: "无照游商占道售卖", description: "早市时段有流动摊贩在人行道上售卖，行人只能走到机动车道上。", category: "unlicensed_business", address: "朝阳门南小街 96 号前", raisedBy: "sunlei", lead: "market", cooperate: "team" },
  { title: "老槐树枯枝悬空", description: "院外老槐树有一根枯枝悬在胡同上方，风大时随时可能掉落。", category: "greening", address: "史家胡同 22 号院外", raisedBy: "yangfan", lead: "parks" },
  { title: "群租房住了二十多人", description: "一处平房隔成十几个小间出租，电线乱拉，邻居担心火灾。", category: "group_rental", address: "内务部街 33 号", raisedBy: "sunlei", lead: "housing", cooperate: "police" },
  { title: "院里化粪池外溢", description: "化粪池盖板松动，污水漫到院里，老人进出要踩着砖头。", category: "underground_pipes", address: "史家胡同 19 号院", raisedBy: "shijia", lead: "city", cooperate: "water" },
  { title: "小饭馆后厨卫生差", description: "居民反映饭馆后厨老鼠出没，垃圾堆在后门。", category: "food_safety", address: "朝阳门南小街 120 号", raisedBy: "sunlei", lead: "food", cooperate: "team" },
  { title: "雨后积水没过脚面", description: "每次下雨胡同东口积水很深，雨水箅子被落叶堵住。", category: "flooding", address: "史家胡同东口", raisedBy: "shijia", lead: "water", cooperate: "city" },
  { title: "胡同里乱停车堵住院门", description: "夜里外来车辆停在院门口，早上老人出不了门。", category: "parking", address: "内务部街 11 号", raisedBy: "sunlei", lead: "traffic", cooperate: "team" },
  { title: "楼道堆放杂物挡住通道", description: "院内公共通道堆满纸箱和旧自行车，有火灾隐患。", category: "fire_hazard", address: "史家胡同 11 号院", raisedBy: "shijia", lead: "fire", cooperate: "police" },
];

/** What happened to each month's whistles, oldest month first (index 0: five months ago; the last: this month). */
const MONTHS: Outcome[][] = [
  ["satisfied", "satisfied", "lateSign", "dissatisfied", "satisfied"],
  ["satisfied", "lateSign", "lateSign", "satisfied", "lateResolve", "satisfied", "dissatisfied"],
  ["satisfied", "satisfied", "satisfied", "returned", "lateSign", "satisfied"],
  ["satisfied", "dissatisfied", "satisfied", "lateSign", "satisfied", "satisfied", "returned", "satisfied"],
  ["satisfied", "satisfied", "lateSign", "dissatisfied", "satisfied", "open"],
  ["satisfied", "lateSign", "open"],
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export async function seedWhistleHistory(
  tx: Tx,
  w: {
    id: (username: string) => number;
    raters: number[];
    subdistrictId: number;
    shijiaId: number;
    /** The department answering for a kind in 朝阳门街道: its station, or the district department. */
    department: (kind: string) => number;
  },
) {
  const now = Date.now();
  const tz = process.env.TIME_ZONE ?? "Asia/Shanghai";
  const [y, m] = localMonth(new Date(now), tz).split("-").map(Number) as [number, number];
  let next = 0;
  for (const [i, outcomes] of MONTHS.entries()) {
    const back = MONTHS.length - 1 - i;
    const start = monthStart(y, m - 1 - back, tz).getTime();
    // This month: whistles up to two days ago when there is room (resolved ones need time), else a fresh one.
    const end = back === 0 ? Math.max(start + HOUR, now - 2 * DAY) : monthStart(y, m - back, tz).getTime();
    for (const [k, outcome] of outcomes.entries()) {
      const c = CASES[next++ % CASES.length]!;
      const t0 = back === 0 && end <= start + HOUR ? Math.max(start, now - HOUR) + k * 60_000 : start + ((k + 0.5) * (end - start)) / outcomes.length;
      await seedCase(tx, w, c, back === 0 && outcome !== "open" && t0 + 3 * DAY > now ? "open" : outcome, t0, now, next);
    }
  }
}

async function seedCase(tx: Tx, w: Parameters<typeof seedWhistleHistory>[1], c: Case, planned: Outcome, t0: number, now: number, n: number) {
  const category = categoryList.find((x) => x.code === c.category)!;
  const kind: WhistleKind = category.whistleKind;
  const at = (ms: number) => new Date(t0 + ms);
  const due = deadlines(kind, at(0), undefined, at(14 * DAY));
  const signWindow = due.sign.getTime() - t0;
  const creator = c.raisedBy === "shijia" ? w.id("lijuan") : w.id(c.raisedBy);
  const resolvedAfter = planned === "lateResolve" ? (due.resolve ? due.resolve.getTime() - t0 + 2 * DAY : 16 * DAY) : 2 * DAY + (n % 5) * 6 * HOUR;
  // A whistle dispatched lately is still being worked (its result, and the residents' ratings, would lie ahead).
  const outcome: Outcome = t0 + resolvedAfter + 16 * HOUR > now ? "open" : planned;
  const resolved = outcome !== "open";
  const resolvedAt = at(resolvedAfter);
  const ratingClosesAt = new Date(resolvedAt.getTime() + RATING_WINDOW_MS);
  const closed = resolved && ratingClosesAt.getTime() <= now;
  const [row] = await tx
    .insert(whistles)
    .values({
      subdistrictId: w.subdistrictId,
      communityId: c.raisedBy === "shijia" ? w.shijiaId : null,
      source: c.raisedBy === "shijia" ? "direct" : "patrol",
      kind,
      title: c.title,
      description: c.description,
      categoryCode: c.category,
      address: c.address,
      keyTaskDueAt: kind === "key_task" ? at(14 * DAY) : null,
      state: !resolved ? "dispatched" : closed ? "closed" : "resolved",
      resolvedAt: resolved ? resolvedAt : null,
      ratingClosesAt: resolved && !closed ? ratingClosesAt : null,
      closure: resolved ? "resolved" : null,
      createdBy: creator,
      createdAt: at(-HOUR),
      dispatchedAt: at(0),
    })
    .returning();
  const whistleId = row!.id;
  const events: (typeof whistleEvents.$inferInsert)[] = [
    { whistleId, actorId: creator, kind: "requested", toState: "requested", at: at(-HOUR), publicText: c.raisedBy === "shijia" ? "史家社区吹哨" : "街巷长日巡" },
    { whistleId, actorId: w.id("sunlei"), kind: "whistle", fromState: "requested", toState: "dispatched", at: at(0) },
  ];
  const part = async (departmentKind: string, role: "lead" | "cooperate", startAt: number, state: "done" | "open" | "returned") => {
    const d = deadlines(kind, at(startAt), undefined, at(14 * DAY));
    const sign = startAt + (outcome === "lateSign" && role === "lead" ? 1.5 : 0.4) * signWindow;
    const onSite = sign + 0.3 * (d.onSite.getTime() - d.sign.getTime());
    const done = state === "done";
    // Still being worked: only the steps whose time has come.
    const reached = state === "returned" || done ? 2 : at(onSite).getTime() <= now ? 2 : at(sign).getTime() <= now ? 1 : 0;
    const emergency = kind === "emergency";
    const [a] = await tx
      .insert(assignments)
      .values({
        whistleId,
        departmentId: w.department(departmentKind),
        role,
        state: state === "returned" ? "returned" : done ? (role === "cooperate" || emergency ? "confirmed" : "resolved") : (["dispatched", "signed", "on_site"] as const)[reached],
        dispatchedAt: at(startAt),
        dueSignAt: d.sign,
        dueOnSiteAt: d.onSite,
        dueResolveAt: d.resolve,
        signedAt: state === "returned" || reached < 1 ? null : at(sign),
        onSiteAt: state === "returned" || reached < 2 ? null : at(onSite),
        resolvedAt: done ? resolvedAt : null,
        returnedAt: state === "returned" ? at(startAt + 0.3 * signWindow) : null,
        resultText: done ? "已处理完毕，现场已恢复" : null,
        overdueSince: !done && state !== "returned" && d.resolve && d.resolve.getTime() < now ? d.resolve : null,
      })
      .returning();
    const id = a!.id;
    events.push({ whistleId, assignmentId: id, actorId: w.id("sunlei"), kind: "dispatched", toState: "dispatched", at: at(startAt) });
    if (state === "returned") {
      events.push({ whistleId, assignmentId: id, kind: "return", fromState: "dispatched", toState: "returned", reason: "不属于本单位职责，请改派", at: at(startAt + 0.3 * signWindow) });
      return id;
    }
    if (reached >= 1) events.push({ whistleId, assignmentId: id, kind: "sign", fromState: "dispatched", toState: "signed", at: at(sign) });
    if (reached >= 2) events.push({ whistleId, assignmentId: id, kind: "on_site", fromState: "signed", toState: "on_site", at: at(onSite), data: { people: 2 } });
    if (done)
      events.push({
        whistleId,
        assignmentId: id,
        kind: "resolve",
        fromState: "on_site",
        toState: "resolved",
        at: resolvedAt,
        publicText: "已处理完毕，现场已恢复",
        reason: "照片存本单位台账",
        data: { noEvidenceReason: "照片存本单位台账" },
      });
    if (done && (role === "cooperate" || emergency))
      events.push({ whistleId, assignmentId: id, kind: role === "cooperate" ? "accepted" : "confirmed", fromState: "resolved", toState: "confirmed", at: resolvedAt });
    return id;
  };
  if (outcome === "returned") {
    // First sent to the wrong department, which gave it back; the subdistrict sent it to the right one.
    const returned = await part(c.lead === "police" ? "team" : "police", "lead", 0, "returned");
    const fresh = await part(c.lead, "lead", 0.5 * signWindow, "done");
    events.push({ whistleId, assignmentId: fresh, actorId: w.id("sunlei"), kind: "redispatched", data: { replaces: returned }, at: at(0.5 * signWindow) });
  } else {
    await part(c.lead, "lead", 0, resolved ? "done" : "open");
  }
  if (c.cooperate && outcome !== "returned") await part(c.cooperate, "cooperate", 0, resolved ? "done" : "open");
  if (resolved) {
    events.push({ whistleId, kind: "resolved", fromState: "dispatched", toState: "resolved", at: resolvedAt });
    const answers: Satisfaction[] =
      outcome === "dissatisfied" ? ["dissatisfied", "dissatisfied", "basically_satisfied"] : outcome === "lateSign" || outcome === "lateResolve" ? ["basically_satisfied", "satisfied"] : ["satisfied", "satisfied", "basically_satisfied"];
    await tx.insert(ratings).values(
      answers.map((satisfaction, k) => ({
        whistleId,
        userId: w.raters[(n * 3 + k) % w.raters.length]!,
        round: 0,
        solved: satisfaction !== "dissatisfied",
        satisfaction,
        createdAt: new Date(resolvedAt.getTime() + (k + 1) * 5 * HOUR),
      })),
    );
    if (closed) events.push({ whistleId, kind: "closed", fromState: "resolved", toState: "closed", at: ratingClosesAt });
  }
  await tx.insert(whistleEvents).values(events);
}
