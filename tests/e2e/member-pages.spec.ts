import type { Page } from "@playwright/test";
import { expect, hydrated, loadUntilCached, personPage, raiseProposal, test, unique, visitorPage } from "./fixtures";

/*
 * Members' copies of the busiest pages (ADR 0044): the proposal page a member
 * reads is served from memory until its room has news, the member's own room
 * has news, or the member acts. These check it on the real site: nobody is
 * ever served another person's copy, and a member's own action shows at once.
 */

const chip = (page: Page) => page.locator(".user-chip__name");

test("a member's cached proposal page is theirs alone, and their own action shows on the next look", async ({ browser, baseURL }) => {
  const wang = await personPage(browser, baseURL!, "wangxiulan");
  const path = await raiseProposal(wang, `楼道灯坏了 ${unique()}`, "三单元二楼的灯坏了一周，晚上上下楼看不清台阶。");
  // Her new proposal: she follows it already. She stops following, so that following it again is her action to see.
  const follow = wang.getByRole("button", { name: "关注", exact: true });
  const unfollow = wang.getByRole("button", { name: "取消关注", exact: true });
  await hydrated(wang);
  if (await unfollow.isVisible()) {
    await unfollow.click();
    await expect(follow).toBeVisible();
  }

  // Three people read the same page twice: each second look comes from memory, and each is their own page.
  const yang = await personPage(browser, baseURL!, "yangfan");
  const visitor = await visitorPage(browser, baseURL!);
  await loadUntilCached(wang, path);
  await loadUntilCached(yang, path);
  await loadUntilCached(visitor, path);
  await expect(chip(wang)).toHaveText("王秀兰");
  await expect(chip(yang)).toHaveText("杨帆");
  await expect(chip(visitor)).toHaveCount(0);
  await expect(follow).toBeVisible();

  // Her own action (no news in the proposal's room: following is private), then a plain reload on another device.
  await hydrated(wang);
  await follow.click();
  await expect(unfollow).toBeVisible();
  const laptop = await personPage(browser, baseURL!, "wangxiulan");
  const first = await laptop.goto(path);
  expect(first?.headers()["x-page-cache"], "her first look after her action is rendered afresh").toBeUndefined();
  await expect(laptop.getByRole("button", { name: "取消关注", exact: true })).toBeVisible();
  await wang.reload();
  await expect(unfollow).toBeVisible();

  // Nobody else's copy changed: 杨帆 does not follow it, and sees his own page.
  await loadUntilCached(yang, path);
  await expect(chip(yang)).toHaveText("杨帆");
  await expect(yang.getByRole("button", { name: "关注", exact: true })).toBeVisible();

  for (const page of [wang, yang, visitor, laptop]) await page.context().close();
});
