import { redirect } from "@remix-run/node";
import { intentsFor } from "~/lib/intents.server";
import type { Actor } from "~/modules/identity/actor";
import { claimNeed, closeNeed, confirmClaim, offerResource, postNeed, releaseClaim, reportClaimDone, withdrawResource } from "./commands.server";
import { claimIdSchema, claimSchema, closeNeedSchema, needSchema, releaseSchema, resourceIdSchema, resourceSchema } from "./schemas";

/** The forms of the three lists (ADR 0027): each intent → the fields it must carry → the command it runs. */

const onNeed = intentsFor<{ actor: Actor; needId: number }>();

/** The need's page: claim it, say a claim is done, confirm, release, close. */
export const needIntents = {
  claim: onNeed(claimSchema, ({ actor, needId }, v) => claimNeed(actor, { needId, as: v.as, amount: v.amount }), (claim) => ({ claimId: claim.id })),
  done: onNeed(claimIdSchema, ({ actor }, v) => reportClaimDone(actor, { claimId: v.claimId })),
  confirm: onNeed(claimIdSchema, ({ actor }, v) => confirmClaim(actor, { claimId: v.claimId })),
  release: onNeed(releaseSchema, ({ actor }, v) => releaseClaim(actor, { claimId: v.claimId, reason: v.reason })),
  close: onNeed(closeNeedSchema, ({ actor, needId }, v) => closeNeed(actor, { needId, reason: v.reason })),
};

const byActor = intentsFor<{ actor: Actor }>();

/** The new-need form: posted, the need's page opens. */
export const newNeedIntents = {
  post: byActor(needSchema, async ({ actor }, v) => {
    const need = await postNeed(actor, v);
    throw redirect(`/needs/${need.id}`);
  }),
};

/** The new-resource form: offered, the community's lists open at its resources. */
export const newResourceIntents = {
  offer: byActor(resourceSchema, async ({ actor }, v) => {
    const resource = await offerResource(actor, v);
    throw redirect(`/units/${resource.unitId}/lists#resources`);
  }),
};

/** The community's lists: take a resource off. */
export const listsIntents = {
  withdrawResource: byActor(resourceIdSchema, ({ actor }, v) => withdrawResource(actor, { resourceId: v.resourceId })),
};
