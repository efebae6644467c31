import type { AppLoadContext } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import {
  alleys,
  bids,
  halls,
  households,
  projectEvaluators,
  projectMilestones,
  projectOpeners,
  projectRatings,
  projects,
  proposals,
  residencyClaims,
  rosterEntries,
  departments,
  units,
  users,
  votes,
  whistleRateCounts,
  whistles,
} from "#db/schema";
import { openBid, verifyPartialOpen } from "~/modules/projects/seal";
import { seedDemoIfEmpty } from "#db/seed/demo";
import { demoAccounts, demoGroupOf, demoGroups, demoNeighbours } from "~/modules/identity/demo-accounts";
import { visitor } from "~/modules/identity/actor";
import { localMonth, monthOfKey } from "~/lib/time";
import { hallPage } from "~/modules/proposals/queries.server";
import { getUnitPage } from "~/modules/units/queries.server";
import { countVote } from "~/modules/votes/commands.server";
import { rateTrend } from "~/modules/whistles/queries.server";
import { recountRates } from "~/modules/whistles/rate-counts.server";
import * as dashboard from "~/routes/dashboards.units.$id";
import * as ocdsProject from "~/routes/ocds.projects.$id[.]json";
import { ocdsValidator } from "../support/ocds";

const context: AppLoadContext = { user: null, sessionId: null, locale: "zh-CN", largeText: false, secure: false, ip: "127.0.0.1" };
const dashboardOf = (id: number) => dashboard.loader({ request: new Request(`http://localhost/dashboards/units/${id}`), params: { id: String(id) }, context });
const compact = (s: string) => s.replace(/\s/g, ""); // \s takes the full-width space too

/**
 * The demo district is what a newcomer learns the site from (issue 14, item 8):
 * it must show every kind of vote, a history on the dashboards, and data that
 * is right (no department twice, courtyards with their residents, whistles
 * raised where their street is). One seed, checked softly so every fault shows.
 */
