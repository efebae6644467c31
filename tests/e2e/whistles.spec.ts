import type { Page } from "@playwright/test";
import {
  advanceServerClockPast,
  assignment,
  blowWhistle,
  closingTime,
  expect,
  expectNotReloaded,
  HALL,
  loadUntilCached,
  personPage,
  raiseProposal,
  serverTime,
  statePill,
  test,
  unique,
  UNTIL_CLOSED_MS,
  visitorPage,
  watch,
} from "./fixtures";

/**
 * Whistles and report-for-duty (吹哨报到) end to end: a proposal reaches
 * 表决通过 the real way (raised, seconded, debated, voted, closed by the
 * server's clock), the convener escalates it (向街道吹哨), the subdistrict
 * blows the whistle to two lead departments, one signs, reports on site and
 * resolves, the other returns its part with a reason, the subdistrict
 * re-dispatches that part and the new department resolves it; the author
 * keeps the proposal page open throughout and watches the timeline grow
 * without a reload, then rates the result. Open311 publishes the whistle
 * without residents' names.
 *
 * Every test blows its own whistle through the site (a passed proposal
 * escalated, or /whistles/new), except the overdue one: it only reads what the
 * demo seeds and nobody changes, the whistle 夜间施工噪音扰民 (found by its
 * title), dispatched two days ago, overdue and automatically supervised —
 * making a whistle a day overdue here would move the server's clock a day
 * ahead under the other specs running beside these.
 *
 * Demo people (db/seed/demo.ts): lijuan convenes the 史家 hall; sunlei is a
 * 朝阳门街道 officer; maqiang an officer and guowei the head of 东城区城管执法局
 * (a head may act for the bureau's stations, such as 朝阳门街道综合执法队);
 * hejun an officer of 朝阳门派出所. neighbour01–07 are 史家 hall members that
 * no other spec uses (raising is rate-limited per person).
 */

