import type { Page } from "@playwright/test";
import {
  claimResidency,
  expect,
  expectNotReloaded,
  hydrated,
  openHall,
  personPage,
  raiseProposal,
  register,
  statePill,
  test,
  unique,
  verifyResidency,
  visitorPage,
  watch,
} from "./fixtures";

/**
 * Discussion halls end to end: joining, raising a proposal, seconding it onto
 * the agenda, the debate with stances and replies, reports, minutes, search.
 * Every test raises its own proposal (unique title, its own author: raising is
 * rate-limited per person) so that nothing depends on another test's state.
 * "Live" means the page changes while it stays open: each watching page is
 * marked before the others act and the mark is checked afterwards.
 */

const speakForm = (page: Page) => page.getByRole("form", { name: "发言", exact: true });
const commentWith = (page: Page, text: string) => page.getByTestId("comment").filter({ hasText: text });

/** Speak on the proposal open on `page`, with a stance. */
async function speak(page: Page, stance: "支持" | "反对" | "中立", text: string) {
  const form = speakForm(page);
  await form.getByRole("radio", { name: stance }).check();
  await form.getByLabel("发言内容").fill(text);
  await form.getByRole("button", { name: "发表" }).click();
  await expect(commentWith(page, text)).toBeVisible();
  await expect(form.getByLabel("发言内容")).toHaveValue(""); // the form is ready for the next one
}

async function expectTotals(page: Page, support: number, oppose: number, neutral: number) {
  const totals = page.getByTestId("stance-totals");
  await expect(totals.locator('[data-stance="support"]')).toHaveText(`支持 ${support}`);
  await expect(totals.locator('[data-stance="oppose"]')).toHaveText(`反对 ${oppose}`);
  await expect(totals.locator('[data-stance="neutral"]')).toHaveText(`中立 ${neutral}`);
}

test("only eligible people may join the hall: a newly verified resident joins it", async ({ page, browser, baseURL }) => {
  // A newcomer who is not verified yet (a fresh account, as every scenario makes its own): the hall says why and where to go.
  const name = `新街坊${Math.floor(Math.random() * 100000)}`;
  await register(page, name);
  await openHall(page);
  await expect(page.getByText("只有史家社区的认证居民和在此报到的在职党员可以加入。")).toBeVisible();
  await expect(page.getByRole("link", { name: "去做居住认证" })).toHaveAttribute("href", "/me");
  await expect(page.getByRole("button", { name: "加入议事厅" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "提出议题" })).toHaveCount(0);

  // A verified resident of another community (内务社区) may not join 史家's hall either.
  const outsider = await personPage(browser, baseURL!, "neighbour40");
  await openHall(outsider);
  await expect(outsider.getByText("只有史家社区的认证居民和在此报到的在职党员可以加入。")).toBeVisible();
  await expect(outsider.getByRole("button", { name: "加入议事厅" })).toHaveCount(0);
  await expect(outsider.getByRole("link", { name: "提出议题" })).toHaveCount(0);
  await outsider.context().close();

  // The newcomer claims residency in 史家社区 and the community worker verifies it.
  await claimResidency(page, "史家胡同 40 号院 1 门");
  await verifyResidency(browser, baseURL!, name);
  await expect(page.getByTestId("residency-status")).toContainText("已认证");

  // Now the hall lets them in, and they may raise proposals.
  await openHall(page);
  await expect(page.getByText("只有史家社区的认证居民和在此报到的在职党员可以加入。")).toHaveCount(0);
  await page.getByRole("button", { name: "加入议事厅" }).click();
  await expect(page.getByRole("button", { name: "退出议事厅" })).toBeVisible();
  await expect(page.getByRole("link", { name: "提出议题" })).toBeVisible();
});

