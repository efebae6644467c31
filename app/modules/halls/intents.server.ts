import { z } from "zod";
import { idField } from "~/lib/input";
import { intentsFor } from "~/lib/intents.server";
import type { Actor } from "~/modules/identity/actor";
import { decideApplication, joinHall, leaveHall } from "./commands.server";

const intent = intentsFor<{ actor: Actor; hallId: number }>();
const decision = z.object({ memberId: idField(), reason: z.string().trim().max(500, `validation.tooLong|{"max":500}`).default("") });

/** The hall page's forms: joining or leaving, and a convener's decision on an application. */
export const hallIntents = {
  join: intent(z.object({}), ({ actor, hallId }) => joinHall(actor, hallId)),
  leave: intent(z.object({}), ({ actor, hallId }) => leaveHall(actor, hallId)),
  approve: intent(decision, ({ actor, hallId }, v) => decideApplication(actor, { hallId, ...v, approve: true })),
  refuse: intent(decision, ({ actor, hallId }, v) => decideApplication(actor, { hallId, ...v, approve: false })),
};