describe("the demo district", () => {
  it("shows every kind of vote, six months of whistles, a community's dashboard, and correct data", async () => {
    await seedDemoIfEmpty(db());
    const unitRows = await db().select().from(units);
    const unit = (name: string) => unitRows.find((u) => u.name === name)!;

    // The 1+5+N roster lists each department once, under a name of its own.
    const roster = await db()
      .select({ subdistrictId: rosterEntries.subdistrictId, departmentId: rosterEntries.departmentId, name: departments.name })
      .from(rosterEntries)
      .innerJoin(departments, eq(departments.id, rosterEntries.departmentId));
    for (const s of unitRows.filter((u) => u.kind === "subdistrict")) {
      const names = roster.filter((r) => r.subdistrictId === s.id).map((r) => r.name);
      expect.soft(names.length, s.name).toBeGreaterThan(0);
      expect.soft(names.filter((n, i) => names.indexOf(n) !== i), `${s.name}: listed twice`).toEqual([]);
    }

    // Every courtyard shows the verified residents whose home is in it (王秀兰 lives in 史家胡同 24 号院).
    const claims = await db()
      .select({ communityId: residencyClaims.communityId, address: sql<string>`coalesce(${households.address}, ${residencyClaims.address})` })
      .from(residencyClaims)
      .leftJoin(households, eq(households.id, residencyClaims.householdId))
      .where(eq(residencyClaims.status, "verified"));
    const courtyards = unitRows.filter((u) => u.kind === "courtyard");
    expect(courtyards.length).toBeGreaterThan(0);
    for (const c of courtyards) {
      const living = claims.filter((r) => r.communityId === c.parentId && compact(r.address).startsWith(compact(c.name))).length;
      const parentPage = (await getUnitPage(db(), c.parentId!))!;
      expect.soft(parentPage.children.find((x) => x.id === c.id)?.residents, `${c.name} on its community's page`).toBe(living);
      expect.soft((await getUnitPage(db(), c.id))!.residents, `${c.name}'s own page`).toBe(living);
    }
    expect.soft(claims.some((r) => compact(r.address).startsWith(compact("史家胡同 24 号院")))).toBe(true);

    // A whistle (or proposal) raised by a community's hall is about a street of that community, and of the whistle's subdistrict.
    const alleyRows = await db().select().from(alleys);
    const homes = new Map<number, Set<string>>();
    for (const r of claims) for (const a of alleyRows) if (r.address.startsWith(a.name)) homes.set(r.communityId, (homes.get(r.communityId) ?? new Set()).add(a.name));
    const hallUnit = await db().select({ hallId: halls.id, unitId: halls.unitId }).from(halls);
    const communityOf = (unitId: number | null) => {
      const u = unitRows.find((x) => x.id === unitId);
      return u?.kind === "courtyard" ? u.parentId : u?.kind === "community" ? u.id : null;
    };
    const raised = await db()
      .select({ title: whistles.title, description: whistles.description, address: whistles.address, subdistrictId: whistles.subdistrictId, communityId: whistles.communityId, hallId: proposals.hallId })
      .from(whistles)
      .leftJoin(proposals, eq(proposals.id, whistles.proposalId));
    const proposalRows = await db().select({ title: proposals.title, description: proposals.body, address: proposals.address, hallId: proposals.hallId }).from(proposals);
    const checks = [
      ...raised.map((w) => ({ ...w, community: w.communityId ?? communityOf(hallUnit.find((h) => h.hallId === w.hallId)?.unitId ?? null) })),
      ...proposalRows.map((p) => ({ ...p, subdistrictId: null, community: communityOf(hallUnit.find((h) => h.hallId === p.hallId)!.unitId) })),
    ];
    for (const w of checks) {
      const text = [w.title, w.description, w.address].join(" ");
      for (const a of alleyRows.filter((x) => text.includes(x.name))) {
        if (w.subdistrictId !== null) expect.soft(a.subdistrictId, `${w.title}: ${a.name} is in another subdistrict`).toBe(w.subdistrictId);
        const elsewhere = [...homes].some(([c, names]) => c !== w.community && names.has(a.name));
        if (w.community !== null && elsewhere) expect.soft(homes.get(w.community)?.has(a.name), `${w.title}: ${a.name} is another community's street`).toBe(true);
      }
    }

    // Every kind of vote, listed on the hall's page: open and secret, running and decided, members' and households'.
    const shijiaHall = hallUnit.find((h) => h.unitId === unit("史家社区").id)!;
    const listed = (await hallPage(visitor, shijiaHall.hallId, new URLSearchParams())).votes;
    const kinds = (secret: boolean, electorate: string, state: string) => listed.filter((v) => v.secret === secret && v.electorate === electorate && v.state === state);
    expect.soft(kinds(false, "members", "open"), "an open-ballot vote running").not.toHaveLength(0);
    expect.soft(kinds(false, "members", "closed").filter((v) => v.outcome), "an open-ballot vote decided").not.toHaveLength(0);
    expect.soft(kinds(true, "members", "open"), "a secret vote running").not.toHaveLength(0);
    expect.soft(kinds(true, "members", "closed").filter((v) => v.outcome), "a secret vote counted").not.toHaveLength(0);
    expect.soft(listed.filter((v) => v.electorate === "households"), "a households' vote").not.toHaveLength(0);
    // A decided open-ballot vote's result is what counting its ballots gives.
    for (const v of await db().select().from(votes).where(sql`${votes.state} = 'closed' and not ${votes.secret}`)) {
      const t = await countVote(db(), v);
      expect.soft(v.result?.counts, v.question).toEqual(t.counts);
      expect.soft(v.result?.ballots, v.question).toBe(t.ballots);
    }

    // Six months of whistles in 朝阳门街道, with rates that change from month to month; the running counts agree with a recount.
    const thisMonth = monthOfKey(localMonth(new Date(), process.env.TIME_ZONE ?? "Asia/Shanghai"));
    const trend = await rateTrend(db(), unit("朝阳门街道").path, thisMonth, 6);
    for (const m of trend) expect.soft(m.dispatched, `whistles dispatched in ${m.month}`).toBeGreaterThan(0);
    expect.soft(new Set(trend.map((m) => m.satisfactionRate)).size, "satisfaction varies").toBeGreaterThan(1);
    expect.soft(new Set(trend.map((m) => m.responseRate)).size, "response varies").toBeGreaterThan(1);
    const { rows, stale } = await recountRates(db());
    const key = (r: { month: string; subdistrictId: number; departmentId: number }) => `${r.month}:${r.subdistrictId}:${r.departmentId}`;
    const sorted = <T extends { month: string; subdistrictId: number; departmentId: number }>(xs: T[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
    expect.soft(stale.size, "assignments whose stored bits are stale").toBe(0);
    expect.soft(sorted(await db().select().from(whistleRateCounts))).toEqual(sorted(rows));

    // A community has a dashboard of the whistles it raised, with a history; a courtyard leads to its community's.
    const shijia = await dashboardOf(unit("史家社区").id);
    expect.soft(shijia.raised).toBe(true);
    expect.soft(shijia.trend.filter((m) => m.dispatched > 0).length, "史家社区's months with whistles").toBeGreaterThanOrEqual(4);
    expect.soft(shijia.rows.length).toBeGreaterThan(0);
    const courtyard = await dashboardOf(unit("史家胡同 24 号院").id).catch((e: unknown) => e);
    expect.soft(courtyard instanceof Response && courtyard.status === 302 && courtyard.headers.get("Location")).toBe(`/dashboards/units/${unit("史家社区").id}`);

    // The login page's people: every account in a group, and the 48 neighbours are who the seed made.
    for (const a of demoAccounts) expect.soft(demoGroups).toContain(demoGroupOf[a.role]);
    const made = await db().select({ username: users.username, displayName: users.displayName }).from(users).where(sql`${users.username} like 'neighbour%'`).orderBy(users.username);
    expect.soft(made).toEqual(demoNeighbours.map((n) => ({ username: n.username, displayName: n.displayName })));
  }, 180_000);
});

describe("the demo's service projects", () => {
  it("has one completed, one open and one being evaluated, each sealed and opened with the committee's real keys", async () => {
    await seedDemoIfEmpty(db());
    const rows = await db().select().from(projects).where(sql`${projects.title} like '史家%'`).orderBy(projects.id);
    expect(rows.map((p) => p.status)).toEqual(["completed", "open", "evaluating"]);
    const [done, open, evaluating] = rows as [typeof projects.$inferSelect, typeof projects.$inferSelect, typeof projects.$inferSelect];

    // The open call's one bid is sealed: nothing of it is readable, and the count says one.
    const [sealedBid] = await db().select().from(bids).where(eq(bids.projectId, open.id));
    expect(open.bidCount).toBe(1);
    expect(sealedBid!.contents).toBeNull();
    expect(JSON.stringify(sealedBid!.sealed)).not.toContain("老师");

    // The opened bids open again from the sealed data and the two members' published partials.
    for (const p of [done, evaluating]) {
      const openers = await db().select().from(projectOpeners).where(eq(projectOpeners.projectId, p.id));
      const came = openers.filter((o) => o.partials !== null);
      expect(came.map((o) => o.index).sort()).toEqual([1, 2]);
      for (const b of await db().select().from(bids).where(eq(bids.projectId, p.id))) {
        for (const o of came) expect(verifyPartialOpen(p.id, b.id, o.verificationKey!, b.sealed!.R, o.partials![String(b.id)]!)).toBe(true);
        const plain = await openBid(p.id, b.organizationId, b.sealed!, came.map((o) => ({ index: o.index, partial: o.partials![String(b.id)]! })));
        expect(JSON.parse(new TextDecoder().decode(plain))).toEqual(b.contents);
      }
    }

    // The completed one: an award, its milestones judged and paid within the price, residents' ratings.
    const milestones = await db().select().from(projectMilestones).where(eq(projectMilestones.projectId, done.id));
    const [award] = await db().select().from(bids).where(eq(bids.id, done.awardBidId!));
    expect(milestones.map((m) => m.status)).toEqual(["met", "met", "partially_met"]);
    const paid = milestones.reduce((s, m) => s + (m.paidAmount ?? 0), 0);
    expect(paid).toBeGreaterThan(0);
    expect(paid).toBeLessThanOrEqual(award!.price!);
    expect((await db().select().from(projectRatings).where(eq(projectRatings.projectId, done.id))).length).toBeGreaterThan(0);

    // Each one's open data validates.
    const valid = ocdsValidator();
    for (const p of rows) {
      const response = await ocdsProject.loader({ request: new Request(`http://localhost/ocds/projects/${p.id}.json`), params: { id: String(p.id) }, context } as never);
      expect.soft(valid(JSON.parse(await (response as Response).text())), `project ${p.id}`).toEqual([]);
    }

    // The one being evaluated has work for its panel: one evaluator submitted, one declared, one not begun.
    const panel = await db().select().from(projectEvaluators).where(eq(projectEvaluators.projectId, evaluating.id));
    expect(panel.map((e) => [e.declaredAt !== null, e.submittedAt !== null]).sort()).toEqual([
      [false, false],
      [true, false],
      [true, true],
    ]);
  }, 180_000);
});
