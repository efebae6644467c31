import { expect, personPage, register, test } from "./fixtures";

test("a newcomer claims residency and sees it verified live by the community worker", async ({ page, browser, baseURL }) => {
  const name = `新邻居${Math.floor(Math.random() * 10000)}`;
  await register(page, name);
  await page.goto("/me");
  // A missing address is refused next to the field, in Chinese.
  await page.getByLabel("所在社区").first().selectOption({ label: "史家社区" });
  await page.getByRole("button", { name: "提交认证申请" }).click();
  await expect(page.getByText("请填写此项。").first()).toBeVisible();
  await page.getByLabel("详细住址").fill("史家胡同 31 号院 2 门");
  await page.getByRole("button", { name: "提交认证申请" }).click();
  await expect(page.getByTestId("residency-status")).toContainText("等待社区审核");
  await expect(page.locator("html")).toHaveAttribute("data-live", "connected");

  const worker = await personPage(browser, baseURL!, "lijuan");
  await worker.goto("/desk");
  const card = worker.locator("li", { hasText: name });
  await expect(card).toContainText("史家胡同31号院2门");
  await card.getByRole("button", { name: "认证通过" }).click();
  await expect(worker.locator("li", { hasText: name })).toHaveCount(0);

  // The newcomer's open page changes by itself.
  await expect(page.getByTestId("residency-status")).toContainText("已认证");
  await expect(page.getByTestId("toast")).toContainText("居住认证已通过");
});

test("an in-service Party member reports and the community confirms", async ({ page: member, browser, baseURL }) => {
  // A newcomer of their own (not the demo's 刘洋, whose report would stay confirmed for every later scenario).
  const name = `在职党员${Math.floor(Math.random() * 100000)}`;
  await register(member, name);
  await member.goto("/me");
  const party = member.locator("section", { has: member.getByRole("heading", { name: "在职党员双报到" }) });
  await party.getByLabel("所在社区").selectOption({ label: "史家社区" });
  await party.getByLabel("工作单位").fill("北京市第二中学");
  await party.getByLabel("所在党组织").fill("北京二中党委");
  await party.getByText("在我的页面上亮明党员身份").click();
  await party.getByRole("button", { name: "向社区报到" }).click();
  await expect(member.getByTestId("party-status")).toContainText("等待社区确认");

  const secretary = await personPage(browser, baseURL!, "zhangguifang");
  await secretary.goto("/desk");
  const card = secretary.locator("li", { hasText: name }).filter({ hasText: "北京二中党委" });
  await card.getByRole("button", { name: "确认报到" }).click();
  await expect(card).toHaveCount(0);

  await expect(member.getByTestId("party-status")).toContainText("已报到");
  await expect(member.locator(".party-badge")).toBeVisible();
});

test("a civil-society organisation registers and the subdistrict verifies it", async ({ page, browser, baseURL }) => {
  await register(page, "社工小周");
  const orgName = `邻里守望服务社${Math.floor(Math.random() * 10000)}`;
  await page.goto("/orgs/new");
  await page.getByLabel(/社会组织/).check();
  await page.getByLabel("组织名称").fill(orgName);
  await page.getByLabel("报到（所在）社区或街道").selectOption({ label: "朝阳门街道" });
  await page.getByLabel("统一社会信用代码").fill("abc");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page.getByText("统一社会信用代码是 18 位数字或大写字母。")).toBeVisible();
  await page.getByLabel("统一社会信用代码").fill("52110101MJ0777777X");
  await page.getByLabel("服务范围").fill("独居老人探访");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page.getByRole("heading", { name: orgName })).toBeVisible();
  await expect(page.getByText("等待确认")).toBeVisible();

  // A community worker may not verify a civil-society organisation: it is the subdistrict's.
  const worker = await personPage(browser, baseURL!, "lijuan");
  await worker.goto("/desk");
  await expect(worker.getByText(orgName)).toHaveCount(0);

  const officer = await personPage(browser, baseURL!, "sunlei");
  await officer.goto("/desk");
  await officer.locator("li", { hasText: orgName }).getByRole("button", { name: "核验通过" }).click();
  await expect(officer.getByText(orgName)).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId("org-verified")).toContainText("已核验");
});

test("visitors see the public directory and every alley's chief", async ({ page }) => {
  await page.goto("/units");
  await expect(page.getByRole("heading", { name: "北京市" })).toBeVisible();
  await page.getByRole("link", { name: /东城区/ }).first().click();
  await page.getByRole("link", { name: /朝阳门街道/ }).click();
  await expect(page.getByRole("heading", { name: "1+5+N 联合执法" })).toBeVisible();
  await expect(page.getByText("朝阳门街道综合执法队")).toBeVisible();
  await page.getByRole("link", { name: "全部街巷" }).click();
  const shijia = page.locator("li", { has: page.getByRole("heading", { name: "史家胡同" }) });
  await expect(shijia).toContainText("杨帆");
  await expect(shijia.getByRole("link", { name: /010/ })).toBeVisible();
  // Addresses and phone numbers of residents are never on public pages.
  await expect(page.locator("body")).not.toContainText("24号院3门");
});

test("a community worker cannot open the district's administration pages", async ({ browser, baseURL }) => {
  const worker = await personPage(browser, baseURL!, "lijuan");
  const response = await worker.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(worker.getByRole("heading", { name: "您没有权限进行此操作。" })).toBeVisible();
});
