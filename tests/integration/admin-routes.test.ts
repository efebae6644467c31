import type { AppLoadContext } from "@remix-run/node";
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditEvents, dutyAssignments, notifications, positions, rosterEntries, units, type users } from "#db/schema";
import * as layout from "~/routes/admin";
import * as structure from "~/routes/admin._index";
import * as audit from "~/routes/admin.audit";
import * as dutyList from "~/routes/admin.duty-list";
import * as positionsRoute from "~/routes/admin.positions";
import * as roster from "~/routes/admin.roster.$id";
import { createUser } from "../support/factories";
import { buildWorld, type World } from "../support/world";

type User = typeof users.$inferSelect;

/** What the server entry would resolve for this person (a fresh object: the actor is cached per context). */
function contextFor(user: User | null): AppLoadContext {
  return {
    user: user ? { id: user.id, displayName: user.displayName, locale: null, largeText: false } : null,
    sessionId: user ? "test-session" : null,
    locale: "zh-CN",
    largeText: false,
    secure: false,
    ip: "127.0.0.1",
  };
}

const get = (path: string) => new Request(`http://localhost${path}`);
const post = (path: string, fields: [string, string | number][]) =>
  new Request(`http://localhost${path}`, { method: "POST", body: new URLSearchParams(fields.map(([k, v]) => [k, String(v)])) });

/** The status of the Response a loader or action throws, or "ok" when it answers. */
async function statusOf(run: () => unknown): Promise<number | "ok"> {
  try {
    await run();
    return "ok";
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
}

const call = {
  layout: (user: User | null) => layout.loader({ request: get("/admin"), params: {}, context: contextFor(user) }),
  structure: (user: User | null) => structure.loader({ request: get("/admin"), params: {}, context: contextFor(user) }),
  structureAction: (user: User | null, fields: [string, string | number][]) =>
    structure.action({ request: post("/admin", fields), params: {}, context: contextFor(user) }),
  positions: (user: User | null) => positionsRoute.loader({ request: get("/admin/positions"), params: {}, context: contextFor(user) }),
  positionsAction: (user: User | null, fields: [string, string | number][]) =>
    positionsRoute.action({ request: post("/admin/positions", fields), params: {}, context: contextFor(user) }),
  dutyList: (user: User | null, query = "") =>
    dutyList.loader({ request: get(`/admin/duty-list${query}`), params: {}, context: contextFor(user) }),
  dutyListAction: (user: User | null, fields: [string, string | number][]) =>
    dutyList.action({ request: post("/admin/duty-list", fields), params: {}, context: contextFor(user) }),
  roster: (user: User | null, id: string) =>
    roster.loader({ request: get(`/admin/roster/${id}`), params: { id }, context: contextFor(user) }),
  rosterAction: (user: User | null, id: string, fields: [string, string | number][]) =>
    roster.action({ request: post(`/admin/roster/${id}`, fields), params: { id }, context: contextFor(user) }),
  audit: (user: User | null) => audit.loader({ request: get("/admin/audit"), params: {}, context: contextFor(user) }),
};

/** Every admin loader and action, with a well-formed request against district A. */
function everyEndpoint(w: World) {
  return {
    "layout loader": (u: User) => call.layout(u),
    "structure loader": (u: User) => call.structure(u),
    "structure action (unit)": (u: User) =>
      call.structureAction(u, [
        ["intent", "unit"],
        ["parentId", w.s.id],
        ["name", "新社区"],
      ]),
    "structure action (department)": (u: User) =>
      call.structureAction(u, [
        ["intent", "department"],
        ["districtId", w.districtA.id],
        ["name", "东城区消防救援支队"],
        ["kind", "fire"],
        ["level", "district"],
      ]),
    "structure action (alley)": (u: User) =>
      call.structureAction(u, [
        ["intent", "alley"],
        ["subdistrictId", w.s.id],
        ["name", "演乐胡同"],
      ]),
    "positions loader": (u: User) => call.positions(u),
    "positions action (assign)": (u: User) =>
      call.positionsAction(u, [
        ["intent", "assign"],
        ["account", "resident"],
        ["kind", "community_worker"],
        ["scope", `unit:${w.c.id}`],
      ]),
    "positions action (revoke)": async (u: User) => {
      const [held] = await db().select().from(positions).where(eq(positions.userId, w.people.communityWorker.id));
      return call.positionsAction(u, [
        ["intent", "revoke"],
        ["positionId", held!.id],
      ]);
    },
    "duty-list loader": (u: User) => call.dutyList(u),
    "duty-list action": (u: User) =>
      call.dutyListAction(u, [
        ["districtId", w.districtA.id],
        ["categoryCode", "parking"],
        ["lead", "traffic"],
      ]),
    "roster loader": (u: User) => call.roster(u, String(w.s.id)),
    "roster action": (u: User) =>
      call.rosterAction(u, String(w.s.id), [
        ["departmentId", w.team.id],
        ["role", "lead"],
        ["people", "王建国 010-8511 2001"],
      ]),
    "audit loader": (u: User) => call.audit(u),
  };
}

async function counts() {
  const [u, p, d, r, a] = await Promise.all([
    db().select().from(units),
    db().select().from(positions).where(isNull(positions.revokedAt)),
    db().select().from(dutyAssignments),
    db().select().from(rosterEntries),
    db().select().from(auditEvents),
  ]);
  return { units: u.length, positions: p.length, duty: d.length, roster: r.length, audit: a.length };
}

describe("admin pages refuse people who are not administrators", () => {
  it("answers 403 to a resident and a community worker on every loader and action, and writes nothing", async () => {
    const w = await buildWorld();
    const before = await counts();
    for (const person of [w.people.resident, w.people.communityWorker]) {
      for (const [name, run] of Object.entries(everyEndpoint(w))) {
        expect({ who: person.username, name, status: await statusOf(() => run(person)) }).toEqual({
          who: person.username,
          name,
          status: 403,
        });
      }
    }
    expect(await counts()).toEqual(before);
  });

  it("sends a visitor to log in and answers 404 for a roster that is not a subdistrict's", async () => {
    const w = await buildWorld();
    const visitorPage = await statusOf(() => call.structure(null));
    expect(visitorPage).toBe(302);
    const admin = w.people.districtAdmin;
    expect(await statusOf(() => call.roster(admin, "abc"))).toBe(404);
    expect(await statusOf(() => call.roster(admin, "0012"))).toBe(404);
    expect(await statusOf(() => call.roster(admin, "999999"))).toBe(404);
    expect(await statusOf(() => call.roster(admin, String(w.c.id)))).toBe(404);
  });

  it("lets a district administrator in, and shows only their own district", async () => {
    const w = await buildWorld();
    const admin = w.people.districtAdmin;
    expect(await statusOf(() => call.layout(admin))).toBe("ok");
    const tree = await call.structure(admin);
    const ids = tree.units.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([w.districtA.id, w.s.id, w.c.id, w.c2.id]));
    expect(ids).not.toContain(w.districtB.id);
    expect(ids).not.toContain(w.cb.id);
    expect(ids).not.toContain(w.city.id);
    expect(tree.departments.map((d) => d.id).sort()).toEqual([w.enforcement.id, w.team.id].sort());
    expect(tree.alleys).toMatchObject([{ id: w.alley.id, subdistrictId: w.s.id }]);
  });
});

