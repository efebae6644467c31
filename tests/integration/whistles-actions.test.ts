import { asc, eq } from "drizzle-orm";
import { replyOf } from "../support/replies";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { assignments, auditEvents, notifications, whistleEvents, whistlePhotos, whistles } from "#db/schema";
import { ForbiddenError } from "~/lib/command.server";
import { onNews } from "#realtime/publish.server";
import {
  blowWhistle,
  confirmAssignment,
  decideUnreasonableClosure,
  redispatch,
  requestUnreasonableClosure,
  setScoreWeights,
  sweepWhistles,
  workAssignment,
} from "~/modules/whistles/commands.server";
import { monthlyRates, rateTrend } from "~/modules/whistles/queries.server";
import { replay } from "~/modules/whistles/rules";
import * as whistlePage from "~/routes/whistles.$id";
import * as inbox from "~/routes/inbox";
import * as newWhistle from "~/routes/whistles.new";
import * as weightsRoute from "~/routes/admin.weights";
import * as dashboard from "~/routes/dashboards.units.$id";
import { actorOf, buildWhistleWorld, contextFor, directWhistle } from "../support/whistle-world";
import { checkedPng, pngBytes } from "../support/images";
import { localMonth, monthKey, monthOfKey } from "~/lib/time";
import * as uploadRoute from "~/routes/uploads.$file";
import { checkPhotos } from "~/lib/uploads.server";

/** A PNG's first bytes, padded: enough for the magic-byte check. */
const png = () => new File([pngBytes()], "site.png", { type: "image/png" });

function multipart(whistleId: number, fields: Record<string, string>, files: File[]) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const f of files) body.append("photos", f);
  return new Request(`http://localhost/whistles/${whistleId}`, { method: "POST", body });
}

beforeAll(() => {
  // Vite puts BASE_URL="/" into the test process; the app reads BASE_URL as a public origin. Photos go to a temporary folder.
  delete process.env.BASE_URL;
  process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "gongzhi-photos-"));
});

