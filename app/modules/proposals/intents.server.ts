import { redirect } from "@remix-run/node";
import { serverNow } from "~/lib/clock.server";
import { removeStoredPhotos } from "~/lib/images.server";
import { intentsFor } from "~/lib/intents.server";
import type { Actor } from "~/modules/identity/actor";
import { escalateProposal } from "~/modules/whistles/commands.server";
import { escalateSchema } from "~/modules/whistles/schemas";
import {
  declineProposal,
  deleteDraft,
  editComment,
  markSelfHandled,
  moderateComment,
  openDebate,
  postComment,
  publishDraft,
  reportComment,
  secondProposal,
  setFollow,
  withdrawProposal,
  withdrawSecond,
  writeMinutes,
} from "./commands.server";
import {
  commentSchema,
  declineSchema,
  editCommentSchema,
  minutesSchema,
  moderateSchema,
  noFields,
  reportSchema,
  withdrawSchema,
} from "./schemas";

const intent = intentsFor<{ actor: Actor; proposalId: number }>();
const commentId = (_: unknown, v: { commentId: number }) => ({ commentId: v.commentId });

/** Every form of the proposal page: its intent → the fields it must carry → the command it runs. */
export const proposalIntents = {
  second: intent(noFields, ({ actor, proposalId }) => secondProposal(actor, proposalId)),
  unsecond: intent(noFields, ({ actor, proposalId }) => withdrawSecond(actor, proposalId)),
  follow: intent(noFields, ({ actor, proposalId }) => setFollow(actor, proposalId, true)),
  unfollow: intent(noFields, ({ actor, proposalId }) => setFollow(actor, proposalId, false)),
  "publish-draft": intent(noFields, ({ actor, proposalId }) => publishDraft(actor, proposalId)),
  "delete-draft": intent(noFields, async ({ actor, proposalId }) => {
    const gone = await deleteDraft(actor, proposalId);
    await removeStoredPhotos(gone.photoFiles);
    throw redirect(`/halls/${gone.hallId}?deleted=draft`);
  }),
  withdraw: intent(withdrawSchema, ({ actor, proposalId }, v) => withdrawProposal(actor, proposalId, v.reason)),
  "open-debate": intent(noFields, ({ actor, proposalId }) => openDebate(actor, proposalId)),
  escalate: intent(escalateSchema, ({ actor, proposalId }, v) =>
    escalateProposal(actor, proposalId, serverNow(), "subdistrict", v.message),
  ),
  "escalate-stations": intent(escalateSchema, ({ actor, proposalId }, v) =>
    escalateProposal(actor, proposalId, serverNow(), "stations", v.message),
  ),
  "self-handle": intent(noFields, ({ actor, proposalId }) => markSelfHandled(actor, proposalId)),
  decline: intent(declineSchema, ({ actor, proposalId }, v) => declineProposal(actor, { proposalId, ...v })),
  minutes: intent(minutesSchema, ({ actor, proposalId }, v) => writeMinutes(actor, { proposalId, ...v })),
  comment: intent(
    commentSchema,
    ({ actor, proposalId }, v) => postComment(actor, { proposalId, ...v }),
    (comment) => ({ commentId: comment.id }),
  ),
  edit: intent(editCommentSchema, ({ actor }, v) => editComment(actor, v), commentId),
  report: intent(reportSchema, ({ actor }, v) => reportComment(actor, v), commentId),
  hide: intent(moderateSchema, ({ actor }, v) => moderateComment(actor, { ...v, hide: true }), commentId),
  restore: intent(moderateSchema, ({ actor }, v) => moderateComment(actor, { ...v, hide: false }), commentId),
};
