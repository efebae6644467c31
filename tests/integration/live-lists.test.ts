import { describe, expect, it } from "vitest";
import { isPublicRoom, type OutboxMessage } from "#realtime/events";
import { onPublish } from "#realtime/publish.server";
import {
  claimNeed,
  closeNeed,
  confirmClaim,
  releaseClaim as releaseNeedClaim,
  reportClaimDone,
} from "~/modules/service-lists/commands.server";
import {
  claimWish,
  confirmWish,
  fulfilWish,
  releaseClaim as releaseWishClaim,
  sendBackWish,
  withdrawWish,
} from "~/modules/wishes/commands.server";
import { buildListsWorld, needIn } from "../support/lists-world";
import { actorOf, buildWishWorld, NOW, PERSON, wishIn } from "../support/wish-world";

/** What the commands publish (after their commit) while `run` runs. */
async function published(run: () => Promise<unknown>) {
  const heard: OutboxMessage[] = [];
  const stop = onPublish((_room, message) => heard.push(message));
  try {
    await run();
  } finally {
    stop();
  }
  return heard;
}

describe("live need and wish pages", () => {
  it("hear every change of a need's claims in its room, and nothing for a refused step", async () => {
    const w = await buildListsWorld();
    const need = await needIn(w, { amount: 2 });
    const member = await actorOf(w.people.partyMember.id);
    const worker = await actorOf(w.people.communityWorker.id);
    const room = `need:${need.id}`;
    expect(isPublicRoom(room)).toBe(true);
    const onNeed = (heard: OutboxMessage[]) => heard.filter((m) => m.room === room).map((m) => [m.event, m.args[0]]);

    let claimId = 0;
    expect(
      onNeed(await published(async () => (claimId = (await claimNeed(member, { needId: need.id, as: "self", amount: 1 }, NOW)).id))),
    ).toEqual([["need:changed", { needId: need.id }]]);
    // A second click finds the same claim: nothing changed, nothing said.
    expect(onNeed(await published(() => claimNeed(member, { needId: need.id, as: "self", amount: 1 }, NOW)))).toEqual([]);
    expect(onNeed(await published(() => reportClaimDone(member, { claimId }, NOW)))).toHaveLength(1);
    expect(onNeed(await published(() => confirmClaim(worker, { claimId }, NOW)))).toHaveLength(1);
    // Refused (already confirmed): rolled back, nothing published.
    expect(onNeed(await published(() => releaseNeedClaim(worker, { claimId, reason: "重复认领" }, NOW).catch(() => null)))).toEqual([]);

    const other = await needIn(w, { amount: 3 });
    const claim = await claimNeed(member, { needId: other.id, as: "self", amount: 1 }, NOW);
    expect(
      (await published(() => releaseNeedClaim(member, { claimId: claim.id, reason: "临时出差" }, NOW))).filter(
        (m) => m.room === `need:${other.id}`,
      ),
    ).toHaveLength(1);
    expect(
      (await published(() => closeNeed(worker, { needId: other.id, reason: "居民已自行解决" }, NOW))).filter(
        (m) => m.room === `need:${other.id}`,
      ),
    ).toHaveLength(1);
  });

  it("hear every step of a wish in its room, carrying only the wish's id (never the person)", async () => {
    const w = await buildWishWorld();
    const member = await actorOf(w.people.partyMember.id);
    const worker = await actorOf(w.people.communityWorker.id);
    const wish = await wishIn(w);
    const room = `wish:${wish.id}`;
    expect(isPublicRoom(room)).toBe(true);
    const all: OutboxMessage[] = [];
    const step = async (run: () => Promise<unknown>) => {
      const heard = await published(run);
      all.push(...heard);
      return heard.filter((m) => m.room === room).map((m) => [m.event, m.args[0]]);
    };
    const changed = [["wish:changed", { wishId: wish.id }]];
    expect(await step(() => claimWish(member, { wishId: wish.id, as: "self" }, NOW))).toEqual(changed);
    expect(await step(() => releaseWishClaim(member, { wishId: wish.id, reason: "时间冲突" }, NOW))).toEqual(changed);
    expect(await step(() => claimWish(member, { wishId: wish.id, as: "self" }, NOW))).toEqual(changed);
    expect(await step(() => fulfilWish(member, { wishId: wish.id, note: "已配好老花镜" }, NOW))).toEqual(changed);
    expect(await step(() => fulfilWish(member, { wishId: wish.id, note: "已配好老花镜" }, NOW))).toEqual([]); // a double click
    expect(await step(() => sendBackWish(worker, { wishId: wish.id, reason: "度数不合适" }))).toEqual(changed);
    expect(await step(() => fulfilWish(member, { wishId: wish.id, note: "重新配好" }, NOW))).toEqual(changed);
    expect(await step(() => confirmWish(worker, { wishId: wish.id }, NOW))).toEqual(changed);
    const second = await wishIn(w);
    expect(
      (await published(() => withdrawWish(worker, { wishId: second.id, reason: "本人不再需要" }, NOW))).filter(
        (m) => m.room === `wish:${second.id}`,
      ),
    ).toHaveLength(1);
    // Nothing published on the way named the person.
    const text = JSON.stringify(all);
    for (const secret of [PERSON.fullName, PERSON.address, PERSON.phone, PERSON.consentBy]) expect(text).not.toContain(secret);
  });
});
