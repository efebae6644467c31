import { expect, test, type Page } from "@playwright/test";
import { advanceServerClockPast, closingTime, hydrated, openHall, personPage, raiseProposal, serverTime, unique, watch } from "./fixtures";

/**
 * A hall meeting (议事会), as issue 17 asks: five members sign in with the
 * code on the wall until the quorum is met, raise hands with stances, the
 * queue alternates for and against, a speaker's countdown runs out (the
 * server's clock moved past it: this spec is in CLOCK_SPECS), an amendment
 * and then the main motion are voted from the phones (the chair's count
 * adds hands and paper, never beyond the people signed in; the result shows
 * each channel), and the published minutes reach the proposal.
 */
async function signIn(page: Page, path: string, code: string) {
  await page.goto(path);
  await hydrated(page);
  await page.getByLabel("签到码").fill(code);
  await page.getByRole("button", { name: "签到", exact: true }).click();
  await expect(page.getByText("您已签到。")).toBeVisible();
}

/** Every phone votes on the motion being voted; the chair sees the phones' count. */
async function voteFromPhones(chair: Page, votes: [Page, "赞成" | "反对" | "弃权"][], tally: string) {
  for (const [page, choice] of votes) {
    await page.locator("[data-status=voting] .mtg-ballot").getByRole("button", { name: choice, exact: true }).click();
    await expect(page.getByText(`您投了：${choice}`)).toBeVisible();
  }
  await expect(chair.getByTestId("phone-tally")).toContainText(tally);
}

/** The chair records the result: the hands counted and the paper ballots beside the phones' (empty fields are none). */
async function recordResult(chair: Page, paper: { for?: number } = {}) {
  await chair.getByLabel("纸质票赞成").fill(paper.for === undefined ? "" : String(paper.for));
  await chair.getByRole("button", { name: "记录结果" }).click();
}

