import { chromium } from "@playwright/test";
const base = "http://localhost:3408";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
async function ctx(user, width, large) {
  const c = await browser.newContext({ baseURL: base, viewport: { width, height: 900 }, locale: "zh-CN" });
  if (large) await c.addCookies([{ name: "gz_text", value: "large", url: base }]);
  if (user) {
    const r = await c.request.post("/login", { form: { identifier: user, password: "gongzhi2026", redirectTo: "/" }, headers: { Origin: base }, maxRedirects: 0 });
    if (r.status() !== 302) throw new Error("login " + user);
  }
  return c;
}
const shots = JSON.parse(process.argv[2]);
for (const s of shots) {
  const c = await ctx(s.user, s.width, s.large);
  const p = await c.newPage();
  if (s.large) { await p.goto("/"); const btn = p.getByRole("button", { name: "切换为大字显示" }); if (await btn.count()) await btn.first().click(); }
  await p.goto(s.path);
  await p.waitForTimeout(500);
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await p.screenshot({ path: `/tmp/everyday/${s.name}.png`, fullPage: s.full ?? false });
  console.log(s.name, p.url(), "overflow", overflow);
  await c.close();
}
await browser.close();