test("a member raises a proposal and neighbours' seconds put it on the agenda, live on every screen", async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const title = `胡同口乱停车挡住消防通道 ${unique()}`;
  const body = "每天晚上胡同口停满外来车辆，消防车进不来，希望设置隔离桩并夜间限时停车。";

  // A visitor watches the hall: the new proposal appears in its list by itself.
  const hallWatcher = await visitorPage(browser, baseURL!);
  await openHall(hallWatcher);
  await watch(hallWatcher);

  const author = await personPage(browser, baseURL!, "wangxiulan");
  const path = await raiseProposal(author, title, body);
  await expect(statePill(author)).toHaveText("征集附议");
  await expect(author.getByTestId("seconds")).toContainText("已有 0 人附议，需要 5 人");
  // Nobody seconds their own proposal.
  await expect(author.getByRole("button", { name: "附议", exact: true })).toHaveCount(0);
  await expect(hallWatcher.getByRole("link", { name: title })).toBeVisible();
  await expectNotReloaded(hallWatcher);

  // The author's page and a visitor's page stay open while neighbours second it.
  await watch(author, path);
  const visitor = await visitorPage(browser, baseURL!);
  await watch(visitor, path);
  await expect(visitor.getByTestId("seconds")).toContainText("已有 0 人附议，需要 5 人");
  await expect(visitor.getByRole("button", { name: "附议", exact: true })).toHaveCount(0);

  const seconders = ["neighbour10", "neighbour11", "neighbour12", "neighbour13"];
  for (const [i, username] of seconders.entries()) {
    const neighbour = await personPage(browser, baseURL!, username);
    await neighbour.goto(path);
    await neighbour.getByRole("button", { name: "附议", exact: true }).click();
    await expect(neighbour.getByText("已附议")).toBeVisible();
    await expect(neighbour.getByRole("button", { name: "附议", exact: true })).toHaveCount(0);
    for (const watcher of [author, visitor]) {
      await expect(watcher.getByTestId("seconds")).toContainText(`已有 ${i + 1} 人附议，需要 5 人`);
      await expect(statePill(watcher)).toHaveText("征集附议");
    }
    if (i === seconders.length - 1) {
      // Before the rule is reached, a neighbour may take the second back: the count drops on every open page, and back up when seconded again.
      await neighbour.getByRole("button", { name: "撤回附议" }).click();
      await expect(neighbour.getByRole("button", { name: "附议", exact: true })).toBeVisible();
      await expect(neighbour.getByText("已附议")).toHaveCount(0);
      for (const watcher of [author, visitor]) await expect(watcher.getByTestId("seconds")).toContainText(`已有 ${i} 人附议，需要 5 人`);
      await neighbour.getByRole("button", { name: "附议", exact: true }).click();
      await expect(neighbour.getByRole("button", { name: "撤回附议" })).toBeVisible();
      for (const watcher of [author, visitor]) await expect(watcher.getByTestId("seconds")).toContainText(`已有 ${i + 1} 人附议，需要 5 人`);
    }
    await neighbour.context().close();
  }

  // The fifth second, by a convener who is also a member, reaches the hall's rule.
  const convener = await personPage(browser, baseURL!, "lijuan");
  await convener.goto(path);
  await convener.getByRole("button", { name: "附议", exact: true }).click();
  await expect(statePill(convener)).toHaveText("已列入议程");
  // From now on the seconds stand: nobody is offered to take theirs back.
  await expect(convener.getByRole("button", { name: "撤回附议" })).toHaveCount(0);
  for (const watcher of [author, visitor]) {
    await expect(statePill(watcher)).toHaveText("已列入议程");
    await expect(watcher.getByText("5 人附议", { exact: true })).toBeVisible();
    await expect(watcher.getByText("下一步：召集人组织议事")).toBeVisible();
    await expectNotReloaded(watcher);
  }
  // The hall's list follows too.
  const row = hallWatcher.getByRole("listitem").filter({ has: hallWatcher.getByRole("link", { name: title }) });
  await expect(row.locator("[data-state]")).toHaveText("已列入议程");
  await expectNotReloaded(hallWatcher);
});

