import { expect, test } from "@playwright/test";
import { hydrated, personPage, unique, visitorPage } from "./fixtures";

/**
 * A need's page is live (issue 15): a visitor keeps it open while a member
 * claims it elsewhere and the worker confirms, and sees each step without
 * reloading (socket.io room need:<id>; the page reloads its own data).
 */
test("a visitor watching a need sees a member's claim and the worker's confirmation arrive live", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const title = `帮独居老人搬运冬储大白菜 ${unique()}`;

  const worker = await personPage(browser, baseURL!, "lijuan");
  await worker.goto("/needs/new");
  await hydrated(worker);
  await worker.getByLabel("社区", { exact: true }).selectOption({ label: "史家社区" });
  await worker.getByLabel("类别", { exact: true }).selectOption({ label: "服务群众" });
  await worker.getByLabel("需求名称").fill(title);
  await worker.getByLabel("时间", { exact: true }).fill("本周六上午");
  await worker.getByRole("radio", { name: "人数" }).check();
  await worker.getByLabel("需要多少").fill("2");
  await worker.getByRole("button", { name: "发布" }).click();
  await expect(worker).toHaveURL(/\/needs\/\d+$/);
  const url = new URL(worker.url()).pathname;

  const watcher = await visitorPage(browser, baseURL!);
  await watcher.goto(url);
  await hydrated(watcher);
  await expect(watcher.getByTestId("claim")).toHaveCount(0);

  const member = await personPage(browser, baseURL!, "chenjianguo");
  await member.goto(url);
  await hydrated(member);
  await member.getByRole("radio", { name: "我自己" }).check();
  await member.getByRole("button", { name: "认领", exact: true }).click();
  await expect(member.getByText("已认领，谢谢您！")).toBeVisible();

  // Without a reload: the claim appears on the watcher's page.
  await expect(watcher.getByTestId("claim")).toHaveCount(1);
  await expect(watcher.getByTestId("claim")).toContainText("陈建国");

  await member.getByRole("button", { name: "我已完成" }).click();
  // The member's "done" is stored (and heard live) before the worker opens the page: otherwise the worker's page
  // could load before it and offer nothing to confirm.
  await expect(watcher.getByTestId("claim").locator(".pill")).toContainText("待社区确认");
  await worker.goto(url);
  await hydrated(worker);
  await worker.getByRole("button", { name: "确认完成" }).click();
  await expect(watcher.getByTestId("claim").locator(".pill")).toContainText("已完成");
});
