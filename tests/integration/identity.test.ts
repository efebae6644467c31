import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditEvents, notifications, sessions, users } from "#db/schema";
import { CommandError } from "~/lib/command.server";
import { changePassword, login, LOGIN_LIMIT_PER_ACCOUNT, logoutEverywhere, register } from "~/modules/identity/commands.server";
import { verifyPassword } from "~/modules/identity/password.server";
import {
  ACTIVITY_CHECK_INTERVAL_MS,
  createSession,
  INACTIVITY_TIMEOUT_MS,
  validateSessionToken,
} from "~/modules/identity/sessions.server";
import { createUser, TEST_PASSWORD } from "../support/factories";

describe("newcomer registers", () => {
  it("creates the account with an argon2id hash, a session, a welcome notification and an audit event", async () => {
    const { userId, token } = await register({ displayName: "王秀兰", account: "WangXiuLan", password: "hutong2026" });
    const [user] = await db().select().from(users).where(eq(users.id, userId));
    expect(user).toMatchObject({ displayName: "王秀兰", username: "wangxiulan", phone: null });
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user!.passwordHash, "hutong2026")).toBe(true);
    expect((await validateSessionToken(db(), token))?.userId).toBe(userId);
    expect(await db().select().from(notifications).where(eq(notifications.userId, userId))).toHaveLength(1);
    expect(await db().select().from(auditEvents).where(eq(auditEvents.action, "user:register"))).toHaveLength(1);
  });

  it("registers by phone number, stored as digits", async () => {
    const { userId } = await register({ displayName: "老李", account: "138 0013 8000", password: "hutong2026" });
    const [user] = await db().select().from(users).where(eq(users.id, userId));
    expect(user).toMatchObject({ phone: "13800138000", username: null });
  });

  it("refuses a taken name next to the account field and changes nothing", async () => {
    await register({ displayName: "甲", account: "neighbour", password: "hutong2026" });
    const before = await db().select().from(users);
    const attempt = register({ displayName: "乙", account: "NEIGHBOUR", password: "hutong2027" });
    await expect(attempt).rejects.toBeInstanceOf(CommandError);
    await expect(attempt).rejects.toMatchObject({ messageKey: "validation.account.taken", field: "account" });
    expect(await db().select().from(users)).toHaveLength(before.length);
    expect(await db().select().from(sessions)).toHaveLength(1);
  });
});

