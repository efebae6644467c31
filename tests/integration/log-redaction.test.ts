import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { db } from "#db/client.server";
import { users } from "#db/schema";
import { handleError } from "~/entry.server";
import { safeError, statementName } from "~/lib/log.server";

/** No parameters in logs (issue 12 §7): a failed query is logged by its statement's name. */
const HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0c2FsdA$bm90LWEtcmVhbC1oYXNoLWJ1dC1jbG9zZQ";

async function failedInsert(): Promise<unknown> {
  await db().insert(users).values({ displayName: "甲", username: "dupe_name", passwordHash: HASH });
  try {
    await db().insert(users).values({ displayName: "乙", username: "dupe_name", passwordHash: HASH });
  } catch (error) {
    return error;
  }
  throw new Error("the second insert should have failed");
}

describe("errors in the server log", () => {
  it("a failed query names its statement and never its parameters", async () => {
    const error = await failedInsert();
    expect(String((error as Error).message)).toContain(HASH); // what drizzle puts in the message
    const logged = safeError(error);
    expect(logged).not.toContain(HASH);
    expect(logged).not.toContain("dupe_name");
    expect(logged).toMatch(/^Failed query insert:users#[0-9a-f]{8}: code 23505/);
  });

  it("handleError (every loader, action and render failure) logs the safe form", async () => {
    const error = await failedInsert();
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      handleError(error, { request: new Request("http://localhost/register", { method: "POST" }) });
      const line = spy.mock.calls.map((c) => c.join(" ")).join("\n");
      expect(line).toContain("POST /register failed: Failed query insert:users#");
      expect(line).not.toContain(HASH);
      expect(line).not.toContain("甲");
    } finally {
      spy.mockRestore();
    }
  });

  it("a value in the database's message is blanked", async () => {
    let error: unknown;
    try {
      await db().execute(sql`select ${"not-a-number-secret"}::int`);
    } catch (e) {
      error = e;
    }
    expect(safeError(error)).not.toContain("not-a-number-secret");
    expect(statementName("select 1")).toBe(statementName("select 1"));
    expect(statementName("select 1")).not.toBe(statementName("select 2"));
  });
});
