import { ForbiddenError } from "~/lib/command.server";
import { claimWish, confirmWish, fulfilWish, postWish, releaseClaim, sendBackWish, withdrawWish } from "~/modules/wishes/commands.server";
import { wishRules } from "~/modules/wishes/permissions";
import { wishPage } from "~/modules/wishes/queries.server";
import { idsOf, permissionMatrix, type Row } from "../support/matrix";
import { actorOf, buildWishWorld, NOW, wishIn, wishInput, type WishWorld } from "../support/wish-world";

/**
 * The permission matrix of micro-wishes (微心愿): every role × every action
 * through the real commands and the page query (tests/support/matrix.ts).
 */
const roles = [
  "visitor",
  "unverified",
  "resident",
  "partyMember",
  "orgAdmin",
  "unitOrgAdmin",
  "communityWorker",
  "otherCommunityWorker",
  "subdistrictOfficer",
  "departmentOfficer",
  "districtAdmin",
] as const;
type Role = (typeof roles)[number];
const { only, rows } = permissionMatrix<WishWorld, Role>({
  roles,
  world: buildWishWorld,
  people: (w) => ({ ...idsOf(w.people), unitOrgAdmin: w.unitOrgAdmin.id }),
});

/** The community's staff, and the subdistrict's above it. */
const staff = only({ communityWorker: "allow", subdistrictOfficer: "allow" });

/** A wish claimed by the Party member (or for the unit Party organisation), and, if asked, marked fulfilled. */
async function claimed(w: WishWorld, opts: { byOrg?: boolean; fulfilled?: boolean } = {}) {
  const wish = await wishIn(w);
  const claimer = await actorOf(opts.byOrg ? w.unitOrgAdmin.id : w.people.partyMember.id);
  await claimWish(claimer, { wishId: wish.id, as: opts.byOrg ? String(w.unitOrg.id) : "self" }, NOW);
  if (opts.fulfilled) await fulfilWish(claimer, { wishId: wish.id, note: "已经送到家中" }, NOW);
  return wish;
}

const cases: Row<WishWorld, Role>[] = [
  {
    action: "post a wish in the community (with the person's consent)",
    rule: "wish:post",
    expected: staff,
    attempt: async (w, a) => () => postWish(a, wishInput(w.c.id), NOW),
  },
  {
    action: "read who a wish is for: name, address, phone, consent",
    rule: "wish:manage",
    expected: staff,
    attempt: async (w, a) => {
      const wish = await wishIn(w);
      return async () => {
        if (!(await wishPage(a, wish.id)).person) throw new ForbiddenError("wish:manage");
      };
    },
  },
  {
    action: "claim a wish as oneself",
    rule: "wish:claim",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => {
      const wish = await wishIn(w);
      return () => claimWish(a, { wishId: wish.id, as: "self" }, NOW);
    },
  },
  {
    action: "claim a wish for a unit Party organisation",
    rule: "wish:claim",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => {
      const wish = await wishIn(w);
      return () => claimWish(a, { wishId: wish.id, as: String(w.unitOrg.id) }, NOW);
    },
  },
  {
    action: "claim a wish for a civil-society organisation (only unit Party organisations claim)",
    rule: "wish:claim",
    expected: only({}),
    attempt: async (w, a) => {
      const wish = await wishIn(w);
      return () => claimWish(a, { wishId: wish.id, as: String(w.org.id) }, NOW);
    },
  },
  {
    action: "mark a member's claimed wish fulfilled",
    rule: "wish:claimer",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => {
      const wish = await claimed(w);
      return () => fulfilWish(a, { wishId: wish.id, note: "已经送到家中" }, NOW);
    },
  },
  {
    action: "mark an organisation's claimed wish fulfilled",
    rule: "wish:claimer",
    expected: only({ unitOrgAdmin: "allow" }),
    attempt: async (w, a) => {
      const wish = await claimed(w, { byOrg: true });
      return () => fulfilWish(a, { wishId: wish.id, note: "单位志愿者已送到" }, NOW);
    },
  },
  {
    action: "give a claim back",
    rule: "wish:claimer",
    expected: only({ partyMember: "allow" }),
    attempt: async (w, a) => {
      const wish = await claimed(w);
      return () => releaseClaim(a, { wishId: wish.id, reason: "临时出差" }, NOW);
    },
  },
  {
    action: "confirm a fulfilled wish",
    rule: "wish:manage",
    expected: staff,
    attempt: async (w, a) => {
      const wish = await claimed(w, { fulfilled: true });
      return () => confirmWish(a, { wishId: wish.id }, NOW);
    },
  },
  {
    action: "send a fulfilment back",
    rule: "wish:manage",
    expected: staff,
    attempt: async (w, a) => {
      const wish = await claimed(w, { fulfilled: true });
      return () => sendBackWish(a, { wishId: wish.id, reason: "本人说还没收到" });
    },
  },
  {
    action: "withdraw a claimed wish",
    rule: "wish:manage",
    expected: staff,
    attempt: async (w, a) => {
      const wish = await claimed(w);
      return () => withdrawWish(a, { wishId: wish.id, reason: "本人撤回了同意" }, NOW);
    },
  },
];

rows("permission matrix: micro-wishes", cases, { actions: Object.keys(wishRules) });