describe("person logs in", () => {
  it("logs in with username or phone, and tells other tabs about the new sign-in", async () => {
    const user = await createUser({ username: "laowang", phone: "13900139000" });
    const byName = await login({ identifier: "LaoWang", password: TEST_PASSWORD, ip: "10.0.0.1" });
    const byPhone = await login({ identifier: "139-0013-9000", password: TEST_PASSWORD, ip: "10.0.0.1" });
    expect(byName).toMatchObject({ ok: true, userId: user.id });
    expect(byPhone).toMatchObject({ ok: true, userId: user.id });
    const rows = await db().select().from(notifications).where(eq(notifications.userId, user.id));
    expect(rows.map((n) => n.kind)).toEqual(["notification.newSignIn", "notification.newSignIn"]);
  });

  it("gives the same answer for a wrong password and an unknown account", async () => {
    await createUser({ username: "laowang" });
    expect(await login({ identifier: "laowang", password: "wrong-password1", ip: "10.0.0.2" })).toEqual({ ok: false, reason: "invalid" });
    expect(await login({ identifier: "nobody", password: "wrong-password1", ip: "10.0.0.2" })).toEqual({ ok: false, reason: "invalid" });
  });

  it("locks an account after repeated failures, from any address, even with the right password", async () => {
    await createUser({ username: "target" });
    for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT.max; i++) {
      await login({ identifier: "target", password: "guess" + i, ip: `10.1.0.${i}` });
    }
    const blocked = await login({ identifier: "target", password: TEST_PASSWORD, ip: "10.9.9.9" });
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
    expect((blocked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });

  it("limits failures per address across many accounts", async () => {
    await createUser({ username: "victim" });
    for (let i = 0; i < 30; i++) await login({ identifier: `spray${i}`, password: "x", ip: "10.2.0.1" });
    expect(await login({ identifier: "victim", password: TEST_PASSWORD, ip: "10.2.0.1" })).toMatchObject({ reason: "rate_limited" });
    expect(await login({ identifier: "victim", password: TEST_PASSWORD, ip: "10.2.0.2" })).toMatchObject({ ok: true });
  });
});

describe("sessions", () => {
  it("stores only a hash of the secret", async () => {
    const user = await createUser();
    const { id, token } = await createSession(db(), user.id);
    const [row] = await db().select().from(sessions).where(eq(sessions.id, id));
    const secret = token.split(".")[1]!;
    expect(row!.secretHash).toHaveLength(32);
    expect(Buffer.from(row!.secretHash).toString("utf8")).not.toContain(secret);
  });

  it("treats tampered, malformed and unknown tokens as logged out", async () => {
    const user = await createUser();
    const { token } = await createSession(db(), user.id);
    const [id, secret] = token.split(".") as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a");
    expect(await validateSessionToken(db(), `${id}.${flipped}`)).toBeNull();
    expect(await validateSessionToken(db(), "garbage")).toBeNull();
    expect(await validateSessionToken(db(), `${"x".repeat(24)}.${"y".repeat(24)}`)).toBeNull();
    expect(await validateSessionToken(db(), token)).not.toBeNull();
  });

  it("expires after the inactivity timeout and deletes the row", async () => {
    const user = await createUser();
    const start = new Date("2026-01-01T00:00:00Z");
    const { id, token } = await createSession(db(), user.id, start);
    expect(await validateSessionToken(db(), token, new Date(start.getTime() + INACTIVITY_TIMEOUT_MS))).toBeNull();
    expect(await db().select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
  });

  it("writes the last-verified time at most once an interval, which keeps an active session alive", async () => {
    const user = await createUser();
    const start = new Date("2026-01-01T00:00:00Z");
    const { id, token } = await createSession(db(), user.id, start);
    const lastVerified = async () => (await db().select().from(sessions).where(eq(sessions.id, id)))[0]!.lastVerifiedAt.getTime();

    await validateSessionToken(db(), token, new Date(start.getTime() + ACTIVITY_CHECK_INTERVAL_MS - 1000));
    expect(await lastVerified()).toBe(start.getTime());

    const later = new Date(start.getTime() + INACTIVITY_TIMEOUT_MS - 1000);
    expect(await validateSessionToken(db(), token, later)).not.toBeNull();
    expect(await lastVerified()).toBe(later.getTime());
    // Active a month ago is still alive a month on from then.
    expect(await validateSessionToken(db(), token, new Date(later.getTime() + INACTIVITY_TIMEOUT_MS - 1000))).not.toBeNull();
  });

  it("logs out everywhere", async () => {
    const user = await createUser();
    const a = await createSession(db(), user.id);
    const b = await createSession(db(), user.id);
    await logoutEverywhere(user.id);
    expect(await validateSessionToken(db(), a.token)).toBeNull();
    expect(await validateSessionToken(db(), b.token)).toBeNull();
  });
});

describe("person changes password", () => {
  it("keeps this session, ends the others, and the new password works", async () => {
    const user = await createUser({ username: "mover" });
    const here = await createSession(db(), user.id);
    const elsewhere = await createSession(db(), user.id);
    await changePassword({ userId: user.id, sessionId: here.id, currentPassword: TEST_PASSWORD, newPassword: "newhome2027" });
    expect(await validateSessionToken(db(), here.token)).not.toBeNull();
    expect(await validateSessionToken(db(), elsewhere.token)).toBeNull();
    expect(await login({ identifier: "mover", password: "newhome2027", ip: "10.3.0.1" })).toMatchObject({ ok: true });
  });

  it("refuses a wrong current password next to that field", async () => {
    const user = await createUser();
    const here = await createSession(db(), user.id);
    await expect(
      changePassword({ userId: user.id, sessionId: here.id, currentPassword: "wrong-one1", newPassword: "newhome2027" }),
    ).rejects.toMatchObject({ messageKey: "auth.password.wrongCurrent", field: "currentPassword" });
  });
});
