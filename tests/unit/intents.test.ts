import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CommandError, ForbiddenError } from "~/lib/command.server";
import { firstError, refusal } from "~/lib/intents";
import { intentsFor, performIntent, refuseIntent } from "~/lib/intents.server";

const intent = intentsFor<{ userId: number }>();
const table = {
  add: intent(
    z.object({
      n: z.number({ required_error: "validation.required", invalid_type_error: "validation.number" }),
      itemId: z.number().optional(),
    }),
    async (_ctx, v) => {
      if (v.n < 0) throw new CommandError("item.error.negative", "n");
      if (v.n === 0) throw new CommandError("item.error.nothing");
      return { total: v.n + 1, secret: "stays on the server" };
    },
    (result) => ({ total: result.total }),
  ),
  forbidden: intent(z.object({}), async () => {
    throw new ForbiddenError("nope");
  }),
};
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("one intent table for every form (lib/intents.server.ts)", () => {
  it("runs the command and hands the page only what `data` picks", async () => {
    const r = await performIntent(form({ intent: "add", n: "2" }), table, { userId: 1 });
    expect(r).toMatchObject({ intent: "add", ok: true, data: { total: 3 } });
    expect(JSON.stringify(r)).not.toContain("secret");
    expect(firstError(r)).toBeUndefined();
  });

  it("answers invalid fields and a command's refusal beside their field, keeping what was sent", async () => {
    const missing = await performIntent(form({ intent: "add", n: "" }), table, { userId: 1 });
    expect(missing.ok).toBe(false);
    expect(firstError(missing)).toEqual({ field: "n", message: "validation.required" });
    const refused = await performIntent(form({ intent: "add", n: "-1", itemId: "7" }), table, { userId: 1 });
    expect(refusal(refused)).toMatchObject({ intent: "add", field: "n", message: "item.error.negative", sent: { itemId: "7" } });
    expect(firstError(await performIntent(form({ intent: "add", n: "0" }), table, { userId: 1 }))).toEqual({
      field: "",
      message: "item.error.nothing",
    });
  });

  it("refuses an unknown intent with 400 and a forbidden one with 403", async () => {
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (e: unknown) => (e instanceof Response ? e.status : 500),
      );
    expect(await status(performIntent(form({ intent: "toString" }), table, { userId: 1 }))).toBe(400);
    expect(await status(performIntent(form({}), table, { userId: 1 }))).toBe(400);
    expect(await status(performIntent(form({ intent: "forbidden" }), table, { userId: 1 }))).toBe(403);
  });

  it("refuses a form before any command, beside the named field", () => {
    expect(refusal(refuseIntent(form({ intent: "add", itemId: "4" }), "photos", "photo.error.tooLarge"))).toMatchObject({
      intent: "add",
      field: "photos",
      sent: { itemId: "4" },
    });
  });
});