const AUTHOR = "neighbour01";
const SECONDERS = ["neighbour02", "neighbour03", "neighbour04", "neighbour05", "neighbour06"];
const VOTER = "neighbour07";
const BUREAU = "东城区城管执法局";
const POLICE = "朝阳门派出所";
/** The replacement for the returned part: a team under the bureau, so its head (guowei) works it. */
const TEAM = "朝阳门街道综合执法队";
/** The whistle section of a proposal page, and its timeline's entries. */
const whistleSection = (page: Page) => page.getByTestId("whistle-timeline");
const proposalTimeline = (page: Page) => whistleSection(page).locator("ol.timeline > li");
/** The step the proposal's step bar marks as current. */
const currentStep = (page: Page) => page.locator('.stepbar [aria-current="step"] .stepbar__label');
/** Open the whistle from the person's inbox (派单) and return the page, on the whistle. */
async function openFromInbox(page: Page, title: string, whistlePath: string) {
  await page.goto("/inbox");
  await expect(page.getByRole("heading", { level: 1, name: "派单" })).toBeVisible();
  await page.getByRole("link", { name: title }).first().click();
  await expect(page).toHaveURL(new RegExp(`${whistlePath}$`));
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

/** Sign for, report on site and resolve one department's part, as its officer. */
async function workThrough(page: Page, department: string, onSite: { people: number; note: string }, result: string, noPhotoBecause: string) {
  const part = assignment(page, department);
  await expect(part.getByTestId("assignment-state")).toHaveText("待签收");
  await part.getByRole("button", { name: "签收", exact: true }).click();
  await expect(part.getByTestId("assignment-state")).toHaveText("已签收");
  await part.getByLabel("到场人数").fill(String(onSite.people));
  await part.getByLabel("现场情况").fill(onSite.note);
  await part.getByRole("button", { name: "到场报到", exact: true }).click();
  await expect(part.getByTestId("assignment-state")).toHaveText("已到场");
  // Resolving needs evidence: without a photo or a reason, the form says so beside the photo field and keeps the text.
  await part.getByLabel("办理结果").fill(result);
  await part.getByRole("button", { name: "办结", exact: true }).click();
  await expect(part.getByText("请上传照片，或者写明没有照片的原因。")).toBeVisible();
  await expect(part.getByLabel("办理结果")).toHaveValue(result);
  await part.getByLabel("没有照片的原因").fill(noPhotoBecause);
  await part.getByRole("button", { name: "办结", exact: true }).click();
  await expect(part.getByTestId("assignment-state")).toHaveText("已办结");
  await expect(page.getByTestId("timeline")).toContainText(`无照片，原因：${noPhotoBecause}`);
  await expect(page.getByTestId("timeline")).toContainText(`${onSite.people} 人到场`);
  await expect(part).toContainText(`办理结果：${result}`);
}

test("a passed proposal is escalated, two departments report for duty, a return is re-dispatched, the author watches it live and rates it; Open311 shows no names", async ({ browser, baseURL }) => {
  // Set-up ~30 s, a vote closing 70–130 s ahead (to the minute), then the whistle's whole loop.
  test.setTimeout(240_000);
  const base = baseURL!;
  const title = `胡同里私装地锁占用公共车位 ${unique()}`;
  const firstResult = `已拆除私装地锁 6 把，张贴告知书 ${unique()}`;
  const returnReason = "地锁属占道设施，不属于派出所职责，建议由街道综合执法队处理";
  const secondResult = `复查全胡同，另拆除地桩 3 个并登记车主 ${unique()}`;
  const ratingComment = `地锁都拆了，晚上终于能停车了 ${unique()}`;

  // a. A 史家 member raises the proposal; the author keeps its page open from here on.
  const author = await personPage(browser, base, AUTHOR);
  const proposalPath = await raiseProposal(author, title, "史家胡同 30 号至 40 号之间有人私装地锁，公共车位被长期占用，晚上邻居没处停车。", "地桩地锁");
  const authorName = ((await author.locator(".proposal-head p.muted").first().textContent()) ?? "").split(" · ")[0]!.trim();
  expect(authorName.length).toBeGreaterThan(1);
  await watch(author);
  await expect(statePill(author)).toHaveText("征集附议");

  // Five members second it on the page: it goes on the agenda.
  for (const username of SECONDERS) {
    const seconder = await personPage(browser, base, username);
    await seconder.goto(proposalPath);
    await seconder.getByRole("button", { name: "附议", exact: true }).click();
    await expect(seconder.locator(".pill", { hasText: "已附议" })).toBeVisible();
    await seconder.context().close();
  }
  await expect(statePill(author)).toHaveText("已列入议程");

  // The convener opens the debate and a yes/no vote of the hall's members, quorum 0, closing ten minutes ahead (the server's clock is then moved there).
  const convener = await personPage(browser, base, "lijuan");
  await convener.goto(proposalPath);
  await convener.getByRole("button", { name: "开始议事协商" }).click();
  await expect(statePill(convener)).toHaveText("议事协商中");
  await convener.getByRole("link", { name: "发起表决" }).click();
  await expect(convener.getByRole("heading", { level: 1, name: "发起表决" })).toBeVisible();
  const closes = await closingTime(convener.request, base, 10 * 60_000);
  await convener.getByLabel("表决方式").selectOption({ label: "赞成 / 反对 / 弃权" });
  await convener.getByLabel("谁来投票").selectOption({ label: "议事厅成员" });
  await convener.getByLabel("截止时间").fill(closes.value);
  await convener.getByLabel("参与率门槛（%）").fill("0");
  await convener.getByLabel("通过标准").selectOption({ label: "赞成多于反对（平票不通过）" });
  await convener.getByRole("button", { name: "发起表决" }).click();
  await expect(convener).toHaveURL(/\/votes\/\d+$/);
  await expect(convener.getByTestId("vote-state")).toHaveText("投票中");
  const votePath = new URL(convener.url()).pathname;
  await expect(statePill(author)).toHaveText("表决中");

  // A member votes 赞成; the vote closes by itself and the author's open page shows 表决通过.
  const voter = await personPage(browser, base, VOTER);
  await voter.goto(votePath);
  await voter.locator("form.ballot").getByRole("radio", { name: "赞成", exact: true }).check();
  await voter.locator("form.ballot").getByRole("button", { name: "投出选票" }).click();
  await expect(voter.getByText("已收到您的选票：赞成。")).toBeVisible();
  await voter.context().close();
  await advanceServerClockPast(convener.request, base, closes.at);
  await expect(statePill(author)).toHaveText("表决通过", { timeout: UNTIL_CLOSED_MS });
  expect(await serverTime(convener.request, base)).toBeGreaterThanOrEqual(closes.at.getTime());
  await expect(whistleSection(author)).toHaveCount(0);

  // The convener escalates it: 向街道吹哨. The whistle section appears, on the author's open page too.
  await convener.goto(proposalPath);
  await expect(statePill(convener)).toHaveText("表决通过");
  // A message to the subdistrict is required.
  await convener.getByRole("button", { name: "向街道吹哨" }).click();
  await expect(convener.getByText("请写几句给街道的话。")).toBeVisible();
  await convener.getByLabel("给街道的话").fill("请街道协调城管和交通部门核对地锁");
  await convener.getByRole("button", { name: "向街道吹哨" }).click();
  await expect(statePill(convener)).toHaveText("已提请吹哨");
  await expect(whistleSection(convener)).toBeVisible();
  await expect(whistleSection(convener).getByRole("heading", { name: /吹哨报到进展/ })).toContainText("已提请吹哨");
  await expect(proposalTimeline(convener)).toHaveCount(1);
  await expect(proposalTimeline(convener).first()).toContainText(`议事厅提请街道吹哨：${HALL}`);
  await expect(convener.getByRole("button", { name: "向街道吹哨" })).toHaveCount(0);
  await expect(convener.getByRole("button", { name: "社区自办" })).toHaveCount(0);
  const whistlePath = (await whistleSection(convener).getByRole("link", { name: "查看完整经过" }).getAttribute("href"))!;
  expect(whistlePath).toMatch(/^\/whistles\/\d+$/);
  const whistleId = Number(whistlePath.split("/").pop());
  await convener.context().close();

  await expect(statePill(author)).toHaveText("已提请吹哨");
  await expect(whistleSection(author)).toBeVisible();
  await expect(proposalTimeline(author)).toHaveCount(1);
  // The step bar moves past 决定 with the whistle: being handled, the subdistrict to dispatch it.
  await expect(currentStep(author)).toHaveText("办理");
  await expect(author.getByText("下一步：街道派单给部门")).toBeVisible();

  // 城管执法局's officer has his inbox open: a copy kept in memory for him (ADR 0044) until news of his work reaches
  // his department's room or his own (the dispatch below notifies him too; tests/integration covers each room alone).
  const maqiang = await personPage(browser, base, "maqiang");
  await loadUntilCached(maqiang, "/inbox");
  await expect(maqiang.getByRole("link", { name: title })).toHaveCount(0);

  // b. The subdistrict finds it on /supervision, waiting for a whistle, and blows it to two lead departments.
  const sunlei = await personPage(browser, base, "sunlei");
  await sunlei.goto("/supervision");
  const waiting = sunlei.locator("section", { has: sunlei.getByRole("heading", { name: /^等待吹哨（\d+）$/ }) });
  await waiting.getByRole("link", { name: title }).click();
  await expect(sunlei).toHaveURL(new RegExp(`${whistlePath}$`));
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("已提请吹哨");
  await expect(sunlei.getByRole("heading", { name: "吹哨派单" })).toBeVisible();
  // The duty list pre-selected departments for 地桩地锁; replace them with the two this matter needs.
  const ticked = sunlei.locator(".dept-table input[type=checkbox]:checked");
  expect(await ticked.count()).toBeGreaterThan(0);
  for (let i = 0; i < 100 && (await ticked.count()) > 0; i++) await ticked.first().uncheck();
  await expect(ticked).toHaveCount(0);
  await sunlei.getByLabel(`${BUREAU} 牵头`, { exact: true }).check();
  await sunlei.getByLabel(`${POLICE} 牵头`, { exact: true }).check();
  await sunlei.getByLabel("工作要求").fill("三日内到场，拆除私装地锁");
  await sunlei.getByRole("button", { name: "吹哨，派单" }).click();
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("部门办理中");
  await expect(sunlei.getByTestId(/^assignment-\d+$/)).toHaveCount(2);
  for (const department of [BUREAU, POLICE]) {
    await expect(assignment(sunlei, department)).toContainText("牵头");
    await expect(assignment(sunlei, department).getByTestId("assignment-state")).toHaveText("待签收");
    // Residents' requests: 24 h to sign for.
    await expect(assignment(sunlei, department)).toContainText(/签收：剩余 (23 小时|1 天)/);
  }
  await watch(sunlei); // it hears the return below

  // d. The author's open page grew: the whistle, and one dispatch per department.
  await expect(proposalTimeline(author)).toHaveCount(4);
  await expect(whistleSection(author).getByRole("heading", { name: /吹哨报到进展/ })).toContainText("部门办理中");
  await expect(author.getByText("下一步：部门办理")).toBeVisible();
  await expect(proposalTimeline(author).nth(1)).toContainText("街道吹哨：三日内到场，拆除私装地锁");
  await expect(proposalTimeline(author).filter({ hasText: `派单 · ${BUREAU}` })).toHaveCount(1);
  await expect(proposalTimeline(author).filter({ hasText: `派单 · ${POLICE}` })).toHaveCount(1);

  // c. 城管执法局 (maqiang) finds it in the inbox, signs for it, reports on site and resolves it.
  await openFromInbox(maqiang, title, whistlePath);
  // Only his own part has working buttons.
  await expect(assignment(maqiang, POLICE).getByRole("button")).toHaveCount(0);
  await workThrough(maqiang, BUREAU, { people: 2, note: "已到胡同内核对地锁位置" }, firstResult, "地锁已拆除，现场无可拍之处");
  // One lead part is still open: the whistle is not resolved yet.
  await expect(maqiang.getByTestId("whistle-state")).toHaveText("部门办理中");
  await maqiang.context().close();

  await expect(proposalTimeline(author).filter({ hasText: `签收 · ${BUREAU}` })).toHaveCount(1);
  await expect(proposalTimeline(author).filter({ hasText: `到场报到 · ${BUREAU}：已到胡同内核对地锁位置` })).toHaveCount(1);
  await expect(proposalTimeline(author).filter({ hasText: `办结 · ${BUREAU}：${firstResult}` })).toHaveCount(1);

  // 派出所 (hejun) returns its part: not its remit, with the reason.
  const hejun = await personPage(browser, base, "hejun");
  await openFromInbox(hejun, title, whistlePath);
  const policePart = assignment(hejun, POLICE);
  await policePart.locator("summary", { hasText: "退单" }).click();
  await policePart.getByLabel("退单理由（不属于本部门职责的原因）").fill(returnReason);
  await policePart.getByRole("button", { name: "确认退单" }).click();
  await expect(policePart.getByTestId("assignment-state")).toHaveText("已退单");
  await hejun.goto("/inbox");
  await expect(hejun.getByRole("link", { name: title })).toHaveCount(0);
  await hejun.context().close();
  await expect(proposalTimeline(author).filter({ hasText: `退单 · ${POLICE}：${returnReason}` })).toHaveCount(1);

  // The subdistrict's open page shows the return live, and re-dispatches the part to the enforcement team.
  const returned = assignment(sunlei, POLICE);
  await expect(returned.getByTestId("assignment-state")).toHaveText("已退单");
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("部门办理中");
  await returned.getByLabel("改派给").selectOption({ label: TEAM });
  await returned.getByRole("button", { name: "重新派单" }).click();
  await expect(assignment(sunlei, TEAM).getByTestId("assignment-state")).toHaveText("待签收");
  await expect(assignment(sunlei, TEAM)).toContainText("牵头");
  await expect(sunlei.getByTestId(/^assignment-\d+$/)).toHaveCount(3);
  await expect(sunlei.getByTestId("timeline")).toContainText(`重新派单 · ${TEAM} · 孙磊`);
  // Staff act under their account name too, so a look-alike display name cannot pass for them (issue 12 §4).
  await expect(sunlei.getByTestId("timeline")).toContainText("孙磊 ✓ 认证工作人员 @sunlei");
  await expectNotReloaded(sunlei);
  await expect(proposalTimeline(author).filter({ hasText: `重新派单 · ${TEAM}` })).toHaveCount(1);

  // The team's part is worked by the bureau's head, who may act for its teams.
  const guowei = await personPage(browser, base, "guowei");
  await openFromInbox(guowei, title, whistlePath);
  await workThrough(guowei, TEAM, { people: 3, note: "逐一核对车位" }, secondResult, "巡查记录已存执法记录仪");
  // Every lead part is resolved (the returned one was replaced): the whistle is resolved.
  await expect(guowei.getByTestId("whistle-state")).toHaveText("已办结，等待评价");
  await guowei.context().close();
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("已办结，等待评价");
  await sunlei.context().close();

  // d. The author's page followed every step without a reload.
  await expect(whistleSection(author).getByRole("heading", { name: /吹哨报到进展/ })).toContainText("已办结，等待评价");
  await expect(proposalTimeline(author).filter({ hasText: `办结 · ${TEAM}：${secondResult}` })).toHaveCount(1);
  await expect(proposalTimeline(author).last()).toContainText("全部牵头部门办结");
  // Resolved (办结): the step bar follows the whistle, no longer at 决定; the residents' rating comes next.
  await expect(author.locator(".stepbar li.done .stepbar__label", { hasText: "办结" })).toHaveCount(1);
  await expect(currentStep(author)).toHaveText("评价");
  await expect(author.getByText("下一步：居民评价办理结果")).toBeVisible();
  const steps = (await proposalTimeline(author).locator("span").allTextContents()).map((s) => s.split(" · ")[0]!.split("：")[0]!);
  expect(steps).toEqual([
    "议事厅提请街道吹哨",
    "街道吹哨",
    "派单",
    "派单",
    "签收",
    "到场报到",
    "办结",
    "退单",
    "派单",
    "重新派单",
    "签收",
    "到场报到",
    "办结",
    "全部牵头部门办结",
  ]);
  await expectNotReloaded(author);

  // e. The author rates the result on the whistle page.
  await whistleSection(author).getByRole("link", { name: "查看完整经过" }).click();
  await expect(author).toHaveURL(new RegExp(`${whistlePath}$`));
  await expect(author.getByTestId("whistle-state")).toHaveText("已办结，等待评价");
  await expect(author.getByRole("heading", { name: "请您评价办理结果" })).toBeVisible();
  const solved = author.getByRole("group", { name: "问题解决了吗？" });
  const satisfied = author.getByRole("group", { name: "您满意吗？" });
  await solved.getByRole("radio", { name: "解决了", exact: true }).check();
  await satisfied.getByRole("radio", { name: "满意", exact: true }).check();
  await author.getByLabel("想说的话（可不填）").fill(ratingComment);
  await author.getByRole("button", { name: "提交评价" }).click();
  await expect(author.getByTestId("my-rating")).toHaveText("您的评价：解决了，满意。");
  await expect(author.getByRole("button", { name: "要求重办" })).toHaveCount(0);
  await expect(author.getByTestId("timeline").locator("li").last()).toContainText("居民评价");
  // It stays after a reload, and the form does not come back.
  await author.reload();
  await expect(author.getByTestId("my-rating")).toHaveText("您的评价：解决了，满意。");
  await expect(author.getByRole("button", { name: "提交评价" })).toHaveCount(0);
  await author.goto(proposalPath);
  await expect(proposalTimeline(author).last()).toContainText("居民评价");

  // g. Open311 lists the new whistle: the matter and its status, no residents' names or words.
  const response = await author.context().request.get("/open311/v2/requests.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/json");
  const text = await response.text();
  const requests = JSON.parse(text) as Record<string, unknown>[];
  const mine = requests.find((r) => r.service_request_id === String(whistleId));
  expect(mine, `whistle ${whistleId} in Open311`).toBeDefined();
  expect(mine).toMatchObject({ status: "closed", service_code: "parking_locks", description: title });
  expect(typeof mine!.expected_datetime).toBe("string");
  expect(Object.keys(mine!).sort()).toEqual(
    ["address", "agency_responsible", "description", "expected_datetime", "media_url", "requested_datetime", "service_code", "service_name", "service_request_id", "status", "status_notes", "updated_datetime"].sort(),
  );
  for (const personal of [authorName, AUTHOR, ...SECONDERS, VOTER, "neighbour", "王秀兰", "wangxiulan", ratingComment]) {
    expect(text, `Open311 must not contain "${personal}"`).not.toContain(personal);
  }
  const single = await author.context().request.get(`/open311/v2/requests/${whistleId}.json`);
  expect(single.status()).toBe(200);
  expect(await single.json()).toMatchObject([{ service_request_id: String(whistleId), status: "closed" }]);
});

test("an overdue whistle is flagged: the subdistrict sees it under 超时未办, automatically supervised, and its page says 已超时", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const sunlei = await personPage(browser, base, "sunlei");
  await sunlei.goto("/supervision");
  await expect(sunlei.getByRole("heading", { level: 1, name: "督办" })).toBeVisible();
  await expect(sunlei.getByRole("heading", { name: /^超时未办（\d+）$/ })).toBeVisible();
  const overdue = sunlei.getByTestId("overdue-list").locator("li").filter({ hasText: "夜间施工噪音扰民" });
  // The seeded whistle 1: the police station never signed for it (overdue, and supervised a day later); the
  // bureau signed but never arrived on site (overdue; the server's own sweep supervises it once it is a day late,
  // which happens about when the demo is seeded, so either way here).
  await expect(overdue).toHaveCount(2);
  await expect(overdue.filter({ hasText: `⚠ ${BUREAU} · 已签收 · 自 ` })).toHaveCount(1);
  const supervised = overdue.filter({ hasText: `⚠ ${POLICE} · 待签收 · 自 ` });
  await expect(supervised).toHaveCount(1);
  await expect(supervised).toContainText("起超时 · 已自动督办");
  const seededPath = (await supervised.getByRole("link", { name: "夜间施工噪音扰民" }).getAttribute("href"))!;
  expect(seededPath).toMatch(/^\/whistles\/\d+$/);

  await supervised.getByRole("link", { name: "夜间施工噪音扰民" }).click();
  await expect(sunlei).toHaveURL(new RegExp(`${seededPath}$`));
  await expect(sunlei.getByRole("heading", { level: 1, name: "夜间施工噪音扰民" })).toBeVisible();
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("部门办理中");
  const police = assignment(sunlei, POLICE);
  await expect(police).toHaveClass(/assignment--overdue/);
  await expect(police).toContainText(/⚠ 签收：已超时 \d+ 天/);
  await expect(sunlei.getByTestId("timeline")).toContainText("超时一天，自动督办");

  // Everyone who can see the whistle sees the flag: an anonymous visitor too.
  const visitor = await visitorPage(browser, base);
  await visitor.goto(seededPath);
  await expect(assignment(visitor, POLICE)).toContainText("已超时");
  // …but cannot act on it.
  await expect(visitor.getByRole("button", { name: "签收", exact: true })).toHaveCount(0);
  await expect(visitor.getByRole("button", { name: "重新派单" })).toHaveCount(0);
  await expect(visitor.locator("summary", { hasText: "督办" })).toHaveCount(0);
  await visitor.context().close();
  await sunlei.context().close();
});

