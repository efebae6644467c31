import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { contactPoints, projectQuestions, projects, users } from "#db/schema";
import { rateProject, reportMilestone } from "~/modules/projects/contract.server";
import { OCDS_VERSION, ocidOf } from "~/modules/projects/ocds.server";
import * as listRoute from "~/routes/ocds.releases[.]json";
import * as projectRoute from "~/routes/ocds.projects.$id[.]json";
import { ocdsValidator } from "../support/ocds";
import { actorOf, buildContractWorld, NOW, projectIn, runToCompletion, type ContractWorld } from "../support/contract-world";

/**
 * The open data (issue 16 §6, ADR 0043): the release packages validate
 * against the vendored OCDS 1.1 schema with a real JSON Schema validator (ajv,
 * draft-04 as the standard is written), carry no personal data, and page.
 */

const validator = ocdsValidator;

const get = async (route: typeof listRoute | typeof projectRoute, url: string, params: Record<string, string> = {}) => {
  const response = await route.loader({ request: new Request(url), params, context: {} as never });
  return { status: response.status, text: await response.text(), type: response.headers.get("content-type") };
};

/** A world with a project at each stage, the people given names, phones and emails to look for. */
async function openDataWorld() {
  const w = await buildContractWorld();
  // Every person gets a name, phone and email nobody could mistake for anything else in the data.
  const everyone = await db().select({ id: users.id }).from(users);
  for (const u of everyone) {
    await db()
      .update(users)
      .set({ displayName: `王秘密${u.id}号`, phone: `1391234${String(u.id).padStart(4, "0")}`, username: `secret_login_${u.id}` })
      .where(eq(users.id, u.id));
    await db()
      .insert(contactPoints)
      .values({ userId: u.id, channel: "email", address: `hidden${u.id}@mail.example` });
  }
  const open = await projectIn(w, { status: "open", title: "开放中的项目" });
  const evaluating = await projectIn(w, { status: "evaluating", title: "评审中的项目", rivalDisqualified: "attachmentType" });
  const awarded = await projectIn(w, { status: "awarded", title: "公示中的项目" });
  const active = await projectIn(w, { title: "履约中的项目" });
  const completed = await projectIn(w, { title: "已完成的项目" });
  const planning = await projectIn(w, { status: "planning", title: "未发布的项目" });
  await db()
    .insert(projectQuestions)
    .values({
      projectId: open.id,
      organizationId: w.org.id,
      askedBy: w.people.orgAdmin.id,
      question: "王秘密的提问：可以联合投标吗？",
      answer: "不可以。",
    });
  const [m1] = rowsOf<{ id: number }>(
    await db().execute(sql`select id from project_milestones where project_id = ${active.id} order by ordinal limit 1`),
  );
  await reportMilestone(await actorOf(w.people.orgAdmin.id), active.id, { milestoneId: m1!.id, text: "完成入户调查", attendance: 12 }, NOW);
  await runToCompletion(w, completed.id);
  await rateProject(await actorOf(w.people.resident.id), completed.id, { stars: 5, comment: "很好" }, NOW);
  const people = await db().select().from(users);
  const emails = await db().select({ address: contactPoints.address }).from(contactPoints);
  return { w, open, evaluating, awarded, active, completed, planning, people, emails };
}

