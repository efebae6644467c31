import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { votes } from "#db/schema";
import { DEMO_TELLER_PASSPHRASE } from "~/modules/identity/demo-accounts";
import { seedDemoIfEmpty } from "#db/seed/demo";
import { verifyBoard } from "~/modules/votes/board";
import { openVault } from "~/modules/votes/crypto";
import { getBoard, getTellerWork } from "~/modules/votes/queries.server";

describe("the demo's secret votes", () => {
  it("seeds an open secret vote and a counted one whose board verifies, with tellers who unlock with the documented passphrase", async () => {
    await seedDemoIfEmpty(db());
    const secret = await db().select().from(votes).where(eq(votes.secret, true));
    expect(secret.map((v) => v.state).sort()).toEqual(["closed", "open"]);
    const closed = secret.find((v) => v.state === "closed")!;
    const check = verifyBoard((await getBoard(db(), closed.id))!);
    expect(check.problems).toEqual([]);
    expect(check.result).toMatchObject({ outcome: "passed", ballots: 17 });
    const open = secret.find((v) => v.state === "open")!;
    const work = (await getTellerWork(db(), open.id, open.createdBy))!;
    await expect(openVault(`vote:${open.id}`, DEMO_TELLER_PASSPHRASE, work.me.shareVault!)).resolves.toHaveProperty("share");
  }, 120_000);
});
