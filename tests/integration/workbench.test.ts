import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { assignments, residencyClaims, whistles } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { getWorkbench } from "~/modules/workbench/queries.server";
import { INBOX_PAGE_SIZE } from "~/modules/whistles/queries.server";
import * as home from "~/routes/_index";
import * as inbox from "~/routes/inbox";
import * as workbench from "~/routes/workbench";
import { createUser } from "../support/factories";
import { buildWhistleWorld, contextFor, directWhistle, type WhistleWorld } from "../support/whistle-world";

const now = new Date("2026-04-01T02:00:00Z");

/** A request waiting for the subdistrict's whistle, raised at `at`. */
async function requested(w: WhistleWorld, title: string, at: Date, subdistrictId = w.s.id) {
  const [row] = await db()
    .insert(whistles)
    .values({ subdistrictId, source: "proposal", kind: "resident_request", title, description: "等待派单", categoryCode: "parking", state: "requested", createdBy: w.author.id, createdAt: at })
    .returning();
  return row!;
}

const section = async (userId: number, key: string) => (await getWorkbench(db(), await loadActor(db(), userId), now)).find((s) => s.key === key);

describe("the staff workbench", () => {
  it("a subdistrict officer sees requests waiting for a whistle, oldest first, counted, and not another subdistrict's", async () => {
    const w = await buildWhistleWorld();
    await requested(w, "较新的请求", new Date("2026-03-30T00:00:00Z"));
    await requested(w, "最早的请求", new Date("2026-03-20T00:00:00Z"));
    await requested(w, "别的街道的请求", new Date("2026-03-10T00:00:00Z"), w.sb.id);
    const s = await section(w.people.subdistrictOfficer.id, "dispatches");
    expect(s?.count).toBe(2);
    expect(s?.items.map((i) => i.title)).toEqual(["最早的请求", "较新的请求"]);
    const sections = (await getWorkbench(db(), await loadActor(db(), w.people.subdistrictOfficer.id), now)).map((x) => x.key);
    expect(sections).toEqual(["dispatches", "verifications", "overdue", "extensions"]);
  });

  it("a department officer sees the assignments due, and the late ones also under overdue, as does the subdistrict", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w, "enforcement", new Date("2026-03-25T02:00:00Z"));
    const mine = await section(w.teamOfficer.id, "assignments");
    expect(mine?.count).toBe(1);
    expect(mine?.items[0]).toMatchObject({ title: whistle.title, link: `/whistles/${whistle.id}` });
    expect((await section(w.teamOfficer.id, "overdue"))?.count).toBe(0);
    await db().update(assignments).set({ overdueSince: new Date("2026-03-28T02:00:00Z") }).where(eq(assignments.whistleId, whistle.id));
    expect((await section(w.teamOfficer.id, "overdue"))?.count).toBe(1);
    expect((await section(w.people.subdistrictOfficer.id, "overdue"))?.items.map((i) => i.title)).toEqual([whistle.title]);
    expect(await section(w.policeOfficer.id, "overdue")).toMatchObject({ count: 0 });
  });

  it("counts every assignment waiting, beyond the inbox's first page, and lists the oldest few", async () => {
    const w = await buildWhistleWorld();
    for (let i = 0; i < INBOX_PAGE_SIZE + 5; i++) await directWhistle(w, "enforcement", new Date(Date.UTC(2026, 2, 1, 0, i)));
    const mine = await section(w.teamOfficer.id, "assignments");
    expect(mine?.count).toBe(INBOX_PAGE_SIZE + 5);
    expect(mine?.items.length).toBeLessThan(INBOX_PAGE_SIZE);
  }, 60_000);

  it("a community worker sees residents waiting for verification; a resident has no workbench", async () => {
    const w = await buildWhistleWorld();
    const newcomer = await createUser({ username: "newcomer_wb", displayName: "新来的街坊" });
    await db().insert(residencyClaims).values({ userId: newcomer.id, communityId: w.c.id, address: "史家胡同9号", status: "pending" });
    const s = await section(w.people.communityWorker.id, "verifications");
    expect(s?.items.map((i) => i.title)).toContain("新来的街坊");
    expect(await getWorkbench(db(), await loadActor(db(), w.author.id), now)).toEqual([]);
  });

  it("home and /inbox lead a subdistrict officer to the workbench instead of the brochure or a 403; residents keep the home page", async () => {
    const w = await buildWhistleWorld();
    const args = (user: typeof w.author, url: string) => ({ context: contextFor(user), request: new Request(`http://localhost${url}`), params: {} });
    const redirected = async (run: () => Promise<unknown>) => {
      try {
        await run();
        return null;
      } catch (thrown) {
        return thrown instanceof Response ? `${thrown.status} ${thrown.headers.get("Location") ?? ""}` : String(thrown);
      }
    };
    expect(await redirected(() => inbox.loader(args(w.people.subdistrictOfficer, "/inbox")))).toBe("302 /workbench");
    expect(await redirected(() => home.loader(args(w.people.subdistrictOfficer, "/")))).toBe("302 /workbench");
    expect(await redirected(() => home.loader(args(w.people.subdistrictOfficer, "/?public=1")))).toBeNull();
    expect(await redirected(() => home.loader(args(w.author, "/")))).toBeNull();
    expect(await redirected(() => inbox.loader(args(w.author, "/inbox")))).toBe("403 ");
    expect(await redirected(() => workbench.loader(args(w.author, "/workbench")))).toBe("302 /me");
    const page = (await workbench.loader(args(w.people.subdistrictOfficer, "/workbench"))) as { sections: { key: string }[] };
    expect(page.sections.map((s) => s.key)).toContain("dispatches");
  });
});