test("a debate with stances: comments and totals appear live, a stance is required, a reply nests", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const author = await personPage(browser, baseURL!, "neighbour16");
  const path = await raiseProposal(
    author,
    `院门口的共享单车堆成山 ${unique()}`,
    "每天早上院门口堆满共享单车，老人出门都得绕着走，希望划定停放区。",
  );

  const supporter = await personPage(browser, baseURL!, "neighbour17");
  const opponent = await personPage(browser, baseURL!, "neighbour18");
  await watch(supporter, path);
  await watch(opponent, path);
  await expect(supporter.getByText("还没有人发言。先表明立场，再讲理由。")).toBeVisible();
  await expectTotals(opponent, 0, 0, 0);

  const pro = `支持划线，停放整齐了大家都方便 ${unique()}`;
  await speak(supporter, "支持", pro);
  await expect(commentWith(opponent, pro)).toBeVisible();
  await expect(commentWith(opponent, pro).locator(".stance-tag")).toHaveText("支持");
  await expectTotals(opponent, 1, 0, 0);
  await expect(opponent.getByRole("heading", { name: "议事发言（1）" })).toBeVisible();

  const con = `院门口太窄，划了线也停不下 ${unique()}`;
  await speak(opponent, "反对", con);
  await expect(commentWith(supporter, con)).toBeVisible();
  await expectTotals(supporter, 1, 1, 0);
  await expectTotals(opponent, 1, 1, 0);

  // Speaking without a stance is refused: the browser will not send the form...
  const posts: string[] = [];
  opponent.on("request", (r) => r.method() === "POST" && posts.push(r.url()));
  const form = speakForm(opponent);
  const missing = `我没选立场 ${unique()}`;
  await form.getByLabel("发言内容").fill(missing);
  await form.getByRole("button", { name: "发表" }).click();
  expect(await form.getByRole("radio", { name: "支持" }).evaluate((r: HTMLInputElement) => r.validity.valueMissing)).toBe(true);
  expect(posts).toEqual([]);
  // ...and when it is sent anyway, the server refuses it with a message.
  await form.evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await form.getByRole("button", { name: "发表" }).click();
  await expect(form.getByText("请先选择立场：支持、反对或中立。")).toBeVisible();
  expect(posts).toHaveLength(1);
  await expect(opponent.getByTestId("comment")).toHaveCount(2);
  await expect(commentWith(supporter, missing)).toHaveCount(0);
  await expectTotals(supporter, 1, 1, 0);

  // A reply nests under its parent, on the other member's page too.
  const parent = commentWith(opponent, pro);
  await parent.getByRole("button", { name: "回复" }).click();
  const replyForm = parent.getByRole("form", { name: "回复" });
  await replyForm.getByRole("radio", { name: "中立" }).check();
  const reply = `能不能先在胡同东口试点一个月？ ${unique()}`;
  await replyForm.getByRole("textbox", { name: "回复" }).fill(reply);
  await replyForm.getByRole("button", { name: "回复" }).click();
  await expect(replyForm).toHaveCount(0);
  for (const page of [opponent, supporter]) {
    const nested = commentWith(page, pro).getByRole("list").getByTestId("comment").filter({ hasText: reply });
    await expect(nested).toBeVisible();
    await expect(nested.locator(".stance-tag")).toHaveText("中立");
    await expectTotals(page, 1, 1, 1);
    await expect(page.getByRole("heading", { name: "议事发言（3）" })).toBeVisible();
  }
  // It is not a top-level comment of its own.
  await expect(opponent.locator("ol.comments:not(.comments--replies) > li").filter({ hasText: reply })).toHaveCount(1); // only its parent
  await expectNotReloaded(supporter);
  await expectNotReloaded(opponent);
});

