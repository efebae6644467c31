import type { Page } from "@playwright/test";
import { expect, personPage, test } from "./fixtures";

/**
 * Everyday use (issue 14): a draft can be finished later — listed for its
 * author in the hall and in 我的, edited, published or deleted — and nobody
 * else ever sees it.
 */

const HALL = "史家胡同老街坊议事厅";
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

async function saveDraft(page: Page, title: string): Promise<string> {
  await page.goto("/halls");
  await page.getByRole("link", { name: new RegExp(HALL) }).click();
  await page.getByRole("link", { name: "提出议题" }).click();
  await page.getByLabel("标题", { exact: true }).fill(title);
  await page.getByLabel("具体情况", { exact: true }).fill("楼道里停满了自行车，老人上下楼很不方便，想商量个办法。");
  await page.getByLabel("类别", { exact: true }).selectOption({ label: "乱停车" });
  await page.getByRole("button", { name: "先存为草稿" }).click();
  await expect(page).toHaveURL(/\/proposals\/\d+$/);
  return new URL(page.url()).pathname;
}

test("a draft is listed for its author, edited, published; another is deleted; nobody else sees them", async ({ browser, baseURL }) => {
  const author = await personPage(browser, baseURL!, "neighbour14");
  const title = `草稿${unique()}`;
  const path = await saveDraft(author, title);

  // The draft page offers what a draft needs, not the debate of a closed proposal.
  const panel = author.getByTestId("draft-panel");
  await expect(panel.getByText("这是你的草稿，只有你自己能看到。")).toBeVisible();
  await expect(author.getByText("议事已经结束。")).toHaveCount(0);
  await expect(author.getByRole("button", { name: "撤回议题" })).toHaveCount(0);

  // Someone else gets a plain 404.
  const other = await personPage(browser, baseURL!, "neighbour15");
  const seen = await other.goto(path);
  expect(seen?.status()).toBe(404);

  // Listed in the hall and in 我的 for the author only.
  await author.goto("/halls");
  await author.getByRole("link", { name: new RegExp(HALL) }).click();
  await expect(author.getByTestId("my-drafts").getByRole("link", { name: title })).toBeVisible();
  await author.goto("/me");
  await expect(author.getByTestId("my-drafts").getByRole("link", { name: title })).toBeVisible();
  await other.goto("/halls");
  await other.getByRole("link", { name: new RegExp(HALL) }).click();
  await expect(other.getByText(title)).toHaveCount(0);

  // Edit: a too-short title is refused beside the field, what was typed stays.
  await author.getByTestId("my-drafts").getByRole("link", { name: title }).click();
  await author.getByRole("link", { name: "修改草稿" }).click();
  await author.getByLabel("标题", { exact: true }).fill("短");
  await author.getByRole("button", { name: "保存草稿" }).click();
  await expect(author.getByText("标题至少", { exact: false })).toBeVisible();
  const edited = `${title}改`;
  await author.getByLabel("标题", { exact: true }).fill(edited);
  await author.getByRole("button", { name: "保存草稿" }).click();
  await expect(author).toHaveURL(new RegExp(`${path}$`));
  await expect(author.getByRole("heading", { level: 1, name: edited })).toBeVisible();

  // Publish: seconding starts, the neighbour can now see and second it.
  await author.getByRole("button", { name: "发布，开始征集附议" }).click();
  await expect(author.locator(".proposal-head [data-state]")).toHaveText(/征集附议/);
  await expect(author.getByTestId("draft-panel")).toHaveCount(0);
  await other.goto(path);
  await expect(other.getByRole("button", { name: "附议" })).toBeVisible();

  // A second draft is deleted after confirming.
  const doomed = `要删的草稿${unique()}`;
  await saveDraft(author, doomed);
  author.once("dialog", (d) => void d.accept());
  await author.getByRole("button", { name: "删除草稿" }).click();
  await expect(author.getByText("草稿已删除。")).toBeVisible();
  await expect(author.getByRole("heading", { level: 1, name: HALL })).toBeVisible();
  await expect(author.getByText(doomed)).toHaveCount(0);
});