test("a meeting: five sign in to quorum, the queue alternates, a countdown runs out, an amendment then the motion voted from phones, minutes on the proposal", async ({
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(90_000);
  const base = baseURL!;
  const tag = unique();
  const title = `楼道里加装声控灯 ${tag}`;
  const motion = `同意在 5 号楼每层加装声控灯 ${tag}`;
  const amendment = `改为只在一至三层加装 ${tag}`;

  // A member raises the item; 李娟 (lijuan), a convener, schedules the meeting ten minutes from now on the server's clock.
  const [author, chair, ...members] = await Promise.all(
    ["zhangguifang", "lijuan", "neighbour31", "neighbour32", "neighbour33", "neighbour34", "neighbour35"].map((u) => personPage(browser, base, u)),
  );
  const [a, b, c, d, e] = members as [Page, Page, Page, Page, Page];
  const proposalPath = await raiseProposal(author!, title, "5 号楼楼道晚上一片漆黑，老人上下楼容易摔倒，建议每层加装声控灯。");
  const proposalId = Number(proposalPath.split("/").pop());
  const hallId = await openHall(chair!);
  await chair!.goto(`/meetings/new?hall=${hallId}`);
  await hydrated(chair!);
  await chair!.getByLabel("会议名称").fill(`声控灯议事会 ${tag}`);
  await chair!.getByLabel("开始时间").fill((await closingTime(request, base, 10 * 60_000)).value);
  await chair!.getByLabel("地点").fill("社区活动室");
  await chair!.getByLabel("法定人数").fill("5");
  // A line the form cannot read is refused beside the field.
  await chair!.getByLabel("议程", { exact: true }).fill("声控灯");
  await chair!.getByRole("button", { name: "安排并通知" }).click();
  await expect(chair!.getByText("这一行看不懂")).toBeVisible();
  await chair!.getByLabel("议程", { exact: true }).fill(`${proposalId} 20`);
  await chair!.getByRole("button", { name: "安排并通知" }).click();
  await expect(chair!).toHaveURL(/\/meetings\/\d+$/);
  const path = new URL(chair!.url()).pathname;
  await expect(chair!.getByTestId("procedure")).toContainText("每次发言不超过 2 分钟");
  const code = (await chair!.getByTestId("sign-in-code").textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);

  // The wall, opened by the chair.
  const screen = await chair!.context().newPage();
  await watch(screen, `${path}/screen`);
  await expect(screen.getByTestId("quorum")).toContainText("已签到 0");

  // Five members sign in with the code; the quorum is met with the fifth.
  for (const page of [a, b, c, d]) await signIn(page, path, code);
  await expect(screen.getByTestId("quorum")).toContainText("还差 1 人");
  await signIn(e, path, code);
  await expect(screen.getByTestId("quorum")).toContainText("已达到法定人数");

  await chair!.goto(path);
  await chair!.getByRole("button", { name: "宣布开会" }).click();
  await expect(chair!.getByText("当前议题")).toBeVisible();

  // Hands, in this order: for, for, against, for, against. The rules alternate: for, against, for, against, for.
  for (const [page, stance] of [
    [a, "我赞成"],
    [b, "我赞成"],
    [c, "我反对"],
    [d, "我赞成"],
    [e, "我反对"],
  ] as const) {
    await page.goto(path);
    await hydrated(page);
    await page.getByRole("button", { name: stance }).click();
    await expect(page.getByTestId("my-place")).toBeVisible();
  }
  const queue = screen.getByTestId("queue").locator("li");
  await expect(queue).toHaveCount(5);
  for (const [i, stance] of ["for", "against", "for", "against", "for"].entries()) await expect(queue.nth(i)).toHaveAttribute("data-stance", stance);
  await expect(c.getByTestId("my-place")).toContainText("第 2 位");

  // The chair calls the first speaker: the countdown runs on the wall, from the server's clock.
  await chair!.getByRole("button", { name: "请下一位发言" }).click();
  await expect(a.getByText("轮到您发言了。")).toBeVisible();
  const timer = screen.getByRole("timer");
  await expect(timer).toContainText(/^[12]:\d\d/);
  const first = Number(await timer.getAttribute("data-remaining"));
  expect(first).toBeGreaterThan(100);
  // Two minutes pass on the server's clock: the wall (measuring the clock again as it opens) shows the time is up.
  await advanceServerClockPast(request, base, new Date((await serverTime(request, base)) + first * 1000), 2_000);
  await screen.reload();
  await expect(screen.getByRole("timer")).toContainText("时间到");
  await expect(screen.getByRole("timer")).toHaveClass(/mtg-clock--over/);
  expect(Number(await screen.getByRole("timer").getAttribute("data-remaining"))).toBeLessThanOrEqual(0);
  // Time up ends nothing by itself: the chair calls the next, who speaks against.
  await chair!.getByRole("button", { name: "请下一位发言" }).click();
  await expect(c.getByText("轮到您发言了。")).toBeVisible();
  await expect(screen.getByTestId("queue").locator("li")).toHaveCount(3);

  // The main motion, moved and seconded; an amendment to it, moved and seconded.
  await a.getByText("提出动议").click();
  await a.getByLabel("动议内容").fill(motion);
  await a.getByRole("button", { name: "提出", exact: true }).click();
  await expect(b.locator(".mtg-motion__text", { hasText: motion })).toBeVisible();
  await b.locator(".mtg-motion", { hasText: motion }).getByRole("button", { name: "附议" }).click();
  await expect(c.locator(".mtg-motion", { hasText: motion })).toHaveAttribute("data-status", "seconded");
  await c.getByText("提出动议").click();
  await c.getByLabel("动议内容").fill(amendment);
  await c.getByLabel("修正哪一项动议").selectOption({ index: 1 });
  await c.getByRole("button", { name: "提出", exact: true }).click();
  const amendmentRow = (p: Page) => p.locator(".mtg-motion", { hasText: amendment });
  await expect(amendmentRow(d)).toContainText("修正案");
  await amendmentRow(d).getByRole("button", { name: "附议" }).click();
  await expect(amendmentRow(chair!)).toHaveAttribute("data-status", "seconded");

  // The motion cannot go before its amendment.
  await chair!.locator(".mtg-motion", { hasText: motion }).getByRole("button", { name: "付诸表决" }).click();
  await expect(chair!.getByText("先表决这项动议的修正案。")).toBeVisible();
  await amendmentRow(chair!).getByRole("button", { name: "付诸表决" }).click();
  await expect(screen.getByText("正在表决：请举手")).toBeVisible();
  await voteFromPhones(
    chair!,
    [
      [a, "反对"],
      [b, "反对"],
      [c, "赞成"],
      [d, "赞成"],
      [e, "反对"],
    ],
    "赞成 2 · 反对 3 · 弃权 0",
  );
  await recordResult(chair!);
  await expect(amendmentRow(e)).toHaveAttribute("data-status", "failed");

  // Then the main motion, from the phones; one changes her mind.
  await chair!.locator(".mtg-motion", { hasText: motion }).getByRole("button", { name: "付诸表决" }).click();
  await voteFromPhones(
    chair!,
    [
      [a, "赞成"],
      [b, "反对"],
      [b, "赞成"],
      [c, "反对"],
      [d, "赞成"],
      [e, "赞成"],
    ],
    "赞成 4 · 反对 1 · 弃权 0",
  );
  // Everyone present voted by phone: one paper ballot more would be more votes than people signed in.
  await recordResult(chair!, { for: 1 });
  await expect(chair!.getByText("票数合计超过了签到人数（5 人）。")).toBeVisible();
  await recordResult(chair!);
  const decided = e.locator(".mtg-motion", { hasText: motion });
  await expect(decided).toHaveAttribute("data-status", "passed");
  await expect(decided).toContainText("赞成 4 · 反对 1 · 弃权 0");
  await expect(decided).toContainText("其中：手机赞成 4、反对 1、弃权 0，现场举手赞成 0、反对 0、弃权 0，纸质票赞成 0、反对 0、弃权 0");

  // The chair closes the meeting; the minutes are drafted from the record, then published.
  await chair!.getByRole("button", { name: "宣布散会" }).click();
  await expect(chair!).toHaveURL(/\/minutes$/);
  const body = chair!.getByLabel("纪要正文");
  await expect(body).toHaveValue(/实到 5 人/);
  await expect(body).toHaveValue(new RegExp(`${amendment}——未通过，赞成 2、反对 3、弃权 0`));
  await expect(body).toHaveValue(new RegExp(`${motion}——通过，赞成 4、反对 1、弃权 0；其中手机赞成 4、反对 1、弃权 0，现场举手赞成 0`));
  await chair!.getByRole("button", { name: "公开纪要" }).click();
  await expect(chair!.getByTestId("minutes")).toContainText("达到法定人数");

  // The proposal carries the outcome in its own minutes.
  await author!.goto(proposalPath);
  await expect(author!.getByText(motion).first()).toBeVisible();
});