/**
 * A returned lead part must be re-dispatched before the whistle can be
 * resolved (it once counted as done). The subdistrict blows a whistle of its
 * own to two lead departments, which shows it quickly.
 */
test("a lead part returned and not yet re-dispatched keeps the whistle open", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const title = `朝阳门南小街占道经营 ${unique()}`;
  const sunlei = await personPage(browser, base, "sunlei");
  const whistlePath = await blowWhistle(sunlei, {
    kind: "综合执法",
    title,
    description: "街巷长日巡发现三家商户把货摊摆上人行道。",
    category: "占道经营",
    lead: [BUREAU, POLICE],
  });
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("部门办理中");
  await expect(sunlei.getByTestId(/^assignment-\d+$/)).toHaveCount(2);

  // The police return their part first…
  const hejun = await personPage(browser, base, "hejun");
  await hejun.goto(whistlePath);
  const policePart = assignment(hejun, POLICE);
  await policePart.locator("summary", { hasText: "退单" }).click();
  await policePart.getByLabel("退单理由（不属于本部门职责的原因）").fill("占道经营由城管牵头，派出所配合即可");
  await policePart.getByRole("button", { name: "确认退单" }).click();
  await expect(policePart.getByTestId("assignment-state")).toHaveText("已退单");
  await hejun.context().close();

  // …then the bureau resolves its own part.
  const maqiang = await personPage(browser, base, "maqiang");
  await maqiang.goto(whistlePath);
  await workThrough(maqiang, BUREAU, { people: 1, note: "已到场" }, "已清理占道货摊", "照片已交街巷长");
  await maqiang.context().close();

  // The returned part still has to be re-dispatched: the whistle is not resolved yet.
  await sunlei.reload();
  await expect(assignment(sunlei, POLICE).getByTestId("assignment-state")).toHaveText("已退单");
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("部门办理中", { timeout: 5_000 }); // the bug: 已办结，等待评价
  await expect(sunlei.getByTestId("timeline")).not.toContainText("全部牵头部门办结");
});

