import { expect, test, type Route } from "@playwright/test";
import { personPage, postAction, raiseProposal, unique, watch } from "./fixtures";

/**
 * Live pages never go back in time (issue 19 §2, ADR 0046). A reload that
 * read the database before some news, but arrives after the page heard it
 * live, must not take the news back: here a comment hidden by the convener,
 * and a second, heard live while the page's own reload (after its follow) is
 * held in the network with the older data.
 */
test("a reload that raced a hide and a second does not undo them", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const author = await personPage(browser, baseURL!, "neighbour34");
  const path = await raiseProposal(author, `小区垃圾桶太少 ${unique()}`, "五号楼门口只有一个垃圾桶，每天傍晚就满了，希望多放两个。");
  const text = `垃圾桶旁边还常有人乱扔大件 ${unique()}`;
  const said = await postAction(author.context(), baseURL!, path, { intent: "comment", stance: "support", body: text, clientKey: `e2e-${unique()}` });
  expect(said).toMatchObject({ ok: true });

  const observer = await personPage(browser, baseURL!, "neighbour35");
  await watch(observer, path);
  const found = observer.getByTestId("comment").filter({ hasText: text });
  await expect(found).toBeVisible();
  const id = (await found.getAttribute("id"))!.replace("comment-", "");
  const comment = observer.locator(`#comment-${id}`); // found by id: hidden, its text is gone
  const seconds = observer.getByTestId("seconds");
  const secondsBefore = await seconds.innerText();

  // The observer follows the proposal; the reload after it reads the database now, but is held on its way back.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  await observer.route(/\/proposals\/\d+\.data/, async (route: Route) => {
    if (route.request().method() !== "GET" || held) return route.fallback();
    held = true;
    const response = await route.fetch(); // the older data, read before the news below
    await released;
    await route.fulfill({ response });
  });
  await observer.getByRole("button", { name: "关注", exact: true }).click();
  await expect.poll(() => held).toBe(true);

  // Meanwhile the convener hides the comment and a neighbour seconds: the observer hears both live.
  const convener = await personPage(browser, baseURL!, "lijuan");
  expect(await postAction(convener.context(), baseURL!, path, { intent: "hide", commentId: id, reason: "与议题无关的广告" })).toMatchObject({ ok: true });
  const seconder = await personPage(browser, baseURL!, "neighbour36");
  expect(await postAction(seconder.context(), baseURL!, path, { intent: "second" })).toMatchObject({ ok: true });
  await expect(comment.getByTestId("hidden-stub")).toBeVisible();
  await expect(seconds).not.toHaveText(secondsBefore);
  const secondsHeard = await seconds.innerText();

  // The held reload arrives, older than what the page heard: the follow shows, the hide and the second stay.
  release();
  await expect(observer.getByRole("button", { name: "取消关注" })).toBeVisible();
  await expect(comment.getByTestId("hidden-stub")).toBeVisible();
  await expect(comment).not.toContainText(text);
  await expect(seconds).toHaveText(secondsHeard);
  // And a fresh look agrees.
  await observer.unroute(/\/proposals\/\d+\.data/);
  await observer.reload();
  await expect(observer.locator(`#comment-${id}`).getByTestId("hidden-stub")).toBeVisible();
  await expect(observer.getByTestId("seconds")).toHaveText(secondsHeard);
});
