import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { whistles } from "#db/schema";
import { supervisionScopes } from "~/modules/whistles/permissions";
import * as supervision from "~/routes/supervision";
import { actorOf, buildWhistleWorld, contextFor } from "../support/whistle-world";

/** Issue 13 §2: /supervision shows a district's administrator their own district, not every district's. */
describe("who sees which whistles on /supervision", () => {
  it("shows each supervisor the subdistricts under their positions, and nobody else anything", async () => {
    const w = await buildWhistleWorld();
    const requested = (subdistrictId: number, title: string) =>
      db().insert(whistles).values({ subdistrictId, source: "direct", kind: "enforcement", title, description: "胡同口", categoryCode: "parking", state: "requested", createdAt: new Date() });
    await requested(w.s.id, "A 区街道的待派单");
    await requested(w.sb.id, "B 区街道的待派单");
    const titles = async (user: Parameters<typeof contextFor>[0]) => {
      const page = await supervision.loader({ request: new Request("http://localhost/supervision"), params: {}, context: contextFor(user) });
      return page.staff?.requested.map((r) => r.title) ?? null;
    };
    expect(await titles(w.people.districtAdmin)).toEqual(["A 区街道的待派单"]);
    expect(await titles(w.people.subdistrictOfficer)).toEqual(["A 区街道的待派单"]);
    expect(await titles(w.members[0]!)).toBeNull();
    expect(await titles(null)).toBeNull();
    expect(supervisionScopes(await actorOf(w.people.districtAdmin.id))).toEqual([w.districtA.path]);
  });
});