test("three members' reports hide a comment live, and the convener restores it", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const author = await personPage(browser, baseURL!, "neighbour19");
  const path = await raiseProposal(
    author,
    `楼道里堆满旧家具 ${unique()}`,
    "三号楼楼道里堆满了旧家具和纸箱，消防通道被占，希望物业组织清理。",
    "堆物堆料",
  );
  const text = `这事儿不用商量，谁堆的谁搬走 ${unique()}`;
  const speaker = await personPage(browser, baseURL!, "neighbour20");
  await speaker.goto(path);
  await speak(speaker, "支持", text);
  const id = await commentWith(speaker, text).getAttribute("id");
  expect(id).toMatch(/^comment-\d+$/);

  // Another member keeps the page open.
  const observer = await personPage(browser, baseURL!, "neighbour24");
  await watch(observer, path);
  const watched = observer.locator(`#${id}`);
  await expect(watched).toContainText(text);
  await expectTotals(observer, 1, 0, 0);

  // Nobody reports their own comment.
  await expect(speaker.locator(`#${id}`).getByRole("button", { name: "举报" })).toHaveCount(0);

  for (const [i, username] of ["neighbour21", "neighbour22", "neighbour23"].entries()) {
    const reporter = await personPage(browser, baseURL!, username);
    await reporter.goto(path);
    await hydrated(reporter);
    const comment = reporter.locator(`#${id}`);
    await comment.getByRole("button", { name: "举报" }).click();
    await comment.getByLabel("举报原因").selectOption({ label: "跑题" });
    await comment.getByRole("button", { name: "提交举报" }).click();
    await expect(comment.getByRole("button", { name: "提交举报" })).toHaveCount(0);
    if (i < 2) {
      await expect(comment).toContainText(text);
      await expect(watched.getByTestId("hidden-stub")).toHaveCount(0);
    } else {
      await expect(comment.getByTestId("hidden-stub")).toContainText("被多位成员举报");
    }
    await reporter.context().close();
  }

  // The third report hides it on the observer's open page.
  await expect(watched.getByTestId("hidden-stub")).toContainText("被多位成员举报");
  await expect(watched).not.toContainText(text);
  await expectTotals(observer, 0, 0, 0);

  // The convener reviews it and restores it, with a reason.
  const convener = await personPage(browser, baseURL!, "lijuan");
  await convener.goto(path);
  await hydrated(convener);
  const reviewed = convener.locator(`#${id}`);
  await expect(reviewed.getByTestId("hidden-stub")).toContainText("被多位成员举报");
  await reviewed.getByRole("button", { name: "恢复显示" }).click();
  const restoreForm = reviewed.locator("form", { has: convener.getByLabel("原因（会公开显示）") });
  await restoreForm.getByLabel("原因（会公开显示）").fill("发言与议题有关，不属于跑题");
  await restoreForm.getByRole("button", { name: "恢复显示" }).click();
  await expect(reviewed.getByTestId("hidden-stub")).toHaveCount(0);
  await expect(reviewed).toContainText(text);

  await expect(watched.getByTestId("hidden-stub")).toHaveCount(0);
  await expect(watched).toContainText(text);
  await expectTotals(observer, 1, 0, 0);
  await expectNotReloaded(observer);
});

