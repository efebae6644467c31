import { randomUUID } from "node:crypto";
import type { PledgeCategory } from "#db/schema/pledges";
import { postWish } from "~/modules/wishes/commands.server";
import type { PostWishInput } from "~/modules/wishes/schemas";
import { actorOf, buildPledgeWorld, NOW, type PledgeWorld } from "./pledge-world";

export { actorOf, NOW };
export const buildWishWorld = buildPledgeWorld;
export type WishWorld = PledgeWorld;

/** The person a test wish is for: none of it may reach a public page. */
export const PERSON = { fullName: "王秀英", address: "史家胡同甲5号院3门101", phone: "13911112222", consentBy: "女儿 李梅（监护人）" };

export const wishInput = (unitId: number, extra: Partial<PostWishInput> = {}): PostWishInput => ({
  clientKey: randomUUID(),
  unitId,
  category: "serving_people" as PledgeCategory,
  text: "想要一副老花镜，看报纸方便些",
  fullName: PERSON.fullName,
  honorific: "nainai",
  address: PERSON.address,
  phone: PERSON.phone,
  consent: true,
  consentBy: PERSON.consentBy,
  ...extra,
});

/** A wish in community C, posted by its worker. */
export async function wishIn(w: WishWorld, extra: Partial<PostWishInput> = {}) {
  return postWish(await actorOf(w.people.communityWorker.id), wishInput(w.c.id, extra), NOW);
}
