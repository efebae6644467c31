import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { bids, projects } from "#db/schema";
import type { Actor } from "~/modules/identity/actor";
import { getReceipts, readBid, submitBid, withdrawBid } from "~/modules/projects/bids.server";
import { getOpenerWork, publishOpenerKeys } from "~/modules/projects/ceremony.server";
import { getOpeningWork, submitOpening } from "~/modules/projects/opening.server";
import { projectRules } from "~/modules/projects/permissions";
import { partialOpen, sealBid } from "~/modules/projects/seal";
import { encodeContents } from "~/modules/projects/bid-schemas";
import { projectContext } from "~/modules/votes/crypto";
import { tellerStart, unlockShare } from "~/modules/votes/tellers";
import { buildBidWorld, clientKey, closeCall, makeCall, openAs, publishCall, runOpeningCeremony, sampleContents, sealAndSubmit, type BidWorld } from "../support/committee";
import { permissionMatrix, type Row } from "../support/matrix";
import { CHEAP_VAULT, passphraseOf } from "../support/tellers";

/**
 * Sealed bids' actions × every role, through the real commands and queries
 * (tests/support/matrix.ts): project:bid, project:open, project:readBid. The
 * committee is the community's worker and two residents' representatives
 * ("opener" is one of them); the bidder is 阳光社工 ("orgAdmin", with a plain
 * member "orgMember"); "rivalAdmin" runs another verified organisation.
 */
type Role = "visitor" | "resident" | "orgAdmin" | "orgMember" | "rivalAdmin" | "communityWorker" | "otherCommunityWorker" | "subdistrictOfficer" | "districtAdmin" | "opener";
interface W {
  w: BidWorld;
  key: string;
}
const { only, rows } = permissionMatrix<W, Role>({
  roles: ["visitor", "resident", "orgAdmin", "orgMember", "rivalAdmin", "communityWorker", "otherCommunityWorker", "subdistrictOfficer", "districtAdmin", "opener"],
  world: async () => {
    const w = await buildBidWorld();
    const key = await runOpeningCeremony(w.project.id, w.openers);
    await publishCall(w.project.id);
    return { w, key };
  },
  people: ({ w }) => ({
    resident: w.people.resident.id,
    orgAdmin: w.people.orgAdmin.id,
    orgMember: w.orgMember.id,
    rivalAdmin: w.otherAdmin.id,
    communityWorker: w.people.communityWorker.id,
    otherCommunityWorker: w.people.otherCommunityWorker.id,
    subdistrictOfficer: w.people.subdistrictOfficer.id,
    districtAdmin: w.people.districtAdmin.id,
    opener: w.rep1.id,
  }),
});

const submitFor = async ({ w, key }: W, a: Actor) => {
  const s = await sealBid(w.project.id, w.org.id, key, encodeContents(sampleContents()));
  return () => submitBid(a, { projectId: w.project.id, organizationId: w.org.id, sealed: s.sealed, fileDigests: [], clientKey: clientKey() });
};

/** The world's bid from 阳光社工, submitted by its admin. */
const aBid = ({ w, key }: W) => sealAndSubmit(w.people.orgAdmin.id, w.project.id, w.org.id, key, sampleContents());