test("the convener's minutes appear at the top of the proposal on a resident's open page", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const author = await personPage(browser, baseURL!, "neighbour25");
  const path = await raiseProposal(
    author,
    `晚上广场舞音响太吵 ${unique()}`,
    "每晚七点到九点胡同东口的广场舞音响开得很大，楼上老人和学生休息不好。",
    "噪音扰民",
  );

  const resident = await personPage(browser, baseURL!, "neighbour26");
  await watch(resident, path);
  await expect(resident.getByRole("heading", { name: /议事纪要/ })).toHaveCount(0);
  // Residents do not get the convener's tools.
  await expect(resident.getByText("写议事纪要")).toHaveCount(0);

  const convener = await personPage(browser, baseURL!, "lijuan");
  await convener.goto(path);
  await convener.getByText("写议事纪要").click();
  const agreed = `音响音量调小，九点前结束 ${unique()}`;
  await convener.getByLabel("达成的共识", { exact: true }).fill(agreed);
  await convener.getByLabel("还未解决的问题", { exact: true }).fill("是否换到街心公园跳，还要和公园管理处商量。");
  await convener.getByLabel("下一步", { exact: true }).fill("社区下周约舞蹈队负责人面谈。");
  await convener.getByRole("button", { name: "保存纪要" }).click();
  await expect(convener.getByRole("heading", { name: /议事纪要/ })).toBeVisible();

  const minutes = resident.locator("section", { has: resident.getByRole("heading", { name: /议事纪要/ }) });
  await expect(minutes.getByRole("heading", { level: 2 })).toHaveText("议事纪要 第 1 版");
  await expect(minutes).toContainText(agreed);
  await expect(minutes.getByRole("heading", { name: "还未解决的问题" })).toBeVisible();
  await expect(minutes).toContainText("是否换到街心公园跳，还要和公园管理处商量。");
  await expect(minutes.getByRole("heading", { name: "下一步" })).toBeVisible();
  await expect(minutes).toContainText("社区下周约舞蹈队负责人面谈。");
  // At the top: above the proposal's own text and the debate.
  const minutesTop = (await minutes.boundingBox())!.y;
  const bodyTop = (await resident.getByText("每晚七点到九点胡同东口").boundingBox())!.y;
  expect(minutesTop).toBeLessThan(bodyTop);
  // The history records it.
  await expect(resident.getByText(/更新了议事纪要 · 李娟/)).toBeVisible();
  await expectNotReloaded(resident);
});

test("search finds Chinese text", async ({ page }) => {
  await page.goto("/search?q=停车");
  await expect(page.getByTestId("search-proposals").getByRole("link", { name: "史家胡同口夜间乱停车，消防通道被堵" })).toBeVisible();

  // The same through the search box.
  await page.goto("/search");
  await page.getByLabel("搜索议题、发言和吹哨").fill("电梯");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await expect(page).toHaveURL(/q=%E7%94%B5%E6%A2%AF/);
  await expect(page.getByRole("link", { name: "老楼加装电梯，请大家一起商量" }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "史家胡同口夜间乱停车，消防通道被堵" })).toHaveCount(0);
});

test("submitting the same comment twice quickly creates one comment", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const author = await personPage(browser, baseURL!, "neighbour27");
  const path = await raiseProposal(
    author,
    `胡同里的路灯晚上不亮 ${unique()}`,
    "史家胡同中段三盏路灯坏了一个多星期，晚上回家黑漆漆的，老人容易摔倒。",
    "背街小巷整治",
  );
  await watch(author, path);

  const member = await personPage(browser, baseURL!, "neighbour28");
  await member.goto(path);
  const form = speakForm(member);

  // A double click on 发表.
  const first = `赶紧修，晚上太黑了 ${unique()}`;
  await form.getByRole("radio", { name: "支持" }).check();
  await form.getByLabel("发言内容").fill(first);
  await form.getByRole("button", { name: "发表" }).dblclick();
  await expect(commentWith(member, first)).toHaveCount(1);
  await expect(commentWith(author, first)).toHaveCount(1);
  // The live event may show the comment before the post has finished; the form is cleared when it has.
  await expect(form.getByLabel("发言内容")).toHaveValue("");
  await expect(form.getByRole("button", { name: "发表" })).toBeEnabled();

  // Two submits of the same form in the same instant (both requests reach the server).
  const second = `顺便把胡同口的监控也修一修 ${unique()}`;
  await form.getByRole("radio", { name: "中立" }).check();
  await form.getByLabel("发言内容").fill(second);
  await form.evaluate((f: HTMLFormElement) => {
    f.requestSubmit();
    f.requestSubmit();
  });
  await expect(commentWith(member, second)).toHaveCount(1);
  await expect(commentWith(author, second)).toHaveCount(1);

  // What is stored, not only what the pages show.
  await member.reload();
  await expect(member.getByRole("heading", { name: "议事发言（2）" })).toBeVisible();
  await expect(commentWith(member, first)).toHaveCount(1);
  await expect(commentWith(member, second)).toHaveCount(1);
  await expect(author.getByRole("heading", { name: "议事发言（2）" })).toBeVisible();
  await expectTotals(author, 1, 0, 1);
});
