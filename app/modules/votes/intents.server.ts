import { z } from "zod";
import { intentsFor } from "~/lib/intents.server";
import type { Actor } from "~/modules/identity/actor";
import { cancelVote, castBallot, recordPaperBallot } from "./commands.server";
import { paperSchema, parseChoices } from "./schemas";

/**
 * The raw form rides along: choices are read with `parseChoices`, strictly
 * (an empty or made-up choice is "not an option", never silently dropped as
 * Conform's coercion of empty fields would).
 */
const intent = intentsFor<{ actor: Actor; voteId: number; formData: FormData }>();
const choicesOf = (formData: FormData) => parseChoices(formData.getAll("choice"));

/** The vote page's forms without scripts (with them, ballots go through the JSON API, ADR 0013). */
export const voteIntents = {
  cast: intent(
    z.object({}),
    async ({ actor, voteId, formData }) => {
      const choices = choicesOf(formData);
      return { ...(await castBallot(actor, { voteId, choices })), choices };
    },
    (r) => ({ receipt: r.receipt, changed: r.changed, choices: r.choices }),
  ),
  paper: intent(paperSchema, ({ actor, voteId, formData }, v) => {
    const id = Number(v.elector.slice(2));
    return recordPaperBallot(actor, {
      voteId,
      ...(v.elector.startsWith("h") ? { householdId: id } : { residentId: id }),
      choices: choicesOf(formData),
      meeting: v.meeting,
    });
  }),
  cancel: intent(z.object({ reason: z.string().default("") }), ({ actor, voteId }, v) => cancelVote(actor, { voteId, reason: v.reason })),
};