describe("district administrator of A acting on district B", () => {
  it("gets 403 for B's units, departments, alleys, positions, duty list and roster, and nothing changes", async () => {
    const w = await buildWorld();
    const admin = w.people.districtAdmin;
    const before = await counts();
    const attempts: Record<string, () => unknown> = {
      "unit under B": () =>
        call.structureAction(admin, [
          ["intent", "unit"],
          ["parentId", w.sb.id],
          ["name", "新社区"],
        ]),
      "department of B": () =>
        call.structureAction(admin, [
          ["intent", "department"],
          ["districtId", w.districtB.id],
          ["name", "西城区消防"],
          ["kind", "fire"],
          ["level", "district"],
        ]),
      "alley of B": () =>
        call.structureAction(admin, [
          ["intent", "alley"],
          ["subdistrictId", w.sb.id],
          ["name", "西四北头条"],
        ]),
      "position in B": () =>
        call.positionsAction(admin, [
          ["intent", "assign"],
          ["account", "resident"],
          ["kind", "community_worker"],
          ["scope", `unit:${w.cb.id}`],
        ]),
      "duty list of B": () =>
        call.dutyListAction(admin, [
          ["districtId", w.districtB.id],
          ["categoryCode", "parking"],
          ["lead", "traffic"],
        ]),
      "duty list page of B": () => call.dutyList(admin, `?district=${w.districtB.id}`),
      "roster page of B": () => call.roster(admin, String(w.sb.id)),
      "roster entry in B": () =>
        call.rosterAction(admin, String(w.sb.id), [
          ["departmentId", w.team.id],
          ["role", "on_call"],
        ]),
    };
    for (const [name, run] of Object.entries(attempts)) expect({ name, status: await statusOf(run) }).toEqual({ name, status: 403 });
    expect(await counts()).toEqual(before);
  });

  it("does not see B's positions, nor events by B's staff", async () => {
    const w = await buildWorld();
    const workerB = await createUser({ username: "worker_cb" });
    const [held] = await db().insert(positions).values({ userId: workerB.id, kind: "community_worker", unitId: w.cb.id }).returning();
    await db()
      .insert(auditEvents)
      .values({ actorId: workerB.id, action: "residency:verify", subjectType: "residency_claim", subjectId: "1" });
    await db()
      .insert(auditEvents)
      .values({ actorId: w.people.communityWorker.id, action: "residency:verify", subjectType: "residency_claim", subjectId: "2" });
    const admin = w.people.districtAdmin;
    const listed = (await call.positions(admin)).positions.map((p) => p.id);
    expect(listed).not.toContain(held!.id);
    expect(listed.length).toBeGreaterThan(0);
    const events = (await call.audit(admin)).events;
    expect(events.map((e) => e.subjectId)).toEqual(["2"]);
    // Revoking B's position is refused by the command itself.
    expect(
      await statusOf(() =>
        call.positionsAction(admin, [
          ["intent", "revoke"],
          ["positionId", held!.id],
        ]),
      ),
    ).toBe(403);
  });
});

