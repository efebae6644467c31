import { z } from "zod";
import { idField } from "~/lib/input";
import { intentsFor } from "~/lib/intents.server";
import type { Actor } from "./actor";
import { respondToInvitation } from "./organizations.server";
import { claimResidency, setPartyBadge, submitPartyReport, withdrawResidencyClaim } from "./residency.server";
import { claimSchema, partyReportSchema } from "./structure-schemas";

const intent = intentsFor<{ actor: Actor }>();
const yes = z.enum(["true", "false"]).default("false");

/** A person's own page (/me): claiming residency, reporting to a community as a Party member (双报到), the badge, invitations. */
export const profileIntents = {
  claim: intent(claimSchema, ({ actor }, v) => claimResidency(actor, v)),
  "withdraw-claim": intent(z.object({ claimId: idField() }), ({ actor }, v) => withdrawResidencyClaim(actor, v.claimId)),
  party: intent(partyReportSchema, ({ actor }, v) => submitPartyReport(actor, v)),
  badge: intent(z.object({ showBadge: yes }), ({ actor }, v) => setPartyBadge(actor, v.showBadge === "true")),
  invitation: intent(z.object({ invitationId: idField(), accept: yes }), ({ actor }, v) => respondToInvitation(actor, { invitationId: v.invitationId, accept: v.accept === "true" })),
};
