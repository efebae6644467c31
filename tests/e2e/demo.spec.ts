import { expect, test } from "@playwright/test";

/**
 * What the demo district shows a newcomer (issue 14, item 8), read without
 * changing anything: every kind of vote on the 史家 hall's page, a community's
 * dashboard with a history, a courtyard with its residents. The seed's data is
 * checked in tests/integration/demo-seed.test.ts; this is what the pages say.
 */

test("the 史家 hall lists its votes of every kind, running first", async ({ page }) => {
  await page.goto("/halls/1");
  const votes = page.getByTestId("hall-votes");
  await expect(votes.getByRole("heading", { name: "本厅的表决" })).toBeVisible();
  for (const kind of ["成员实名投票", "无记名投票", "按户投票"]) await expect(votes.getByText(kind, { exact: true }).first()).toBeVisible();
  await expect(votes.getByText("投票中", { exact: true }).first()).toBeVisible();
  await expect(votes.getByText("表决通过", { exact: true }).first()).toBeVisible();
  // Running votes come before results.
  const states = await votes.locator("li .pill:first-child").allTextContents();
  expect(states.indexOf("已结束")).toBeGreaterThan(states.lastIndexOf("投票中"));
  await votes.getByRole("link", { name: "是否同意在史家胡同增设三处休息座椅？" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("是否同意在史家胡同增设三处休息座椅？");
});

test("a community's dashboard shows the whistles it raised over six months; a courtyard shows its residents", async ({ page }) => {
  const response = await page.goto("/dashboards/units/4");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("史家社区");
  await expect(page.getByTestId("raised-scope")).toContainText("史家社区吹的哨");
  await expect(page.getByTestId("ranking")).toHaveCount(0);
  await page.goto("/units/4");
  const courtyard = page.getByRole("link", { name: /史家胡同 24 号院/ });
  await expect(courtyard).toContainText(/[1-9]\d* 位居民/);
});
