import { describe, expect, it } from "vitest";
import type { WishStatus } from "#db/schema/wishes";
import { isClosed, mayStep, nextStatus, publicSurname, stepRefusal, wallSections, type WishStep } from "~/modules/wishes/rules";

const statuses: WishStatus[] = ["posted", "claimed", "fulfilled", "confirmed", "withdrawn"];
const steps: WishStep[] = ["claim", "release", "fulfil", "confirm", "sendBack", "withdraw"];

describe("micro-wish states", () => {
  it("opens each step from exactly its states, to its one next state", () => {
    const table = Object.fromEntries(steps.map((s) => [s, Object.fromEntries(statuses.filter((from) => mayStep(from, s)).map((from) => [from, nextStatus(from, s)]))]));
    expect(table).toEqual({
      claim: { posted: "claimed" },
      release: { claimed: "posted" },
      fulfil: { claimed: "fulfilled" },
      confirm: { fulfilled: "confirmed" },
      sendBack: { fulfilled: "claimed" },
      withdraw: { posted: "withdrawn", claimed: "withdrawn" },
    });
    expect(nextStatus("confirmed", "withdraw")).toBeNull();
  });

  it("ends at confirmed or withdrawn, and nothing leaves them", () => {
    expect(statuses.filter(isClosed)).toEqual(["confirmed", "withdrawn"]);
    for (const s of steps) {
      expect(mayStep("confirmed", s)).toBe(false);
      expect(mayStep("withdrawn", s)).toBe(false);
    }
  });

  it("tells a late claimer the wish is taken, and others why the step is closed", () => {
    expect(stepRefusal("claimed", "claim")).toBe("wish.error.taken");
    expect(stepRefusal("withdrawn", "fulfil")).toBe("wish.error.closed");
    expect(stepRefusal("posted", "confirm")).toBe("wish.error.state");
  });

  it("shows every state but withdrawn in one section of the wall", () => {
    expect(Object.values(wallSections).flat().sort()).toEqual(["claimed", "confirmed", "fulfilled", "posted"]);
  });
});

describe("the public surname", () => {
  it("is the first character unless staff type one, and never the given name", () => {
    expect(publicSurname("王秀兰", undefined)).toBe("王");
    expect(publicSurname(" 王秀兰 ", "")).toBe("王");
    expect(publicSurname("欧阳明华", "欧阳")).toBe("欧阳");
    expect(publicSurname("王秀兰", "李")).toBeNull();
    expect(publicSurname("王秀兰", "王秀兰")).toBeNull();
    expect(publicSurname("王芳", "王芳")).toBeNull();
    expect(publicSurname("王", undefined)).toBeNull();
  });
});