/** postgres.js answers rows as an array, PGlite as { rows }. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

function expectNoPersonalData(text: string, world: Awaited<ReturnType<typeof openDataWorld>>) {
  const leaks: string[] = [];
  for (const u of world.people) {
    for (const value of [u.displayName, u.phone, u.username]) if (value && text.includes(value)) leaks.push(value);
  }
  for (const e of world.emails) if (text.includes(e.address)) leaks.push(e.address);
  // The question's text names its asker; questions are not in the data at all.
  if (text.includes("王秘密")) leaks.push("王秘密");
  expect(leaks).toEqual([]);
}

describe("OCDS open data (issue 16 §6)", () => {
  it("the list validates against the release package schema, carries every stage and no personal data", async () => {
    const world = await openDataWorld();
    const validate = validator();
    const res = await get(listRoute, "http://localhost/ocds/releases.json");
    expect(res.status).toBe(200);
    expect(res.type).toContain("application/json");
    const pkg = JSON.parse(res.text) as {
      version: string;
      releases: {
        ocid: string;
        tag: string[];
        tender: Record<string, unknown>;
        awards?: Record<string, unknown>[];
        contracts?: Record<string, unknown>[];
        parties: { id: string; roles: string[] }[];
      }[];
      links?: unknown;
    };
    expect(validate(pkg)).toEqual([]);
    expect(pkg.version).toBe(OCDS_VERSION);
    expect(pkg.links).toBeUndefined();
    // Newest first; the unpublished call is not there.
    const { open, evaluating, awarded, active, completed, planning } = world;
    expect(pkg.releases.map((r) => r.ocid)).toEqual([completed, active, awarded, evaluating, open].map((p) => ocidOf(p.id)));
    expect(pkg.releases.map((r) => r.ocid)).not.toContain(ocidOf(planning.id));
    const byId = new Map(pkg.releases.map((r) => [r.ocid, r]));

    // Before the opening nobody's bid is public; after it, the tenderers are.
    const o = byId.get(ocidOf(open.id))!;
    expect(o.tag).toEqual(["tender"]);
    expect(o.tender).toMatchObject({
      status: "active",
      value: { amount: 100_000, currency: "CNY" },
      hasEnquiries: true,
      awardCriteriaDetails: "价格 30%；服务方案 50%；本地服务 20%",
    });
    expect(o.tender.tenderers).toBeUndefined();
    expect(o.parties.map((p) => p.roles)).toEqual([["buyer"]]);
    expect(byId.get(ocidOf(evaluating.id))!.tender).toMatchObject({
      numberOfTenderers: 2,
      tenderers: [{ id: `org-${world.w.org.id}` }, { id: `org-${world.w.rival.id}` }],
    });

    // The award during its notice period is pending; final, it is active with a contract.
    const a = byId.get(ocidOf(awarded.id))!;
    expect(a.tag).toEqual(["tender", "award"]);
    expect(a.awards![0]).toMatchObject({
      status: "pending",
      value: { amount: 80_000, currency: "CNY" },
      description: "综合得分最高，服务方案详实。",
      suppliers: [{ id: `org-${world.w.org.id}`, name: "阳光社工" }],
    });
    expect(a.parties.find((p) => p.id === `org-${world.w.org.id}`)!.roles).toEqual(["tenderer", "supplier"]);

    const act = byId.get(ocidOf(active.id))!;
    expect(act.tag).toEqual(["tender", "award", "contract", "implementation"]);
    expect(act.contracts![0]).toMatchObject({ status: "active", implementation: { transactions: [] } });

    // The completed contract: every milestone met, every payment a transaction from the buyer to the supplier.
    const c = byId.get(ocidOf(completed.id))!;
    const contract = c.contracts![0] as {
      status: string;
      implementation: {
        milestones: { status: string }[];
        transactions: { value: { amount: number }; payer: { id: string }; payee: { id: string } }[];
      };
    };
    expect(contract.status).toBe("terminated");
    expect(contract.implementation.milestones.map((m) => m.status)).toEqual(["met", "met", "met"]);
    expect(contract.implementation.transactions.map((t) => t.value.amount)).toEqual([24_000, 32_000, 24_000]);
    expect(contract.implementation.transactions[0]).toMatchObject({
      payer: { id: `unit-${world.w.c.id}` },
      payee: { id: `org-${world.w.org.id}` },
    });

    expectNoPersonalData(res.text, world);
  });

  it("one project's package validates, and a call not published is a 404", async () => {
    const world = await openDataWorld();
    const validate = validator();
    for (const p of [world.open, world.evaluating, world.awarded, world.active, world.completed]) {
      const res = await get(projectRoute, `http://localhost/ocds/projects/${p.id}.json`, { id: String(p.id) });
      expect(res.status).toBe(200);
      const pkg = JSON.parse(res.text) as { releases: { ocid: string }[] };
      expect(validate(pkg)).toEqual([]);
      expect(pkg.releases.map((r) => r.ocid)).toEqual([ocidOf(p.id)]);
      expectNoPersonalData(res.text, world);
    }
    expect(
      (await get(projectRoute, `http://localhost/ocds/projects/${world.planning.id}.json`, { id: String(world.planning.id) })).status,
    ).toBe(404);
    expect((await get(projectRoute, "http://localhost/ocds/projects/x.json", { id: "x" })).status).toBe(404);
  });

  it("the schema check can fail: a release without its ocid, or a milestone status off the code list, is refused", () => {
    const validate = validator();
    const release = {
      ocid: "ocds-x-1",
      id: "1",
      date: "2026-06-01T00:00:00Z",
      tag: ["tender"],
      initiationType: "tender",
      contracts: [{ id: "c", awardID: "a", implementation: { milestones: [{ id: "m", status: "done" }] } }],
    };
    const pkg = {
      uri: "http://localhost/x",
      version: "1.1",
      publishedDate: "2026-06-01T00:00:00Z",
      publisher: { name: "x" },
      releases: [release],
    };
    expect(validate(pkg).join()).toContain("should be equal to one of the allowed values");
    const { ocid: _ocid, ...noOcid } = { ...release, contracts: [] };
    expect(validate({ ...pkg, releases: [noOcid] }).join()).toContain("ocid");
  });

  it("pages: newest first, links.next until the end, a page past the end is a 404, a bad page a 400", async () => {
    const w: ContractWorld = await buildContractWorld();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await projectIn(w, { status: "open", title: `项目${i}` }));
    const validate = validator();
    const ids: string[] = [];
    let url: string | undefined = "http://localhost/ocds/releases.json?limit=2";
    let pages = 0;
    while (url) {
      const res = await get(listRoute, url);
      expect(res.status).toBe(200);
      const pkg = JSON.parse(res.text) as { releases: { ocid: string }[]; links?: { next?: string } };
      expect(validate(pkg)).toEqual([]);
      ids.push(...pkg.releases.map((r) => r.ocid));
      url = pkg.links?.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(ids).toEqual(made.map((p) => ocidOf(p.id)).reverse());
    expect((await get(listRoute, "http://localhost/ocds/releases.json?page=4&limit=2")).status).toBe(404);
    expect((await get(listRoute, "http://localhost/ocds/releases.json?page=0")).status).toBe(400);
    expect((await get(listRoute, "http://localhost/ocds/releases.json?limit=20000")).status).toBe(400);
    // A change moves the release's id (and date): consumers see that it changed.
    const before = JSON.parse(
      (await get(projectRoute, `http://localhost/ocds/projects/${made[0]!.id}.json`, { id: String(made[0]!.id) })).text,
    ) as { releases: { id: string }[] };
    await db()
      .update(projects)
      .set({ updatedAt: new Date(NOW.getTime() + 60_000) })
      .where(eq(projects.id, made[0]!.id));
    const after = JSON.parse(
      (await get(projectRoute, `http://localhost/ocds/projects/${made[0]!.id}.json`, { id: String(made[0]!.id) })).text,
    ) as { releases: { id: string }[] };
    expect(after.releases[0]!.id).not.toBe(before.releases[0]!.id);
  });
});