describe("district administrator manages positions", () => {
  it("assigns a position by username, lists it, then revokes it — both audited", async () => {
    const w = await buildWorld();
    const admin = w.people.districtAdmin;
    const newcomer = await createUser({ username: "xiaozhang", displayName: "小张" });

    const assigned = await call.positionsAction(admin, [
      ["intent", "assign"],
      ["account", "XiaoZhang"],
      ["kind", "community_worker"],
      ["scope", `unit:${w.c.id}`],
    ]);
    expect(assigned).toMatchObject({ form: "assign", ok: true });
    const [row] = await db()
      .select()
      .from(positions)
      .where(and(eq(positions.userId, newcomer.id), isNull(positions.revokedAt)));
    expect(row).toMatchObject({ kind: "community_worker", unitId: w.c.id, grantedBy: admin.id });
    expect(await db().select().from(auditEvents).where(eq(auditEvents.action, "position:assign"))).toMatchObject([
      { actorId: admin.id, subjectId: String(row!.id) },
    ]);
    expect(await db().select().from(notifications).where(eq(notifications.userId, newcomer.id))).toHaveLength(1);

    const page = await call.positions(admin);
    expect(page.positions.find((p) => p.id === row!.id)).toMatchObject({
      holderName: "小张",
      kind: "community_worker",
      unitName: "史家社区",
      canRevoke: true,
    });
    // Their own position is listed without a revoke button.
    expect(page.positions.find((p) => p.userId === admin.id)).toMatchObject({ kind: "district_admin", canRevoke: false });
    expect(page.kinds).not.toContain("platform_admin");

    const revoked = await call.positionsAction(admin, [
      ["intent", "revoke"],
      ["positionId", row!.id],
    ]);
    expect(revoked).toMatchObject({ form: `revoke-${row!.id}`, ok: true });
    const [after] = await db().select().from(positions).where(eq(positions.id, row!.id));
    expect(after!.revokedAt).not.toBeNull();
    expect(after!.revokedBy).toBe(admin.id);
    expect(await db().select().from(auditEvents).where(eq(auditEvents.action, "position:revoke"))).toMatchObject([
      { actorId: admin.id, subjectId: String(row!.id) },
    ]);
    expect((await call.positions(admin)).positions.map((p) => p.id)).not.toContain(row!.id);
    // The audit page shows both, newest first.
    const events = (await call.audit(admin)).events.map((e) => e.action);
    expect(events.slice(0, 2)).toEqual(["position:revoke", "position:assign"]);
  });

  it("shows a scope that does not fit the kind next to the scope field, and assigns nothing", async () => {
    const w = await buildWorld();
    const admin = w.people.districtAdmin;
    const before = await counts();
    const community = await call.positionsAction(admin, [
      ["intent", "assign"],
      ["account", "resident"],
      ["kind", "community_worker"],
      ["scope", `unit:${w.districtA.id}`],
    ]);
    expect(community).toMatchObject({ form: "assign", result: { status: "error", error: { scope: ["position.error.wrongScope"] } } });
    const station = await call.positionsAction(admin, [
      ["intent", "assign"],
      ["account", "resident"],
      ["kind", "station_officer"],
      ["scope", `department:${w.enforcement.id}`],
    ]);
    expect(station).toMatchObject({ result: { error: { scope: ["position.error.wrongScope"] } } });
    const missing = await call.positionsAction(admin, [
      ["intent", "assign"],
      ["account", "resident"],
      ["kind", "alley_chief"],
      ["scope", "alley:999999"],
    ]);
    expect(missing).toMatchObject({ result: { error: { scope: ["position.error.wrongScope"] } } });
    const garbled = await call.positionsAction(admin, [
      ["intent", "assign"],
      ["account", "resident"],
      ["kind", "alley_chief"],
      ["scope", "alley:x"],
    ]);
    expect(garbled).toMatchObject({ result: { error: { scope: ["admin.positions.scopeInvalid"] } } });
    const nobody = await call.positionsAction(admin, [
      ["intent", "assign"],
      ["account", "nobody_here"],
      ["kind", "community_worker"],
      ["scope", `unit:${w.c.id}`],
    ]);
    expect(nobody).toMatchObject({ result: { error: { account: ["position.error.noSuchAccount"] } } });
    // The typed values come back so the form keeps them.
    expect(nobody).toMatchObject({ result: { initialValue: { account: "nobody_here", kind: "community_worker" } } });
    // Only a platform administrator makes platform administrators.
    expect(
      await statusOf(() =>
        call.positionsAction(admin, [
          ["intent", "assign"],
          ["account", "resident"],
          ["kind", "platform_admin"],
          ["scope", `unit:${w.city.id}`],
        ]),
      ),
    ).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe("district administrator edits the duty list", () => {
  it("saves a category's lead and co-operating kinds, and the page shows them", async () => {
    const w = await buildWorld();
    const admin = w.people.districtAdmin;
    const saved = await call.dutyListAction(admin, [
      ["districtId", w.districtA.id],
      ["categoryCode", "parking"],
      ["lead", "traffic"],
      ["cooperate", "enforcement"],
      ["cooperate", "police"],
    ]);
    expect(saved).toMatchObject({ form: "duty-parking", ok: true });
    const rows = await db().select().from(dutyAssignments).where(eq(dutyAssignments.districtId, w.districtA.id));
    expect(rows.map((r) => `${r.role}:${r.departmentKind}`).sort()).toEqual(["cooperate:enforcement", "cooperate:police", "lead:traffic"]);
    expect(await db().select().from(auditEvents).where(eq(auditEvents.action, "duty:set"))).toHaveLength(1);

    const page = await call.dutyList(admin);
    expect(page.district).toMatchObject({ id: w.districtA.id });
    expect(page.districts.map((d) => d.id)).toEqual([w.districtA.id]);
    expect(page.categories).toMatchObject([
      { code: "parking", lead: ["traffic"], cooperate: expect.arrayContaining(["enforcement", "police"]) },
    ]);

    // Unticking everything empties the category.
    await call.dutyListAction(admin, [
      ["districtId", w.districtA.id],
      ["categoryCode", "parking"],
    ]);
    expect(await db().select().from(dutyAssignments)).toHaveLength(0);
  });

  it("refuses a kind that both leads and co-operates next to the co-operating field", async () => {
    const w = await buildWorld();
    const admin = w.people.districtAdmin;
    const answer = await call.dutyListAction(admin, [
      ["districtId", w.districtA.id],
      ["categoryCode", "parking"],
      ["lead", "traffic"],
      ["cooperate", "traffic"],
    ]);
    expect(answer).toMatchObject({ form: "duty-parking", result: { status: "error", error: { cooperate: ["duty.error.bothRoles"] } } });
    expect(await db().select().from(dutyAssignments)).toHaveLength(0);
  });
});

describe("district administrator keeps the 1+5+N roster and the structure", () => {
  it("sets a roster entry with people, and refuses an unreadable line next to the field", async () => {
    const w = await buildWorld();
    const admin = w.people.districtAdmin;
    const page = await call.roster(admin, String(w.s.id));
    expect(page.choices.map((d) => d.id).sort()).toEqual([w.enforcement.id, w.team.id].sort());
    const saved = await call.rosterAction(admin, String(w.s.id), [
      ["departmentId", w.team.id],
      ["role", "lead"],
      ["people", "王建国 010-8511 2001\n\n李娟"],
    ]);
    expect(saved).toMatchObject({ status: "success" });
    expect(await db().select().from(rosterEntries)).toMatchObject([
      {
        subdistrictId: w.s.id,
        departmentId: w.team.id,
        role: "lead",
        people: [{ name: "王建国", phone: "010-8511 2001" }, { name: "李娟" }],
      },
    ]);
    const bad = await call.rosterAction(admin, String(w.s.id), [
      ["departmentId", w.enforcement.id],
      ["role", "on_call"],
      ["people", "王建国 call me"],
    ]);
    expect(bad).toMatchObject({ status: "error", error: { people: ['admin.roster.peopleLine|{"line":1}'] } });
    const secondLead = await call.rosterAction(admin, String(w.s.id), [
      ["departmentId", w.enforcement.id],
      ["role", "lead"],
    ]);
    expect(secondLead).toMatchObject({ status: "error", error: { role: ["roster.error.oneLead"] } });
    expect(await db().select().from(rosterEntries)).toHaveLength(1);
  });

  it("adds a community, a department and an alley in district A, each audited", async () => {
    const w = await buildWorld();
    const admin = w.people.districtAdmin;
    const unit = await call.structureAction(admin, [
      ["intent", "unit"],
      ["parentId", w.s.id],
      ["name", "演乐社区"],
    ]);
    expect(unit).toMatchObject({ intent: "unit", ok: true, data: { parentId: w.s.id } });
    const [created] = await db().select().from(units).where(eq(units.name, "演乐社区"));
    expect(created).toMatchObject({ kind: "community", parentId: w.s.id, path: `${w.s.path}${created!.id}/` });

    const station = await call.structureAction(admin, [
      ["intent", "department"],
      ["districtId", w.districtA.id],
      ["name", "朝阳门派出所"],
      ["kind", "police"],
      ["level", "station"],
    ]);
    expect(station).toMatchObject({
      intent: "department",
      ok: false,
      reply: { status: "error", initialValue: { districtId: String(w.districtA.id) }, error: { servesUnitId: ["admin.departments.servesRequired"] } },
    });
    const served = await call.structureAction(admin, [
      ["intent", "department"],
      ["districtId", w.districtA.id],
      ["name", "朝阳门派出所"],
      ["kind", "police"],
      ["level", "station"],
      ["servesUnitId", w.sb.id],
    ]);
    expect(served).toMatchObject({ ok: false, reply: { status: "error", error: { servesUnitId: ["unit.error.servesSubdistrict"] } } });
    const ok = await call.structureAction(admin, [
      ["intent", "department"],
      ["districtId", w.districtA.id],
      ["name", "朝阳门派出所"],
      ["kind", "police"],
      ["level", "station"],
      ["servesUnitId", w.s.id],
    ]);
    expect(ok).toMatchObject({ ok: true });

    const alley = await call.structureAction(admin, [
      ["intent", "alley"],
      ["subdistrictId", w.s.id],
      ["name", "演乐胡同"],
      ["chiefContact", "010-6525 1000"],
    ]);
    expect(alley).toMatchObject({ intent: "alley", ok: true, data: { subdistrictId: w.s.id } });
    const courtyard = await call.structureAction(admin, [
      ["intent", "unit"],
      ["parentId", created!.id],
      ["name", "演乐胡同 5 号院"],
    ]);
    expect(courtyard).toMatchObject({ ok: true });
    const leaf = (await db().select().from(units).where(eq(units.name, "演乐胡同 5 号院")))[0]!;
    const noChildren = await call.structureAction(admin, [
      ["intent", "unit"],
      ["parentId", leaf.id],
      ["name", "更下一级"],
    ]);
    expect(noChildren).toMatchObject({ ok: false, reply: { status: "error", error: { parentId: ["unit.error.noChildren"] } } });

    const actions = (await db().select().from(auditEvents)).map((e) => e.action).sort();
    expect(actions).toEqual(["alley:create", "department:create", "unit:create", "unit:create"]);
    expect(await statusOf(() => call.structureAction(admin, [["intent", "nonsense"]]))).toBe(400);
  });
});

describe("platform administrator", () => {
  it("sees every district and every audit event, and may appoint a platform administrator", async () => {
    const w = await buildWorld();
    const platform = await createUser({ username: "platform" });
    await db().insert(positions).values({ userId: platform.id, kind: "platform_admin", unitId: w.city.id });
    await db().insert(auditEvents).values({ actorId: null, action: "user:register", subjectType: "user", subjectId: "1" });
    const tree = await call.structure(platform);
    expect(tree.units.map((u) => u.id)).toEqual(expect.arrayContaining([w.city.id, w.districtA.id, w.districtB.id, w.cb.id]));
    expect((await call.dutyList(platform)).districts.map((d) => d.id)).toEqual([w.districtA.id, w.districtB.id]);
    expect((await call.audit(platform)).events).toHaveLength(1);
    const page = await call.positions(platform);
    expect(page.kinds).toContain("platform_admin");
    const answer = await call.positionsAction(platform, [
      ["intent", "assign"],
      ["account", "resident"],
      ["kind", "platform_admin"],
      ["scope", `unit:${w.city.id}`],
    ]);
    expect(answer).toMatchObject({ ok: true });
  });
});
