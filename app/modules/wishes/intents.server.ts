import { redirect } from "@remix-run/node";
import { intentsFor } from "~/lib/intents.server";
import type { Actor } from "~/modules/identity/actor";
import { claimWish, confirmWish, fulfilWish, postWish, releaseClaim, sendBackWish, withdrawWish } from "./commands.server";
import { claimSchema, fulfilSchema, noFields, postWishSchema, reasonSchema } from "./schemas";

const onWish = intentsFor<{ actor: Actor; wishId: number }>();

/** Every form of a wish's page: its intent → the fields it must carry → the command it runs. */
export const wishIntents = {
  claim: onWish(claimSchema, ({ actor, wishId }, v) => claimWish(actor, { wishId, as: v.as })),
  release: onWish(reasonSchema, ({ actor, wishId }, v) => releaseClaim(actor, { wishId, reason: v.reason })),
  fulfil: onWish(fulfilSchema, ({ actor, wishId }, v) => fulfilWish(actor, { wishId, note: v.note })),
  confirm: onWish(noFields, ({ actor, wishId }) => confirmWish(actor, { wishId })),
  sendBack: onWish(reasonSchema, ({ actor, wishId }, v) => sendBackWish(actor, { wishId, reason: v.reason })),
  withdraw: onWish(reasonSchema, ({ actor, wishId }, v) => withdrawWish(actor, { wishId, reason: v.reason })),
};

const onNew = intentsFor<{ actor: Actor }>();

/** The staff's form to post a wish; it goes on to the wish's page. */
export const newWishIntents = {
  post: onNew(postWishSchema, async ({ actor }, v) => {
    const wish = await postWish(actor, v);
    throw redirect(`/wishes/${wish.id}`);
  }),
};
