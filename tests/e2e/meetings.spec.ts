import { expect, test, type Page } from "@playwright/test";
import { closingTime, hydrated, openHall, personPage, raiseProposal, unique, watch } from "./fixtures";

/**
 * A hall meeting (议事会) from the convener's form to the published minutes:
 * three members sign in with the code on the wall, raise hands with
 * stances, the queue alternates for and against, the floor's countdown shows
 * on the projector view, a motion is moved, seconded and voted from the phones,
 * and the minutes reach the proposal.
 */
async function signIn(page: Page, path: string, code: string) {
  await page.goto(path);
  await hydrated(page);
  await page.getByLabel("签到码").fill(code);
  await page.getByRole("button", { name: "签到", exact: true }).click();
  await expect(page.getByText("您已签到。")).toBeVisible();
}

test("a meeting: sign-in by code, alternating queue, countdown on the wall, a motion voted from phones, minutes published", async ({ browser, baseURL, request }) => {
  test.setTimeout(120_000);
  const tag = unique();
  const title = `楼道里加装声控灯 ${tag}`;
  const motion = `同意在 5 号楼每层加装声控灯 ${tag}`;

  // A convener raises the item; 李娟 (lijuan) schedules the meeting ten minutes from now on the server's clock.
  const author = await personPage(browser, baseURL!, "zhangguifang");
  const proposalPath = await raiseProposal(author, title, "5 号楼楼道晚上一片漆黑，老人上下楼容易摔倒，建议每层加装声控灯。");
  const proposalId = Number(proposalPath.split("/").pop());
  const chair = await personPage(browser, baseURL!, "lijuan");
  const hallId = await openHall(chair);
  await chair.goto(`/meetings/new?hall=${hallId}`);
  await hydrated(chair);
  await chair.getByLabel("会议名称").fill(`声控灯议事会 ${tag}`);
  await chair.getByLabel("开始时间").fill((await closingTime(request, baseURL!, 10 * 60_000)).value);
  await chair.getByLabel("地点").fill("社区活动室");
  await chair.getByLabel("法定人数").fill("3");
  // A line the form cannot read is refused beside the field.
  await chair.getByLabel("议程", { exact: true }).fill("声控灯");
  await chair.getByRole("button", { name: "安排并通知" }).click();
  await expect(chair.getByText("这一行看不懂")).toBeVisible();
  await chair.getByLabel("议程", { exact: true }).fill(`${proposalId} 20`);
  await chair.getByRole("button", { name: "安排并通知" }).click();
  await expect(chair).toHaveURL(/\/meetings\/\d+$/);
  const path = new URL(chair.url()).pathname;
  await expect(chair.getByTestId("procedure")).toContainText("每次发言不超过 2 分钟");
  const code = (await chair.getByTestId("sign-in-code").textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);

  // The wall, opened by the chair.
  const screen = await chair.context().newPage();
  await watch(screen, `${path}/screen`);
  await expect(screen.getByTestId("quorum")).toContainText("已签到 0");

  // Three members sign in with the code; the quorum meter on the wall follows.
  const [a, b, c] = await Promise.all(["neighbour31", "neighbour32", "neighbour33"].map((u) => personPage(browser, baseURL!, u)));
  for (const page of [a!, b!, c!]) await signIn(page, path, code);
  await expect(screen.getByTestId("quorum")).toContainText("已达到法定人数");

  await chair.goto(path);
  await chair.getByRole("button", { name: "宣布开会" }).click();
  await expect(chair.getByText("当前议题")).toBeVisible();

  // Hands: for, for, against. The rules alternate: for, against, for.
  for (const [page, stance] of [[a!, "我赞成"], [b!, "我赞成"], [c!, "我反对"]] as const) {
    await page.goto(path);
    await hydrated(page);
    await page.getByRole("button", { name: stance }).click();
    await expect(page.getByTestId("my-place")).toBeVisible();
  }
  const queue = screen.getByTestId("queue").locator("li");
  await expect(queue).toHaveCount(3);
  await expect(queue.nth(0)).toHaveAttribute("data-stance", "for");
  await expect(queue.nth(1)).toHaveAttribute("data-stance", "against");
  await expect(queue.nth(2)).toHaveAttribute("data-stance", "for");

  // The chair calls the first speaker: the countdown runs on the wall, from the server's clock.
  await chair.getByRole("button", { name: "请下一位发言" }).click();
  await expect(a!.getByText("轮到您发言了。")).toBeVisible();
  const timer = screen.getByRole("timer");
  await expect(timer).toContainText(/^[12]:\d\d/);
  const first = Number(await timer.getAttribute("data-remaining"));
  expect(first).toBeGreaterThan(100);
  await expect.poll(async () => Number(await timer.getAttribute("data-remaining"))).toBeLessThan(first);
  await chair.getByRole("button", { name: "延时一次" }).click();
  await expect(screen.getByText("已延时")).toBeVisible();

  // A motion: moved by the first member, seconded by the second, put to the vote, hands counted by the chair.
  await a!.getByText("提出动议").click();
  await a!.getByLabel("动议内容").fill(motion);
  await a!.getByRole("button", { name: "提出", exact: true }).click();
  await expect(b!.locator(".mtg-motion__text", { hasText: motion })).toBeVisible();
  await b!.getByRole("button", { name: "附议" }).click();
  await expect(chair.getByRole("button", { name: "付诸表决" })).toBeVisible();
  await chair.getByRole("button", { name: "付诸表决" }).click();
  await expect(screen.getByText("正在表决：请举手")).toBeVisible();
  // The members vote from their phones; one changes her mind; the chair sees the phones' count.
  for (const [page, choice] of [[a!, "反对"], [a!, "赞成"], [b!, "赞成"], [c!, "反对"]] as const) {
    await page.locator(".mtg-ballot").getByRole("button", { name: choice, exact: true }).click();
    await expect(page.getByText(`您投了：${choice}`)).toBeVisible();
  }
  await expect(chair.getByTestId("phone-tally")).toContainText("赞成 2 · 反对 1 · 弃权 0");
  // More hands than people present is refused beside the field.
  await chair.getByLabel("赞成", { exact: true }).fill("3");
  await chair.getByLabel("反对", { exact: true }).fill("1");
  await chair.getByLabel("弃权", { exact: true }).fill("0");
  await chair.getByRole("button", { name: "记录结果" }).click();
  await expect(chair.getByText("票数合计超过了签到人数（3 人）。")).toBeVisible();
  await chair.getByLabel("赞成", { exact: true }).fill("2");
  await chair.getByRole("button", { name: "记录结果" }).click();
  await expect(c!.locator("[data-status=passed]")).toContainText("赞成 2 · 反对 1 · 弃权 0");

  // The chair closes the meeting; the minutes are drafted from the record, then published.
  await chair.getByRole("button", { name: "宣布散会" }).click();
  await expect(chair).toHaveURL(/\/minutes$/);
  const body = chair.getByLabel("纪要正文");
  await expect(body).toHaveValue(/实到 3 人/);
  await expect(body).toHaveValue(new RegExp(`${motion}——通过，赞成 2、反对 1、弃权 0`));
  await chair.getByRole("button", { name: "公开纪要" }).click();
  await expect(chair.getByTestId("minutes")).toContainText("达到法定人数");

  // Everyone reads them, and the proposal carries the outcome in its own minutes.
  await a!.goto(`${path}/minutes`);
  await expect(a!.getByTestId("minutes")).toContainText(motion);
  await author.goto(proposalPath);
  await expect(author.getByText(motion).first()).toBeVisible();
});
