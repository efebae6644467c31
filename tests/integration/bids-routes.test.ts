import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { bidFiles, bids } from "#db/schema";
import { encodeContents } from "~/modules/projects/bid-schemas";
import { sealBid, sha256Hex } from "~/modules/projects/seal";
import * as bidRoute from "~/routes/projects.$id_.bid";
import * as openerRoute from "~/routes/projects.$id_.opener";
import * as receiptsRoute from "~/routes/projects.$id_.receipts";
import { buildBidWorld, clientKey, MARKER, publishCall, runOpeningCeremony, sampleContents } from "../support/committee";

/** The bid, receipts and opener routes: what they answer, to whom, and that no route hands out a bid's contents before the opening. */
const contextFor = (user: { id: number; displayName: string } | null): AppLoadContext => ({
  user: user ? { id: user.id, displayName: user.displayName, locale: null, largeText: false } : null,
  sessionId: user ? "test-session" : null,
  locale: "zh-CN",
  largeText: false,
  secure: false,
  ip: "127.0.0.1",
});
const url = (path: string) => `http://localhost${path}`;
const get = (path: string) => new Request(url(path));
const status = async (p: Promise<unknown>) => {
  try {
    await p;
    return 200;
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
};

async function world() {
  const w = await buildBidWorld();
  const key = await runOpeningCeremony(w.project.id, w.openers);
  await publishCall(w.project.id);
  return { w, key };
}

describe("the bid routes", () => {
  it("take a sealed bid with its sealed attachment, answer the receipt, and never return contents before the opening", async () => {
    const { w, key } = await world();
    const params = { id: String(w.project.id) };
    const file = new TextEncoder().encode(`%PDF-1.7\n${MARKER}\n`);
    const contents = { ...sampleContents(), attachments: [{ name: "a.pdf", mime: "application/pdf" as const, bytes: file.length, sha256: sha256Hex(file) }] };
    const s = await sealBid(w.project.id, w.org.id, key, encodeContents(contents), [file]);
    const form = new FormData();
    form.set("intent", "submit");
    form.set("organizationId", String(w.org.id));
    form.set("clientKey", clientKey());
    form.set("sealed", JSON.stringify(s.sealed));
    form.set("fileDigests", JSON.stringify(s.fileDigests));
    form.append("files", new Blob([s.files[0]! as BlobPart]), "sealed-0");
    const reply = await bidRoute.action({ request: new Request(url(`/projects/${w.project.id}/bid`), { method: "POST", body: form }), params, context: contextFor(w.people.orgAdmin) });
    expect(reply).toEqual({ ok: true, kind: "submit", revision: 1, receipt: s.receipt });
    const [stored] = await db().select().from(bids).where(eq(bids.projectId, w.project.id));
    expect(await db().select().from(bidFiles).where(eq(bidFiles.bidId, stored!.id))).toHaveLength(1);

    // A plaintext "bid" is not a sealed one: refused beside the form, nothing stored.
    const plain = new FormData();
    plain.set("organizationId", String(w.org.id));
    plain.set("clientKey", clientKey());
    plain.set("sealed", JSON.stringify({ R: s.sealed.R, iv: s.sealed.iv, data: btoa("price=1") , plan: MARKER }));
    const refused = await bidRoute.action({ request: new Request(url(`/projects/${w.project.id}/bid`), { method: "POST", body: plain }), params, context: contextFor(w.people.orgAdmin) });
    expect(refused).toMatchObject({ ok: false, error: "bids.error.sealed" });

    // The pages: the bidder sees its receipt; staff, the bidder's rival and the committee see no contents anywhere.
    const page = await bidRoute.loader({ request: get(`/projects/${w.project.id}/bid`), params, context: contextFor(w.people.orgAdmin) });
    expect(page.organizations[0]!.bid!.receipt).toBe(s.receipt);
    for (const who of [w.people.communityWorker, w.people.districtAdmin, w.otherAdmin, w.rep1]) {
      const seen = await bidRoute.loader({ request: get(`/projects/${w.project.id}/bid`), params, context: contextFor(who) });
      expect(JSON.stringify(seen)).not.toContain(MARKER);
      expect(JSON.stringify(seen)).not.toContain(s.receipt);
    }
    const opener = await openerRoute.loader({ request: get(`/projects/${w.project.id}/opener`), params, context: contextFor(w.rep1) });
    expect(JSON.stringify(opener)).not.toContain(MARKER);
    expect(await status(openerRoute.loader({ request: get(`/projects/${w.project.id}/opener`), params, context: contextFor(w.people.orgAdmin) }))).toBe(403);

    const receipts = await receiptsRoute.loader({ request: get(`/projects/${w.project.id}/receipts?org=${w.org.id}`), params, context: contextFor(w.people.orgAdmin) });
    expect(receipts.receipts.map((r) => r.receipt)).toEqual([s.receipt]);
    for (const who of [w.people.communityWorker, w.otherAdmin])
      expect(await status(receiptsRoute.loader({ request: get(`/projects/${w.project.id}/receipts?org=${w.org.id}`), params, context: contextFor(who) }))).toBe(403);

    // Withdrawing is a plain form (no sealing): it works without scripts.
    const withdraw = new FormData();
    withdraw.set("intent", "withdraw");
    withdraw.set("organizationId", String(w.org.id));
    withdraw.set("clientKey", page.withdrawKey);
    const gone = await bidRoute.action({ request: new Request(url(`/projects/${w.project.id}/bid`), { method: "POST", body: withdraw }), params, context: contextFor(w.people.orgAdmin) });
    expect(gone).toMatchObject({ ok: true, kind: "withdraw", revision: 2 });
  });
});