/**
 * An emergency the team reports resolved stays open, showing the time since
 * dispatch, until the subdistrict confirms it. The subdistrict blows its own;
 * the server's clock is moved two hours on so the time shown counts hours.
 */
test("an emergency stays open until the subdistrict confirms it (事不完、人不撤)", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const title = `南竹竿胡同雨水井盖缺失 ${unique()}`;
  const sunlei = await personPage(browser, base, "sunlei");
  const whistlePath = await blowWhistle(sunlei, {
    kind: "应急处置",
    title,
    description: "胡同中段一处雨水井盖不见了，夜里有人差点踩空。",
    category: "道路破损塌陷",
    lead: [TEAM],
    instructions: "立即围挡，当天补盖",
  });
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("部门办理中");
  await expect(sunlei.getByTestId("emergency-elapsed")).toContainText("应急处置，派单后已持续");

  // The team's part is worked by the bureau's head, who may act for its teams; it reports the part resolved.
  const guowei = await personPage(browser, base, "guowei");
  await guowei.goto(whistlePath);
  await workThrough(guowei, TEAM, { people: 2, note: "已设围挡" }, "已补装井盖", "夜间抢修，现场无照明");
  // 事不完、人不撤: resolved by the team is not done until the subdistrict confirms it.
  await expect(guowei.getByTestId("whistle-state")).toHaveText("部门办理中");
  await guowei.context().close();

  await advanceServerClockPast(sunlei.request, base, new Date((await serverTime(sunlei.request, base)) + 2 * 3_600_000));
  await sunlei.reload();
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("部门办理中");
  await expect(sunlei.getByTestId("emergency-elapsed")).toContainText(/应急处置，派单后已持续 \d+ 小时/);
  const part = assignment(sunlei, TEAM);
  await expect(part.getByTestId("assignment-state")).toHaveText("已办结");
  await expect(part).toContainText("应急处置：街道确认办结前不算办完。");
  await part.getByRole("button", { name: "确认办结" }).click();
  await expect(part.getByTestId("assignment-state")).toHaveText("已确认");
  await expect(sunlei.getByTestId("whistle-state")).toHaveText("已办结，等待评价");
  await expect(sunlei.getByTestId("emergency-elapsed")).toHaveCount(0);
  await expect(sunlei.getByTestId("timeline")).toContainText(`确认办结 · ${TEAM} · 孙磊`);
  await sunlei.context().close();
});