describe("evidence photos (到场, 办结)", () => {
  it("stores photos with the on-site and resolve events and shows them on the timeline and in the inbox", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w);
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    await workAssignment(await actorOf(w.teamOfficer.id), { assignmentId: a!.id, action: "sign" });
    const act = (fields: Record<string, string>, files: File[]) =>
      whistlePage.action({
        request: multipart(whistle.id, { assignmentId: String(a!.id), ...fields }, files),
        params: { id: String(whistle.id) },
        context: contextFor(w.teamOfficer),
      });

    // Refused beside the field, in the user's language: a text file called .png, and five photos.
    expect(
      replyOf(
        await act({ intent: "on_site", people: "2", note: "到了" }, [new File(["not a picture at all"], "x.png", { type: "image/png" })]),
      ),
    ).toMatchObject({ ok: false, field: "photos", error: "upload.error.evidenceType" });
    expect(replyOf(await act({ intent: "on_site", people: "2" }, [png(), png(), png(), png(), png()]))).toMatchObject({
      ok: false,
      field: "photos",
      error: expect.stringMatching(/^proposal\.error\.tooManyPhotos/),
    });
    const huge = new Uint8Array(5 * 1024 * 1024 + 1);
    huge.set([0x89, 0x50, 0x4e, 0x47]);
    // A photo over 5 MB: 413, with the message beside the photos (ADR 0023).
    expect(replyOf(await act({ intent: "on_site", people: "2" }, [new File([huge], "big.png", { type: "image/png" })]))).toMatchObject({
      status: 413,
      ok: false,
      field: "photos",
      error: "photo.error.tooLarge",
    });
    expect((await db().select().from(assignments).where(eq(assignments.id, a!.id)))[0]!.state).toBe("signed");

    expect(replyOf(await act({ intent: "on_site", people: "3", note: "已到场" }, [png(), png()]))).toMatchObject({ ok: true });
    const inboxPage = await inbox.loader({
      request: new Request("http://localhost/inbox"),
      params: {},
      context: contextFor(w.teamOfficer),
    });
    expect(inboxPage.items[0]!.photos).toHaveLength(2);

    // Resolving may show a document instead of a photo (issue 11 §5): a PDF, recognised by its first bytes.
    const report = new File(["%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"], "处理报告.pdf", { type: "application/pdf" });
    expect(replyOf(await act({ intent: "resolve", resultText: "已清理" }, [report]))).toMatchObject({ ok: true });
    const events = await db().select().from(whistleEvents).where(eq(whistleEvents.whistleId, whistle.id)).orderBy(asc(whistleEvents.id));
    const photos = await db().select().from(whistlePhotos).where(eq(whistlePhotos.whistleId, whistle.id)).orderBy(asc(whistlePhotos.id));
    const onSite = events.find((e) => e.kind === "on_site")!;
    const resolve = events.find((e) => e.kind === "resolve")!;
    expect(photos.map((p) => p.eventId)).toEqual([onSite.id, onSite.id, resolve.id]);
    expect(photos.slice(0, 2).every((p) => p.mime === "image/png" && /^[0-9a-f-]{36}\.png$/.test(p.fileName))).toBe(true);
    expect(photos[2]).toMatchObject({ mime: "application/pdf", fileName: expect.stringMatching(/^[0-9a-f-]{36}\.pdf$/) });
    // Served as a download, never shown in the site's origin.
    const served = await uploadRoute.loader({
      request: new Request(`http://localhost/uploads/${photos[2]!.fileName}`),
      params: { file: photos[2]!.fileName },
      context: contextFor(null),
    });
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect(served.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(served.headers.get("content-security-policy")).toBe("sandbox");
    expect(new TextDecoder().decode(await served.arrayBuffer())).toMatch(/^%PDF-1\.4/);
    // Where photos are asked for (a proposal's), a PDF is still refused.
    expect(await checkPhotos([report])).toEqual({ ok: false, error: "proposal.error.photoType" });

    const page = await whistlePage.loader({
      request: new Request(`http://localhost/whistles/${whistle.id}`),
      params: { id: String(whistle.id) },
      context: contextFor(null),
    });
    expect(page.photos.filter((p) => p.eventId === resolve.id)).toHaveLength(1);
    expect(page.photos[0]!.url).toMatch(/^\/uploads\//);
  });

  it("refuses photos on any other step", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w);
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    await expect(
      workAssignment(await actorOf(w.teamOfficer.id), { assignmentId: a!.id, action: "sign", photos: [checkedPng()] }),
    ).rejects.toMatchObject({ messageKey: "whistle.error.photosNotHere" });
  });
});

