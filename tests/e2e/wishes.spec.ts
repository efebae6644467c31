import { expect, test } from "@playwright/test";
import { hydrated, personPage, unique, visitorPage } from "./fixtures";

/**
 * Micro-wishes (微心愿) through their pages: a community worker posts one
 * with the person's consent, the public sees only "surname + honorific", a
 * Party member claims and fulfils it, the worker confirms.
 */
test("a micro-wish from consent to confirmation, the person never on a public page", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const tag = unique();
  const person = { fullName: "欧阳桂珍", address: `史家胡同 99 号院 ${tag}`, phone: "13700009999", consentBy: "外孙 欧阳乐" };
  const text = `想请人帮忙把旧收音机修好 ${tag}`;

  const worker = await personPage(browser, baseURL!, "lijuan");
  await worker.goto("/wishes/new");
  await hydrated(worker);
  await worker.getByLabel("所在社区").selectOption({ label: "史家社区" });
  await worker.getByLabel("类别").selectOption({ label: "服务群众" });
  await worker.getByLabel("心愿内容").fill(text);
  await worker.getByLabel("姓名").fill(person.fullName);
  await worker.getByLabel("姓（可不填）").fill("欧阳");
  await worker.getByRole("radio", { name: "奶奶" }).check();
  await worker.getByLabel("住址").fill(person.address);
  await worker.getByLabel("电话（可不填）").fill(person.phone);
  await worker.getByLabel("谁表示同意").fill(person.consentBy);
  // Without the consent box: refused beside it.
  await worker.getByRole("button", { name: "发布" }).click();
  await expect(worker.getByText("必须先征得本人或其监护人的同意。")).toBeVisible();
  await worker.getByLabel("本人（或其监护人）已同意发布这个心愿").check();
  await worker.getByRole("button", { name: "发布" }).click();
  await expect(worker).toHaveURL(/\/wishes\/\d+$/);
  const url = new URL(worker.url()).pathname;
  await expect(worker.getByTestId("wish-person")).toContainText(person.fullName);
  await expect(worker.getByTestId("wish-person")).toContainText(person.consentBy);

  // The public: "欧阳奶奶", and none of the person's details anywhere in the page or its data.
  const visitor = await visitorPage(browser, baseURL!);
  for (const path of [url, "/wishes"]) {
    await visitor.goto(path);
    await expect(visitor.getByText("欧阳奶奶").first()).toBeVisible();
    const html = await visitor.content();
    for (const secret of [person.fullName, person.address, person.phone, person.consentBy, "桂珍"]) expect(html, `${path} shows ${secret}`).not.toContain(secret);
  }

  // A second visitor keeps the wish's page open: what happens next shows there live (socket.io room wish:<id>).
  const watcher = await visitorPage(browser, baseURL!);
  await watcher.goto(url);
  await hydrated(watcher);
  await expect(watcher.getByTestId("wish-claimer")).toHaveCount(0);

  // 陈建国 claims it as himself (he also runs the State Grid committee, so he chooses), then fulfils it.
  const member = await personPage(browser, baseURL!, "chenjianguo");
  await member.goto(url);
  await hydrated(member);
  await member.getByRole("radio", { name: "我本人（在职党员）" }).check();
  await member.getByRole("button", { name: "认领", exact: true }).click();
  await expect(member.getByTestId("wish-claimer")).toHaveText("陈建国");
  await expect(watcher.getByTestId("wish-claimer")).toHaveText("陈建国"); // without a reload
  const html = await member.content();
  expect(html).not.toContain(person.address);
  await member.getByLabel("做了什么").fill("送去修理铺换了电池和喇叭，已送回家中");
  await member.getByRole("button", { name: "标记为已实现" }).click();
  await expect(member.locator(".pill", { hasText: "待确认" })).toBeVisible();

  // The worker was told, and confirms.
  await worker.goto("/notifications");
  await expect(worker.getByText(`微心愿“${text}”已标记为实现，请向本人确认。`)).toBeVisible();
  await worker.goto(url);
  await hydrated(worker);
  await worker.getByRole("button", { name: "确认已实现" }).click();
  await expect(worker.locator(".pill", { hasText: "已实现" })).toBeVisible();
  await expect(watcher.locator(".pill", { hasText: "已实现" })).toBeVisible(); // live too
  // The watcher's page reloaded its own (public) data each time: still none of the person's details.
  const watched = await watcher.content();
  for (const secret of [person.fullName, person.address, person.phone, person.consentBy]) expect(watched).not.toContain(secret);
  await visitor.goto("/wishes");
  await expect(visitor.getByTestId("wishes-done")).toContainText(text);
});