const cases: Row<W, Role>[] = [
  { action: "submit or revise a sealed bid for an organisation", rule: "project:bid", expected: only({ orgAdmin: "allow" }), attempt: submitFor },
  {
    action: "withdraw an organisation's bid",
    rule: "project:bid",
    expected: only({ orgAdmin: "allow" }),
    attempt: async (world, a) => {
      await aBid(world);
      return () => withdrawBid(a, { projectId: world.w.project.id, organizationId: world.w.org.id, clientKey: clientKey() });
    },
  },
  {
    action: "bid after the deadline (refused by the server's clock, after the permission)",
    rule: "project:bid",
    expected: only({ orgAdmin: "refuse" }),
    attempt: async (world, a) => {
      const s = await sealBid(world.w.project.id, world.w.org.id, world.key, encodeContents(sampleContents()));
      return () =>
        submitBid(a, { projectId: world.w.project.id, organizationId: world.w.org.id, sealed: s.sealed, fileDigests: [], clientKey: clientKey() }, new Date(world.w.project.bidDeadline.getTime() + 1));
    },
  },
  {
    action: "take a step of the opening committee's key ceremony",
    rule: "project:open",
    expected: only({ communityWorker: "allow", opener: "allow" }),
    attempt: async ({ w }, a) => {
      const call = await makeCall(w, w.openers);
      const s = await tellerStart(projectContext(call.id), 2, "a passphrase long enough", CHEAP_VAULT);
      return () => publishOpenerKeys(a, { projectId: call.id, ...s });
    },
  },
  {
    action: "publish partial openings after the deadline",
    rule: "project:open",
    // The worker's partial is the first of two; the opener's opens the bids.
    expected: only({ communityWorker: "allow", opener: "allow" }),
    attempt: async (world, a) => {
      const { w } = world;
      const [p] = await db().select().from(projects).where(eq(projects.id, w.project.id));
      if (p!.bidCount === 0) {
        await aBid(world);
        await closeCall(w.project.id);
      }
      const member = a.userId !== null && w.openers.includes(a.userId) ? a.userId : w.rep2.id;
      const secret = await unlockShare(projectContext(w.project.id), passphraseOf(member), (await getOpenerWork(db(), w.project.id, member))!.me.shareVault!);
      const partials = Object.fromEntries((await getOpeningWork(db(), w.project.id)).map((b) => [String(b.id), partialOpen(w.project.id, b.id, secret, b.R)]));
      return () => submitOpening(a, { projectId: w.project.id, partials });
    },
  },
  {
    action: "read a bid before the opening (its own organisation only; never contents)",
    rule: "project:readBid",
    expected: only({ orgAdmin: "allow", orgMember: "allow" }),
    attempt: async (world, a) => {
      const bid = await aBid(world);
      return () => readBid(db(), a, bid.bidId);
    },
  },
  {
    action: "read a bid after the opening (and the buyer's staff)",
    rule: "project:readBid",
    expected: only({ orgAdmin: "allow", orgMember: "allow", communityWorker: "allow", subdistrictOfficer: "allow" }),
    attempt: async (world, a) => {
      const { w } = world;
      const [p] = await db().select().from(projects).where(eq(projects.id, w.project.id));
      if (!p!.openedAt) {
        await aBid(world);
        await closeCall(w.project.id);
        await openAs(w.project.id, w.openers[0]!);
        await openAs(w.project.id, w.openers[1]!);
      }
      const [bid] = await db().select({ id: bids.id }).from(bids).where(eq(bids.projectId, w.project.id));
      return () => readBid(db(), a, bid!.id);
    },
  },
  {
    action: "read an organisation's receipts",
    rule: "project:readBid",
    expected: only({ orgAdmin: "allow", orgMember: "allow" }),
    attempt: async (world, a) => {
      await aBid(world);
      return () => getReceipts(db(), a, world.w.project.id, world.w.org.id);
    },
  },
];

rows("permission matrix: sealed bids and the opening", cases, {
  actions: Object.keys(projectRules),
  elsewhere: {
    "project:create": "tests/integration/projects-permissions.test.ts (projects-call)",
    "project:manage": "tests/integration/projects-permissions.test.ts (projects-call)",
    "project:ask": "tests/integration/projects-permissions.test.ts (projects-call)",
    "project:evaluate": "tests/integration/projects-permissions.test.ts (projects-call)",
    "project:object": "tests/integration/projects-permissions.test.ts (projects-call)",
    "project:report": "tests/integration/contract-permissions.test.ts (projects-delivery)",
    "project:rate": "tests/integration/contract-permissions.test.ts (projects-delivery)",
  },
});