describe("emergencies stay open until the whistling unit confirms (事不完、人不撤)", () => {
  it("resolving an emergency leaves it open; the subdistrict's confirmation resolves it; a second click changes nothing", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w, "emergency");
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    const team = await actorOf(w.teamOfficer.id);
    const officer = await actorOf(w.people.subdistrictOfficer.id);
    await expect(confirmAssignment(officer, { assignmentId: a!.id })).rejects.toMatchObject({
      messageKey: "whistle.error.confirmResolvedOnly",
    });
    await workAssignment(team, { assignmentId: a!.id, action: "sign" });
    await workAssignment(team, { assignmentId: a!.id, action: "on_site", people: 2, note: "已到场" });
    await workAssignment(team, { assignmentId: a!.id, action: "resolve", resultText: "已关阀抢修", noEvidenceReason: "现场未拍照" });
    expect((await db().select().from(whistles).where(eq(whistles.id, whistle.id)))[0]!.state).toBe("dispatched");
    expect(
      (await db().select().from(notifications).where(eq(notifications.kind, "notification.confirmPlease"))).map((n) => n.userId).sort(),
    ).toEqual([w.people.subdistrictOfficer.id, w.people.subdistrictLeader.id].sort());

    await expect(confirmAssignment(team, { assignmentId: a!.id })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(confirmAssignment(await actorOf(w.people.communityWorker.id), { assignmentId: a!.id })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await confirmAssignment(officer, { assignmentId: a!.id });
    await confirmAssignment(officer, { assignmentId: a!.id }); // a double submit
    const [done] = await db().select().from(whistles).where(eq(whistles.id, whistle.id));
    expect(done).toMatchObject({ state: "resolved", closure: "resolved" });
    const events = await db().select().from(whistleEvents).where(eq(whistleEvents.whistleId, whistle.id)).orderBy(asc(whistleEvents.id));
    expect(events.filter((e) => e.kind === "confirmed")).toHaveLength(1);
    expect(events.filter((e) => e.kind === "resolved")).toHaveLength(1);
    const rebuilt = replay(events);
    expect(rebuilt.whistle).toBe("resolved");
    expect(rebuilt.assignments.get(a!.id)).toBe("confirmed");
  });

  it("a non-emergency is resolved when its parts are; confirming it later does not resolve it twice", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w);
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    const team = await actorOf(w.teamOfficer.id);
    await workAssignment(team, { assignmentId: a!.id, action: "sign" });
    await workAssignment(team, { assignmentId: a!.id, action: "on_site", people: 2, note: "已到场" });
    await workAssignment(team, { assignmentId: a!.id, action: "resolve", resultText: "已清理", noEvidenceReason: "现场未拍照" });
    expect((await db().select().from(whistles).where(eq(whistles.id, whistle.id)))[0]!.state).toBe("resolved");
    await confirmAssignment(await actorOf(w.people.subdistrictLeader.id), { assignmentId: a!.id });
    const kinds = (await db().select().from(whistleEvents).where(eq(whistleEvents.whistleId, whistle.id))).map((e) => e.kind);
    expect(kinds.filter((k) => k === "resolved")).toHaveLength(1);
  });

  it("shows the elapsed time on an open emergency's page", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w, "emergency", new Date(Date.now() - 90 * 60_000));
    const page = await whistlePage.loader({
      request: new Request(`http://localhost/whistles/${whistle.id}`),
      params: { id: String(whistle.id) },
      context: contextFor(w.people.subdistrictOfficer),
    });
    expect(page.whistle.elapsedMs).toBeGreaterThanOrEqual(90 * 60_000);
    expect(page.can.confirm).toBe(true);
  });
});

