import type { Page } from "@playwright/test";
import { expect, personPage, test } from "./fixtures";

/**
 * The roll of residents (居民名册) and paper ballots for residents without an
 * account, against the demo seed: 史家社区's open households' vote was frozen
 * from the roll, elderly residents included.
 */
const QUESTION = "夜间停车引导员";

/** The seeded households' vote, found by its question (the seed has several votes). */
async function openHouseholdVote(page: Page): Promise<string> {
  for (let id = 1; id <= 10; id++) {
    await page.goto(`/votes/${id}`);
    if ((await page.getByRole("heading", { level: 1 }).textContent())?.includes(QUESTION)) return `/votes/${id}`;
  }
  throw new Error("the seeded households' vote was not found");
}
test("staff keep the roll and record a paper ballot for a household without accounts; its member online is refused", async ({ browser, baseURL }) => {
  const worker = await personPage(browser, baseURL!, "lijuan");
  await worker.goto("/desk");
  await worker.getByRole("link", { name: "居民名册" }).click();
  await expect(worker.getByRole("heading", { level: 1, name: "居民名册" })).toBeVisible();

  // Add a household and an elderly resident without an account; the history says who did it.
  const address = `史家胡同${60 + Math.floor(Math.random() * 900)}号`;
  await worker.getByLabel("地址（门牌号）").fill(address);
  await worker.getByRole("button", { name: "新增一户" }).click();
  await expect(worker.getByRole("heading", { level: 1, name: address })).toBeVisible();
  const add = worker.locator("section", { has: worker.getByRole("heading", { name: "新增家庭成员" }) });
  await add.getByLabel("姓名").fill("钱淑兰");
  await add.getByLabel("出生年份（可不填）").fill("19");
  await add.getByRole("button", { name: "新增家庭成员" }).click();
  await expect(add.getByText("请填写四位数的出生年份。")).toBeVisible();
  await expect(add.getByLabel("姓名")).toHaveValue("钱淑兰");
  await add.getByLabel("出生年份（可不填）").fill("1937");
  await add.getByRole("button", { name: "新增家庭成员" }).click();
  await expect(worker.locator(".roll-person").first()).toContainText("钱淑兰");
  await expect(worker.locator(".roll-person").first()).toContainText("无账号");
  await expect(worker.locator(".roll-history")).toContainText("新增成员 · 钱淑兰");

  // A paper ballot for 孙凤英 (no account), of 王秀兰's household, chosen from the roll.
  const votePath = await openHouseholdVote(worker);
  // The seed recorded one paper ballot (a retry may find more).
  const paper = Number(/纸质 (\d+)/.exec((await worker.getByTestId("turnout-channels").textContent()) ?? "")?.[1]);
  expect(paper).toBeGreaterThanOrEqual(1);
  await worker.getByLabel("输入姓名、地址或电话").fill("孙凤英");
  await worker.getByRole("button", { name: "查找" }).click();
  await worker.getByLabel(/孙凤英/).check();
  await worker.getByLabel("会议").fill("12月5日入户征求意见");
  await worker.locator("section", { has: worker.getByRole("heading", { name: "登记纸质或现场选票" }) }).getByLabel("赞成").check();
  await worker.getByRole("button", { name: "登记选票" }).click();
  await expect(worker.getByText("纸质选票已登记。")).toBeVisible();
  await expect(worker.getByTestId("turnout-channels")).toContainText(`纸质 ${paper + 1}`);

  // 王秀兰 (an account, same household) cannot vote online as well, and is told why.
  const wang = await personPage(browser, baseURL!, "wangxiulan");
  await wang.goto(votePath);
  await expect(wang.getByText(/您家（孙凤英）已于 .+ 在“12月5日入户征求意见”投了纸质选票（每户一票）。/)).toBeVisible();
  await expect(wang.getByRole("button", { name: "投出选票" })).toHaveCount(0);
});
