import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { contactPoints, deliveries } from "#db/schema";
import { sweepWhistles } from "~/modules/whistles/commands.server";
import { buildWhistleWorld, directWhistle } from "../support/whistle-world";

/** What goes out when things happen: the product's own commands, the deliveries they queue (ADR 0022). */
const LATE = new Date("2026-12-01T15:00:00Z"); // 23:00 in Beijing, in the default quiet hours
const NOON = new Date("2026-12-01T04:00:00Z");

async function withPhone(userId: number) {
  await db().insert(contactPoints).values({ userId, channel: "sms", address: "13800138000", verifiedAt: NOON });
}
const deliveriesOf = (userId: number, kind: string) =>
  db().select().from(deliveries).where(and(eq(deliveries.userId, userId), eq(deliveries.kind, kind)));

describe("what goes out to departments and stations", () => {
  it("a new assignment waits out the night, an emergency one does not", async () => {
    const w = await buildWhistleWorld();
    await withPhone(w.teamOfficer.id);
    await directWhistle(w, "enforcement", LATE);
    await directWhistle(w, "emergency", LATE);
    const rows = await deliveriesOf(w.teamOfficer.id, "notification.assignment");
    expect(rows.map((r) => [r.params.title, r.urgent, r.nextAttemptAt.toISOString()]).sort()).toEqual([
      ["堆物堆料", false, "2026-12-01T23:00:00.000Z"],
      ["燃气管道泄漏", true, LATE.toISOString()],
    ]);
  });

  it("a deadline approaching and an overdue assignment reach the station's officers at once", async () => {
    const w = await buildWhistleWorld();
    await withPhone(w.teamOfficer.id);
    const whistle = await directWhistle(w, "enforcement", NOON);
    const at = (minutes: number) => new Date(whistle.dispatchedAt!.getTime() + minutes * 60_000);
    expect(await sweepWhistles(at(10))).toMatchObject({ remind: 1 });
    expect(await sweepWhistles(at(121))).toMatchObject({ overdue: 1 });
    expect((await deliveriesOf(w.teamOfficer.id, "notification.deadlineSoon")).map((r) => r.urgent)).toEqual([true]);
    const overdue = await deliveriesOf(w.teamOfficer.id, "notification.overdue");
    expect(overdue.map((r) => [r.urgent, r.state, r.nextAttemptAt.toISOString()])).toEqual([[true, "pending", at(121).toISOString()]]);
  });
});