describe("closing as an unreasonable demand (不合理诉求) needs a subdistrict leader", () => {
  it("a department asks, a leader refuses with a note, then approves a new request; only the approved one leaves the rates", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w);
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    const team = await actorOf(w.teamOfficer.id);
    const leader = await actorOf(w.people.subdistrictLeader.id);
    await workAssignment(team, { assignmentId: a!.id, action: "sign" });

    await expect(requestUnreasonableClosure(team, { whistleId: whistle.id, reason: " " })).rejects.toMatchObject({
      messageKey: "validation.reasonRequired",
      field: "reason",
    });
    const first = await requestUnreasonableClosure(team, { whistleId: whistle.id, reason: "要求拆除合法建筑" });
    expect((await requestUnreasonableClosure(team, { whistleId: whistle.id, reason: "要求拆除合法建筑" })).id).toBe(first.id); // a double submit
    await expect(
      requestUnreasonableClosure(await actorOf(w.people.subdistrictOfficer.id), { whistleId: whistle.id, reason: "另一份" }),
    ).rejects.toMatchObject({ messageKey: "whistle.error.closurePending" });
    expect(
      (await db().select().from(notifications).where(eq(notifications.kind, "notification.unreasonableRequested"))).map((n) => n.userId),
    ).toEqual([w.people.subdistrictLeader.id]);

    await expect(
      decideUnreasonableClosure(await actorOf(w.people.subdistrictOfficer.id), { requestId: first.id, approve: true }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(decideUnreasonableClosure(leader, { requestId: first.id, approve: false })).rejects.toMatchObject({
      messageKey: "validation.reasonRequired",
      field: "note",
    });
    await decideUnreasonableClosure(leader, { requestId: first.id, approve: false, note: "属于合理诉求，继续办" });
    expect((await db().select().from(whistles).where(eq(whistles.id, whistle.id)))[0]).toMatchObject({
      state: "dispatched",
      closure: null,
    });

    const second = await requestUnreasonableClosure(await actorOf(w.people.subdistrictOfficer.id), {
      whistleId: whistle.id,
      reason: "经核实为恶意诉求",
    });
    await decideUnreasonableClosure(leader, { requestId: second.id, approve: true });
    await decideUnreasonableClosure(leader, { requestId: second.id, approve: true }); // a double submit
    expect((await db().select().from(whistles).where(eq(whistles.id, whistle.id)))[0]).toMatchObject({
      state: "closed",
      closure: "unreasonable",
    });
    await expect(requestUnreasonableClosure(team, { whistleId: whistle.id, reason: "再来" })).rejects.toMatchObject({
      messageKey: "whistle.error.wrongState",
    });

    const events = await db().select().from(whistleEvents).where(eq(whistleEvents.whistleId, whistle.id)).orderBy(asc(whistleEvents.id));
    expect(events.map((e) => e.kind).filter((k) => k.startsWith("unreasonable"))).toEqual([
      "unreasonable_requested",
      "unreasonable_refused",
      "unreasonable_requested",
      "unreasonable_approved",
    ]);
    expect(replay(events).whistle).toBe("closed");

    // The open part leaves the inbox and the sweep; the rates count it apart.
    const inboxPage = await inbox.loader({
      request: new Request("http://localhost/inbox"),
      params: {},
      context: contextFor(w.teamOfficer),
    });
    expect(inboxPage.items).toHaveLength(0);
    expect(await sweepWhistles(new Date(Date.now() + 30 * 86_400_000))).toMatchObject({ overdue: 0 });
    const [rates] = await monthlyRates(db(), w.districtA.path, monthOfKey(localMonth(new Date(), "Asia/Shanghai")));
    expect(rates).toMatchObject({ unreasonable: 1, due: 0, resolved: 0, resolutionRate: null });
  });
});

describe("composite-score weights by period", () => {
  it("an administrator sets them from a month on; the form says what is wrong beside the field; the dashboard uses and names the month's weights", async () => {
    const w = await buildWhistleWorld();
    const post = (fields: Record<string, string | number>) =>
      weightsRoute.action({
        request: new Request("http://localhost/admin/weights", {
          method: "POST",
          body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])),
        }),
        params: {},
        context: contextFor(w.people.districtAdmin),
      });
    const bad = await post({ districtId: w.districtA.id, validFrom: "2026-01", response: 50, resolution: 30, satisfaction: 30 });
    expect(bad).toMatchObject({ status: "error", error: { satisfaction: ["weights.error.sum"] } });
    expect(await post({ districtId: w.districtA.id, validFrom: "2026-01", response: 50, resolution: 30, satisfaction: 20 })).toMatchObject({
      status: "success",
    });
    // Another district's administrator cannot (district B's admin would need a position there: the officer has none).
    await expect(
      setScoreWeights(await actorOf(w.people.subdistrictLeader.id), {
        districtId: w.districtA.id,
        validFrom: "2026-02",
        response: 40,
        resolution: 40,
        satisfaction: 20,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await db().select().from(auditEvents).where(eq(auditEvents.action, "weights:set"))).map((e) => e.subjectId)).toEqual([
      `${w.districtA.id}:2026-01`,
    ]);

    const dash = (month: string) =>
      dashboard.loader({
        request: new Request(`http://localhost/dashboards/units/${w.s.id}?month=${month}`),
        params: { id: String(w.s.id) },
        context: contextFor(null),
      });
    expect(await dash("2025-12")).toMatchObject({ weightsFrom: null, weights: { response: 0.3, resolution: 0.3, satisfaction: 0.4 } });
    expect(await dash("2026-06")).toMatchObject({ weightsFrom: "2026-01", weights: { response: 0.5, resolution: 0.3, satisfaction: 0.2 } });
  });
});

