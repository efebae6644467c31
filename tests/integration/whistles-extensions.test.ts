import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { assignments, extensionRequests, notifications, whistleEvents } from "#db/schema";
import { ForbiddenError, NotFoundError } from "~/lib/command.server";
import { decideExtension, requestExtension, workAssignment } from "~/modules/whistles/commands.server";
import { actorOf, buildWhistleWorld, directWhistle } from "../support/whistle-world";

/** Asking for more time and deciding on it (issue 13 §10: these commands had no tests). */
async function signedPart() {
  const w = await buildWhistleWorld();
  const whistle = await directWhistle(w);
  const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
  return { w, whistle, a: a! };
}
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000);

describe("extension requests", () => {
  it("the working department asks, with a reason and a later date, once it has signed; the subdistrict is told", async () => {
    const { w, whistle, a } = await signedPart();
    const team = await actorOf(w.teamOfficer.id);
    const ask = { assignmentId: a.id, newDueAt: inDays(10), reason: "需要协调产权单位" };
    // Not before signing.
    await expect(requestExtension(team, ask)).rejects.toMatchObject({ messageKey: "whistle.error.wrongState" });
    await workAssignment(team, { assignmentId: a.id, action: "sign" });
    // Not another department, not a resident, not the subdistrict.
    for (const other of [w.policeOfficer, w.members[0]!, w.people.subdistrictOfficer])
      await expect(requestExtension(await actorOf(other.id), ask)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(requestExtension(team, { ...ask, reason: "  " })).rejects.toMatchObject({ messageKey: "validation.reasonRequired", field: "reason" });
    await expect(requestExtension(team, { ...ask, newDueAt: new Date(Date.now() - 60_000) })).rejects.toMatchObject({ messageKey: "whistle.error.dueInPast", field: "newDueAt" });

    const req = await requestExtension(team, ask);
    expect(req).toMatchObject({ state: "pending", reason: "需要协调产权单位" });
    const told = await db().select().from(notifications).where(eq(notifications.userId, w.people.subdistrictOfficer.id));
    expect(told.map((n) => n.kind)).toContain("notification.extensionRequested");
    const events = await db().select().from(whistleEvents).where(eq(whistleEvents.whistleId, whistle.id));
    expect(events.find((e) => e.kind === "extension_requested")?.publicText).toBe("需要协调产权单位");
  });

  it("the subdistrict approves: the new deadline holds and the overdue mark goes; a second decision is refused", async () => {
    const { w, whistle, a } = await signedPart();
    const team = await actorOf(w.teamOfficer.id);
    await workAssignment(team, { assignmentId: a.id, action: "sign" });
    await db().update(assignments).set({ overdueSince: new Date(Date.now() - 3_600_000) }).where(eq(assignments.id, a.id));
    const req = await requestExtension(team, { assignmentId: a.id, newDueAt: inDays(10), reason: "雨季施工受限" });
    // The department cannot approve its own request.
    await expect(decideExtension(team, { requestId: req.id, approve: true })).rejects.toBeInstanceOf(ForbiddenError);
    await decideExtension(await actorOf(w.people.subdistrictOfficer.id), { requestId: req.id, approve: true });
    const [after] = await db().select().from(assignments).where(eq(assignments.id, a.id));
    expect(after!.dueResolveAt!.getTime()).toBe(req.newDueAt.getTime());
    expect(after!.overdueSince).toBeNull();
    const [stored] = await db().select().from(extensionRequests).where(eq(extensionRequests.id, req.id));
    expect(stored).toMatchObject({ state: "approved", decidedBy: w.people.subdistrictOfficer.id });
    await expect(decideExtension(await actorOf(w.people.subdistrictOfficer.id), { requestId: req.id, approve: false })).rejects.toMatchObject({
      messageKey: "residency.error.alreadyDecided",
    });
    const events = await db().select().from(whistleEvents).where(eq(whistleEvents.whistleId, whistle.id));
    expect(events.map((e) => e.kind)).toContain("extension_approved");
  });

  it("a denial keeps the deadline; an unknown request is not found", async () => {
    const { w, a } = await signedPart();
    const team = await actorOf(w.teamOfficer.id);
    await workAssignment(team, { assignmentId: a.id, action: "sign" });
    const [before] = await db().select().from(assignments).where(eq(assignments.id, a.id));
    const req = await requestExtension(team, { assignmentId: a.id, newDueAt: inDays(30), reason: "想多要些时间" });
    await decideExtension(await actorOf(w.people.subdistrictOfficer.id), { requestId: req.id, approve: false });
    const [after] = await db().select().from(assignments).where(eq(assignments.id, a.id));
    expect(after!.dueResolveAt?.getTime()).toBe(before!.dueResolveAt?.getTime());
    const [stored] = await db().select().from(extensionRequests).where(eq(extensionRequests.id, req.id));
    expect(stored!.state).toBe("denied");
    await expect(decideExtension(await actorOf(w.people.subdistrictOfficer.id), { requestId: 999_999, approve: true })).rejects.toBeInstanceOf(NotFoundError);
  });
});
