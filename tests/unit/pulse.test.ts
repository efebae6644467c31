import { afterEach, describe, expect, it } from "vitest";
import { isPublicRoom, type OutboxMessage } from "#realtime/events";
import { onPublish, publish } from "#realtime/publish.server";
import { changesHome, startPulse } from "#realtime/pulse.server";

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

/** Every `home:changed` published while the pulse runs. */
function pulses() {
  const heard: number[] = [];
  stops.push(onPublish((room, message) => void (room === "home" && message.event === "home:changed" && heard.push(Date.now()))));
  return heard;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const proposalNews = (id: number): OutboxMessage => ({ room: `proposal:${id}`, event: "proposal:changed", args: [{ proposalId: id, hallId: 1, state: "open", seconds: 1, secondsRequired: 5, rev: id }] });

describe("the district's pulse", () => {
  it("turns a burst of news into one home:changed after the delay, and news after it into another", async () => {
    const heard = pulses();
    stops.push(startPulse(40, publish));
    for (let i = 0; i < 50; i++) publish(proposalNews(i));
    expect(heard).toHaveLength(0);
    await sleep(80);
    expect(heard).toHaveLength(1);
    publish({ room: "vote:3", event: "vote:changed", args: [{ voteId: 3, state: "open", ballots: 9, counts: null }] });
    await sleep(80);
    expect(heard).toHaveLength(2);
  });

  it("ignores news the home page does not show, and a whistle's copies in other rooms", () => {
    expect(changesHome("whistle:4", { room: "whistle:4", event: "whistle:changed", args: [{ whistleId: 4, proposalId: 2 }] })).toBe(true);
    expect(changesHome("proposal:2", { room: "proposal:2", event: "whistle:changed", args: [{ whistleId: 4, proposalId: 2 }] })).toBe(false);
    expect(changesHome("user:1", { room: "user:1", event: "notification:new", args: [{ id: 1, kind: "k", params: {}, link: null, createdAt: "" }] })).toBe(false);
    expect(changesHome("activity:1", { room: "activity:1", event: "activity:changed", args: [{ activityId: 1, roles: [] }] })).toBe(false);
  });

  it("stops when told, and the home room is one anyone may watch", async () => {
    const heard = pulses();
    const stop = startPulse(20, publish);
    publish(proposalNews(1));
    stop();
    await sleep(50);
    expect(heard).toHaveLength(0);
    expect(isPublicRoom("home")).toBe(true);
    expect(isPublicRoom("homes")).toBe(false);
    expect(isPublicRoom("home:1")).toBe(false);
  });
});