describe("month-over-month rates", () => {
  it("gives the unit's three rates for each of the last six months, oldest first, with gaps where nothing was dispatched", async () => {
    const w = await buildWhistleWorld();
    const now = new Date();
    const twoMonthsAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 15, 4));
    const old = await directWhistle(w, "enforcement", twoMonthsAgo);
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, old.id));
    await workAssignment(
      await actorOf(w.teamOfficer.id),
      { assignmentId: a!.id, action: "sign" },
      new Date(twoMonthsAgo.getTime() + 60_000),
    );
    await directWhistle(w, "enforcement", now);
    const thisMonth = monthOfKey(localMonth(now, "Asia/Shanghai"));
    const trend = await rateTrend(db(), w.s.path, thisMonth, 6);
    expect(trend.map((p) => p.month)).toEqual(
      Array.from({ length: 6 }, (_, i) => monthKey(thisMonth.getUTCFullYear(), thisMonth.getUTCMonth() - 5 + i)),
    );
    expect(trend.map((p) => p.responseRate)).toEqual([null, null, null, 1, null, 0]);
    expect(trend[5]).toMatchObject({ dispatched: 1, signedInTime: 0 });

    const page = await dashboard.loader({
      request: new Request(`http://localhost/dashboards/units/${w.s.id}`),
      params: { id: String(w.s.id) },
      context: contextFor(null),
    });
    expect(page.trend).toHaveLength(6);
  });
});

