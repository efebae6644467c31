import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { organizationMembers, organizations, partyReports, positions, residencyClaims } from "#db/schema";
import { authorize } from "~/modules/access";
import { changeMember, createOrganization, decideOrganization, inviteMember } from "~/modules/identity/organizations.server";
import { structureRules } from "~/modules/identity/permissions";
import { assignPosition, revokePosition } from "~/modules/identity/positions.server";
import { claimResidency, decidePartyReport, decideResidencyClaim, submitPartyReport } from "~/modules/identity/residency.server";
import { createUnit, setDutyList, setRosterEntry } from "~/modules/units/commands.server";
import { createUser } from "../support/factories";
import { idsOf, permissionMatrix, type Row } from "../support/matrix";
import { actorFor, buildWorld, roles, type Role, type World } from "../support/world";

/**
 * The permission matrix of structure, people and organisations: every role ×
 * every action, through the real commands against the real database (tests/support/matrix.ts).
 */
const { only, everyoneSignedIn, outcome, rows } = permissionMatrix<World, Role>({ roles, world: buildWorld, people: (w) => idsOf(w.people) });

let counter = 0;
const fresh = () => createUser({ username: `fresh${++counter}_${Math.random().toString(36).slice(2, 7)}` });

const cases: Row<World, Role>[] = [
  {
    action: "claim residency in a community",
    rule: "residency:claim",
    expected: everyoneSignedIn("allow", { resident: "refuse", partyMember: "refuse" }),
    attempt: async (w, a) => () => claimResidency(a, { communityId: w.c2.id, address: "内务部街2号" }),
  },
  {
    action: "verify a residency claim in community C",
    rule: "residency:decide",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow", subdistrictLeader: "allow" }),
    attempt: async (w, a) => {
      const claimant = await fresh();
      const [claim] = await db().insert(residencyClaims).values({ userId: claimant.id, communityId: w.c.id, address: "史家胡同9号" }).returning();
      return () => decideResidencyClaim(a, { claimId: claim!.id, decision: "verify" });
    },
  },
  {
    action: "confirm a Party member report in community C",
    rule: "partyReport:decide",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow", subdistrictLeader: "allow" }),
    attempt: async (w, a) => {
      const member = await fresh();
      const [report] = await db().insert(partyReports).values({ userId: member.id, communityId: w.c.id, workUnit: "某单位", partyOrgName: "某党支部" }).returning();
      return () => decidePartyReport(a, { reportId: report!.id, decision: "confirm" });
    },
  },
  {
    action: "report as an in-service Party member",
    rule: "partyReport:submit",
    expected: everyoneSignedIn("allow", { partyMember: "refuse" }),
    attempt: async (w, a) => () => submitPartyReport(a, { communityId: w.c.id, workUnit: "某单位", partyOrgName: "某党支部", showBadge: false }),
  },
  {
    action: "register an organisation",
    rule: "organization:create",
    expected: everyoneSignedIn(),
    attempt: async (w, a) => () => createOrganization(a, { kind: "merchant_association", name: "商户联合会", unitId: w.s.id }),
  },
  {
    action: "verify a civil-society organisation of subdistrict S",
    rule: "organization:decide",
    expected: only({ subdistrictOfficer: "allow", subdistrictLeader: "allow" }),
    attempt: async (w, a) => {
      const founder = await fresh();
      const [org] = await db().insert(organizations).values({ kind: "social_org", name: "助老服务社", unitId: w.s.id, registrationNumber: "52110101MJ0654321Y", createdBy: founder.id }).returning();
      return () => decideOrganization(a, { organizationId: org!.id, decision: "confirm" });
    },
  },
  {
    action: "confirm a unit Party organisation reporting to community C",
    rule: "organization:decide",
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow", subdistrictLeader: "allow" }),
    attempt: async (w, a) => {
      const founder = await fresh();
      const [org] = await db().insert(organizations).values({ kind: "unit_party_org", name: "某公司党支部", unitId: w.c.id, createdBy: founder.id }).returning();
      return () => decideOrganization(a, { organizationId: org!.id, decision: "confirm" });
    },
  },
  {
    action: "invite a member to an organisation",
    rule: "organization:manage",
    expected: only({ orgAdmin: "allow" }),
    attempt: async (w, a) => {
      const invitee = await fresh();
      return () => inviteMember(a, { organizationId: w.org.id, account: invitee.username!, role: "member" });
    },
  },
  {
    action: "remove the last administrator of an organisation",
    rule: "organization:manage",
    expected: only({ orgAdmin: "refuse" }),
    attempt: async (w, a) => () => changeMember(a, { organizationId: w.org.id, userId: w.people.orgAdmin.id, change: "remove" }),
  },
  {
    action: "assign a community worker position in C",
    rule: "position:assign",
    expected: only({ districtAdmin: "allow" }),
    attempt: async (w, a) => {
      const holder = await fresh();
      return () => assignPosition(a, { account: holder.username!, kind: "community_worker", unitId: w.c.id });
    },
  },
  {
    action: "revoke a position in C2",
    rule: "position:revoke",
    expected: only({ districtAdmin: "allow" }),
    attempt: async (w, a) => {
      const holder = await fresh();
      const [position] = await db().insert(positions).values({ userId: holder.id, kind: "community_worker", unitId: w.c2.id }).returning();
      return () => revokePosition(a, position!.id);
    },
  },
  {
    action: "appoint an alley chief in S",
    rule: ["alley:appointChief", "position:assign"],
    expected: only({ districtAdmin: "allow", subdistrictLeader: "allow" }),
    attempt: async (w, a) => {
      const chief = await fresh();
      return () => assignPosition(a, { account: chief.username!, kind: "alley_chief", alleyId: w.alley.id });
    },
  },
  {
    action: "add a community under S",
    rule: "unit:manage",
    expected: only({ districtAdmin: "allow" }),
    attempt: async (w, a) => () => createUnit(a, { parentId: w.s.id, name: "新社区" }),
  },
  {
    action: "add a community in another district",
    rule: "unit:manage",
    expected: only({}),
    attempt: async (w, a) => () => createUnit(a, { parentId: w.sb.id, name: "新社区" }),
  },
  {
    action: "change the duty list of district A",
    rule: "unit:manage",
    expected: only({ districtAdmin: "allow" }),
    attempt: async (w, a) => () => setDutyList(a, { districtId: w.districtA.id, categoryCode: "parking", lead: ["traffic"], cooperate: ["enforcement"] }),
  },
  {
    action: "set the 1+5+N roster of S",
    rule: "roster:manage",
    expected: only({ districtAdmin: "allow", subdistrictLeader: "allow" }),
    attempt: async (w, a) => () => setRosterEntry(a, { subdistrictId: w.s.id, departmentId: w.team.id, role: "lead", people: [{ name: "王队长" }] }),
  },
  {
    action: "see the address and phone of a resident of C",
    rule: "resident:viewPrivate",
    expected: only({ resident: "allow", communityWorker: "allow", subdistrictOfficer: "allow", subdistrictLeader: "allow" }),
    // The pure check: `authorize` is `can` with a 403.
    attempt: async (w, a) => async () => authorize(a, "resident:viewPrivate", { communityPath: w.c.path, personId: w.people.resident.id }),
  },
];

rows("permission matrix: structure, people and organisations", cases, {
  actions: Object.keys(structureRules),
  elsewhere: {
    "audit:view": "no caller in the app yet",
    "residents:list": "no caller in the app yet",
    "organization:actFor": "no row yet (raising a proposal or commenting for an organisation)",
  },
});

describe("permission matrix: structure, people and organisations", () => {
  it("keeps the organisation's administrator after the refused removal", async () => {
    const world = await buildWorld();
    await outcome(() => actorFor(world, "orgAdmin").then((a) => changeMember(a, { organizationId: world.org.id, userId: world.people.orgAdmin.id, change: "remove" })));
    expect(await db().select().from(organizationMembers)).toHaveLength(1);
  });
});
