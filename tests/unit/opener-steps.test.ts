import { describe, expect, it } from "vitest";
import { openerNext, type OpenerWorkView } from "~/components/projects/opener-steps";

/** What an opening-committee member is asked to do next, from what the server relayed. */
const work = (me: Partial<OpenerWorkView["me"]> = {}, peers: Partial<OpenerWorkView["peers"][number]>[] = [{}, {}, {}], openingKey: string | null = null): OpenerWorkView => ({
  threshold: 2,
  openingKey,
  me: { index: 1, setupVault: null, shareVault: null, dealt: false, published: false, confirmed: false, opened: false, ...me },
  peers: peers.map((p, k) => ({ index: k + 1, transportKey: null, commitments: null, dealt: false, ...p })),
  members: [],
  received: [],
});

describe("the opening committee's next step", () => {
  it("walks the key ceremony in order, waiting for the others between steps", () => {
    expect(openerNext(work(), "planning", false)).toBe("publish");
    expect(openerNext(work({ published: true }, [{ transportKey: "a" }, {}, {}]), "planning", false)).toBe("waitKeys");
    expect(openerNext(work({ published: true }, [{ transportKey: "a" }, { transportKey: "b" }, { transportKey: "c" }]), "planning", false)).toBe("deal");
    expect(openerNext(work({ published: true, dealt: true }, [{ transportKey: "a", dealt: true }, {}, {}]), "planning", false)).toBe("waitDeal");
    expect(openerNext(work({ published: true, dealt: true }, [{ dealt: true }, { dealt: true }, { dealt: true }]), "planning", false)).toBe("confirm");
    expect(openerNext(work({ published: true, dealt: true, confirmed: true }), "planning", false)).toBe("waitConfirm");
    expect(openerNext(work({ published: true, dealt: true, confirmed: true }, undefined, "X"), "planning", false)).toBe("waitClose");
  });

  it("opens only after the deadline, once, and never after the opening", () => {
    const ready = work({ published: true, dealt: true, confirmed: true }, undefined, "X");
    expect(openerNext(ready, "open", false)).toBe("waitClose");
    expect(openerNext(ready, "evaluating", false)).toBe("open");
    expect(openerNext({ ...ready, me: { ...ready.me, opened: true } }, "evaluating", false)).toBe("done");
    expect(openerNext(ready, "evaluating", true)).toBe("done");
    expect(openerNext(ready, "awarded", true)).toBe("done");
  });
});