describe("community whistles to stations (社区吹哨、科站队所报到)", () => {
  it("community staff whistle only to stations serving their subdistrict, once per form; they follow it up and confirm it", async () => {
    const w = await buildWhistleWorld();
    const worker = await actorOf(w.people.communityWorker.id);
    const blow = (fields: Record<string, string | string[]>, user = w.people.communityWorker) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
      return newWhistle.action({
        request: new Request("http://localhost/whistles/new", { method: "POST", body }),
        params: {},
        context: contextFor(user),
      });
    };
    const base = {
      unit: `community:${w.c.id}`,
      clientKey: "8a2f9c1e-1111-4a4a-9b9b-123456789abc",
      title: "群租房噪音",
      description: "夜间噪音扰民",
      categoryCode: "parking",
      kind: "resident_request",
    };

    // The form names what is missing beside the field.
    expect(await blow({ ...base, title: "" })).toMatchObject({
      status: "error",
      error: { title: ["validation.required"], lead: ["whistle.error.needLead"] },
    });
    // The district bureau and the team are not stations; a station of another district is not ours.
    expect(await blow({ ...base, lead: String(w.team.id) })).toMatchObject({
      status: "error",
      error: { lead: ["whistle.error.stationsOnly"] },
    });
    expect(await blow({ ...base, lead: String(w.farStation.id) })).toMatchObject({
      status: "error",
      error: { lead: ["whistle.error.department"] },
    });
    // Another community's worker cannot whistle for this one.
    await expect(blow({ ...base, lead: String(w.police.id) }, w.people.otherCommunityWorker)).rejects.toMatchObject({ status: 403 });

    const sent = await blow({ ...base, lead: String(w.police.id), cooperate: String(w.traffic.id) });
    expect(sent).toBeInstanceOf(Response);
    const again = await blow({ ...base, lead: String(w.police.id) }); // a double submit
    expect((again as Response).headers.get("Location")).toBe((sent as Response).headers.get("Location"));
    const made = await db().select().from(whistles).where(eq(whistles.communityId, w.c.id));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ subdistrictId: w.s.id, state: "dispatched" });
    const parts = await db().select().from(assignments).where(eq(assignments.whistleId, made[0]!.id)).orderBy(asc(assignments.id));
    expect(parts.map((p) => [p.departmentId, p.role])).toEqual([
      [w.police.id, "lead"],
      [w.traffic.id, "cooperate"],
    ]);

    // The police return it; the community re-dispatches to the traffic station, which resolves; the community confirms.
    await workAssignment(await actorOf(w.policeOfficer.id), { assignmentId: parts[0]!.id, action: "return", reason: "属交通管理" });
    expect(
      (await db().select().from(notifications).where(eq(notifications.kind, "notification.assignmentReturned"))).map((n) => n.userId),
    ).toContain(w.people.communityWorker.id);
    await expect(redispatch(worker, { assignmentId: parts[0]!.id, departmentId: w.team.id })).rejects.toMatchObject({
      messageKey: "whistle.error.stationsOnly",
    });
    await expect(
      redispatch(await actorOf(w.people.otherCommunityWorker.id), { assignmentId: parts[0]!.id, departmentId: w.traffic.id }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const fresh = await redispatch(worker, { assignmentId: parts[0]!.id, departmentId: w.traffic.id });
    const traffic = await actorOf(w.trafficOfficer.id);
    await workAssignment(traffic, { assignmentId: fresh.id, action: "sign" });
    await workAssignment(traffic, { assignmentId: fresh.id, action: "on_site", people: 2, note: "已到场" });
    await workAssignment(traffic, { assignmentId: fresh.id, action: "resolve", resultText: "已劝离", noEvidenceReason: "现场未拍照" });
    await confirmAssignment(worker, { assignmentId: fresh.id });
    expect((await db().select().from(assignments).where(eq(assignments.id, fresh.id)))[0]!.state).toBe("confirmed");

    const page = await whistlePage.loader({
      request: new Request(`http://localhost/whistles/${made[0]!.id}`),
      params: { id: String(made[0]!.id) },
      context: contextFor(w.people.communityWorker),
    });
    expect(page.community).toBe(w.c.name);
    expect(page.departments.map((d) => d.id).sort()).toEqual([w.police.id, w.traffic.id].sort());

    // The page offers the community's own stations only; people without a whistling unit get a 403.
    const form = await newWhistle.loader({
      request: new Request("http://localhost/whistles/new"),
      params: {},
      context: contextFor(w.people.communityWorker),
    });
    expect(form.departments.map((d) => d.id).sort()).toEqual([w.police.id, w.traffic.id].sort());
    await expect(
      newWhistle.loader({ request: new Request("http://localhost/whistles/new"), params: {}, context: contextFor(w.author) }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it("the subdistrict whistles directly to any department of its district", async () => {
    const w = await buildWhistleWorld();
    const body = new URLSearchParams({
      unit: `subdistrict:${w.s.id}`,
      clientKey: "8a2f9c1e-2222-4a4a-9b9b-123456789abc",
      title: "燃气泄漏",
      description: "胡同口闻到燃气味",
      categoryCode: "parking",
      kind: "emergency",
      lead: String(w.enforcement.id),
    });
    const res = await newWhistle.action({
      request: new Request("http://localhost/whistles/new", { method: "POST", body }),
      params: {},
      context: contextFor(w.people.subdistrictOfficer),
    });
    expect(res).toBeInstanceOf(Response);
    const [made] = await db().select().from(whistles).where(eq(whistles.subdistrictId, w.s.id));
    expect(made).toMatchObject({ kind: "emergency", source: "emergency", communityId: null });
  });
});

describe("the inbox pages", () => {
  it("shows 50 assignments a page, most urgent first, with a next page when there are more", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w);
    const [first] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    const { id: _id, ...rest } = first!;
    await db()
      .insert(assignments)
      .values(Array.from({ length: 54 }, (_, i) => ({ ...rest, dueSignAt: new Date(first!.dueSignAt.getTime() + (i + 1) * 60_000) })));
    const load = (query: string) =>
      inbox.loader({ request: new Request(`http://localhost/inbox${query}`), params: {}, context: contextFor(w.teamOfficer) });
    const one = await load("");
    expect(one).toMatchObject({ page: 1, hasNext: true });
    expect(one.items).toHaveLength(50);
    expect(one.items[0]!.id).toBe(first!.id);
    const two = await load("?page=2");
    expect(two).toMatchObject({ page: 2, hasNext: false });
    expect(two.items).toHaveLength(5);
    expect(new Set([...one.items, ...two.items].map((i) => i.id)).size).toBe(55);
    await expect(load("?page=0")).rejects.toMatchObject({ status: 404 });
  });
});

describe("officers' inboxes hear every change to their departments' assignments", () => {
  it("a dispatch, a colleague's step and a leader's closure reach the department's room and its parent's, and no other", async () => {
    const w = await buildWhistleWorld();
    const heard: { room: string; event: string }[] = [];
    const stop = onNews((room, message) => heard.push({ room, event: message.event }));
    try {
      const departmentsHeard = () => [...new Set(heard.filter((h) => h.room.startsWith("department:")).map((h) => h.room))].sort();
      const whistle = await directWhistle(w); // to the subdistrict team, whose parent is the district bureau
      const expected = [`department:${w.enforcement.id}`, `department:${w.team.id}`].sort();
      expect(departmentsHeard()).toEqual(expected);
      expect(heard.filter((h) => h.room.startsWith("department:")).every((h) => h.event === "whistle:changed")).toBe(true);

      // A colleague in the team signs it: the other team officers' inboxes (and the head's) must hear it.
      const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
      heard.length = 0;
      await workAssignment(await actorOf(w.teamOfficer.id), { assignmentId: a!.id, action: "sign" });
      expect(departmentsHeard()).toEqual(expected);

      // Closed as unreasonable by the subdistrict: it leaves the team's inbox, which hears it.
      const asked = await requestUnreasonableClosure(await actorOf(w.teamOfficer.id), { whistleId: whistle.id, reason: "要求拆除合法建筑" });
      heard.length = 0;
      await decideUnreasonableClosure(await actorOf(w.people.subdistrictLeader.id), { requestId: asked.id, approve: true });
      expect(departmentsHeard()).toEqual(expected);
      expect(departmentsHeard()).not.toContain(`department:${w.police.id}`);
    } finally {
      stop();
    }
  });

  it("a timer's step is heard once in the department's room, however many parts of the whistle the sweep moved", async () => {
    const w = await buildWhistleWorld();
    const whistle = await blowWhistleToTeamAndPolice(w);
    const heard: string[] = [];
    const stop = onNews((room) => heard.push(room));
    try {
      // A month on: both parts are long overdue, and the sweep takes a step on each.
      const counts = await sweepWhistles(new Date(Date.now() + 30 * 86_400_000));
      expect(counts.overdue + counts.remind + counts.supervise + counts.public).toBeGreaterThanOrEqual(2);
      for (const department of [w.team.id, w.enforcement.id, w.police.id]) expect(heard.filter((r) => r === `department:${department}`)).toHaveLength(1);
      expect(heard.filter((r) => r === `whistle:${whistle.id}`)).toHaveLength(1);
    } finally {
      stop();
    }
  });
});

/** A whistle blown by the subdistrict officer to the team (lead) and the police station (co-operating). */
async function blowWhistleToTeamAndPolice(w: Awaited<ReturnType<typeof buildWhistleWorld>>) {
  return blowWhistle(await actorOf(w.people.subdistrictOfficer.id), {
    subdistrictId: w.s.id,
    title: "占道经营",
    description: "胡同口",
    categoryCode: "parking",
    kind: "enforcement",
    leadIds: [w.team.id],
    cooperateIds: [w.police.id],
  });
}