/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

test("a community whistles to a station (社区吹哨); the station reports on site with a photo, shown on the timeline and in its inbox", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const title = `楼道堆放电动车电池 ${unique()}`;
  const lijuan = await personPage(browser, base, "lijuan");
  await lijuan.goto("/me");
  await lijuan.getByRole("link", { name: "吹哨", exact: true }).click();
  await expect(lijuan.getByRole("heading", { level: 1, name: "吹哨" })).toBeVisible();
  await expect(lijuan.getByText("社区吹哨、科站队所报到")).toBeVisible();
  // Only stations serving 朝阳门街道 are offered; the bureau is not.
  await expect(lijuan.getByLabel(`${BUREAU} 牵头`, { exact: true })).toHaveCount(0);
  // Nothing chosen: the form says what is missing beside the fields.
  await lijuan.getByRole("button", { name: "吹哨，派单" }).click();
  await expect(lijuan.getByText("请填写此项。").first()).toBeVisible();
  await expect(lijuan.getByText("至少选一个牵头部门。")).toBeVisible();
  await lijuan.getByLabel("事项", { exact: true }).fill(title);
  await lijuan.getByLabel("具体情况", { exact: true }).fill("史家胡同 12 号楼道里堆着十几块电动车电池，有起火隐患。");
  await lijuan.getByLabel("类别", { exact: true }).selectOption({ label: "地桩地锁" });
  await lijuan.getByLabel(`${POLICE} 牵头`, { exact: true }).check();
  await lijuan.getByRole("button", { name: "吹哨，派单" }).click();
  await expect(lijuan).toHaveURL(/\/whistles\/\d+$/);
  const whistlePath = new URL(lijuan.url()).pathname;
  await expect(lijuan.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(lijuan.locator("header.card")).toContainText("史家社区吹哨");
  await expect(assignment(lijuan, POLICE).getByTestId("assignment-state")).toHaveText("待签收");
  await watch(lijuan);

  const hejun = await personPage(browser, base, "hejun");
  await openFromInbox(hejun, title, whistlePath);
  const part = assignment(hejun, POLICE);
  await part.getByRole("button", { name: "签收", exact: true }).click();
  await expect(part.getByTestId("assignment-state")).toHaveText("已签收");
  // A file that only calls itself a picture is refused beside the field, and nothing moves.
  await part.getByLabel("到场人数").fill("2");
  await part.getByLabel("现场照片或文件", { exact: true }).setInputFiles({ name: "fake.png", mimeType: "image/png", buffer: Buffer.from("not a picture at all") });
  await part.getByRole("button", { name: "到场报到", exact: true }).click();
  // The browser cannot open it, so it is refused beside the field before anything is sent (ADR 0023).
  await expect(part.getByText("这张照片打不开", { exact: false })).toBeVisible();
  await expect(part.getByTestId("assignment-state")).toHaveText("已签收");
  await part.getByLabel("现场情况").fill("电池已清出楼道");
  await part.getByLabel("现场照片或文件", { exact: true }).setInputFiles({ name: "site.png", mimeType: "image/png", buffer: PNG });
  await part.getByRole("button", { name: "到场报到", exact: true }).click();
  await expect(part.getByTestId("assignment-state")).toHaveText("已到场");
  const photo = hejun.getByTestId("timeline").getByRole("img", { name: "现场照片" });
  await expect(photo).toHaveCount(1);
  expect((await hejun.context().request.get((await photo.getAttribute("src"))!)).headers()["content-type"]).toBe("image/png");
  await hejun.goto("/inbox");
  await expect(hejun.locator("li", { hasText: title }).getByRole("img", { name: "现场照片" })).toHaveCount(1);
  await hejun.context().close();

  // The community's open page shows the step and the photo live.
  await expect(lijuan.getByTestId("timeline").getByRole("img", { name: "现场照片" })).toHaveCount(1);
  await expectNotReloaded(lijuan);
  await lijuan.context().close();
});
