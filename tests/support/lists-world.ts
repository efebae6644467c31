import { db } from "#db/client.server";
import { halls, proposals } from "#db/schema";
import type { ProposalState } from "#db/schema/halls";
import { postNeed } from "~/modules/service-lists/commands.server";
import { actorOf, buildPledgeWorld, NOW } from "./pledge-world";

/**
 * The pledge world (a confirmed unit Party organisation, two reported
 * members of community C) plus a hall of C with a proposal in the given state,
 * for the three lists (三张清单).
 */
export async function buildListsWorld(state: ProposalState = "decided_passed") {
  const w = await buildPledgeWorld();
  const [hall] = await db().insert(halls).values({ unitId: w.c.id, name: "史家议事厅" }).returning();
  const [proposal] = await db()
    .insert(proposals)
    .values({ hallId: hall!.id, authorId: w.people.resident.id, title: "楼道堆物清理需要人手", body: "三号楼楼道堆物多年，需要志愿者帮忙清理。", categoryCode: "parking", state, secondsRequired: 3, clientKey: crypto.randomUUID() })
    .returning();
  return { ...w, hall: hall!, proposal: proposal! };
}
export type ListsWorld = Awaited<ReturnType<typeof buildListsWorld>>;

/** A need of community C posted by its worker: `amount` people (or hours). */
export async function needIn(w: ListsWorld, opts: { amount?: number; unit?: "people" | "hours"; category?: "environment" | "education" } = {}) {
  return postNeed(
    await actorOf(w.people.communityWorker.id),
    { unitId: w.c.id, category: opts.category ?? "environment", title: "楼道堆物清理", description: "", whenText: "本周六上午", unit: opts.unit ?? "people", amount: opts.amount ?? 4 },
    NOW,
  );
}
