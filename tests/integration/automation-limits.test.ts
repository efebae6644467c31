import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { positions } from "#db/schema";
import { changePassword, login, LOGIN_LIMIT_PER_ACCOUNT, register, REGISTER_LIMIT_PER_IP } from "~/modules/identity/commands.server";
import { loadActor } from "~/modules/identity/actor.server";
import { registerSchema } from "~/modules/identity/schemas";
import { commentPayload, createProposal, openDebate, postComment, secondProposal } from "~/modules/proposals/commands.server";
import { createUser, TEST_PASSWORD } from "../support/factories";
import { buildHallWorld } from "../support/hall-world";
import { buildWhistleWorld, directWhistle } from "../support/whistle-world";
import { getWhistlePage } from "~/modules/whistles/queries.server";

/** Login, registration and password change resist automation (issue 12 §4). */
describe("login limit on the normalised account name", () => {
  it("after the limit, variants of the name are refused too, even with the right password", async () => {
    await createUser({ username: "neighbour40", displayName: "邻居" });
    for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT.max; i++) {
      expect(await login({ identifier: "neighbour40", password: `wrong-guess-${i}`, ip: `10.40.0.${i}` })).toEqual({ ok: false, reason: "invalid" });
    }
    for (const variant of ["neighbour-40", "NEIGHBOUR 40", " Neighbour40 ", "ｎｅｉｇｈｂｏｕｒ４０", "neighbour40"]) {
      expect(await login({ identifier: variant, password: TEST_PASSWORD, ip: "10.40.1.1" }), variant).toMatchObject({ ok: false, reason: "rate_limited" });
    }
  });

  it("fifteen parallel wrong passwords: at most the limit are evaluated", async () => {
    await createUser({ username: "burst", displayName: "邻居" });
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => login({ identifier: "burst", password: `wrong-guess-${i}`, ip: `10.41.0.${i}` })));
    const evaluated = results.filter((r) => !r.ok && r.reason === "invalid").length;
    const limited = results.filter((r) => !r.ok && r.reason === "rate_limited").length;
    expect(evaluated).toBe(LOGIN_LIMIT_PER_ACCOUNT.max);
    expect(limited).toBe(15 - LOGIN_LIMIT_PER_ACCOUNT.max);
  });

  it("a success gives the address its attempt back and forgets the account's failures", async () => {
    await createUser({ username: "steady", displayName: "邻居" });
    await login({ identifier: "steady", password: "wrong-guess", ip: "10.42.0.1" });
    expect(await login({ identifier: "steady", password: TEST_PASSWORD, ip: "10.42.0.1" })).toMatchObject({ ok: true });
    for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT.max; i++) expect((await login({ identifier: "steady", password: `wrong-${i}`, ip: "10.42.0.1" })).ok).toBe(false);
    expect(await login({ identifier: "steady", password: TEST_PASSWORD, ip: "10.42.0.1" })).toMatchObject({ reason: "rate_limited" });
  });
});

describe("registration limits", () => {
  it("per address: one account more than the limit from one address within the hour is refused", async () => {
    for (let i = 0; i < REGISTER_LIMIT_PER_IP.max; i++) {
      await register({ displayName: `新人${i}`, account: `newcomer${i}`, password: "hutong2026", ip: "10.50.0.1" });
    }
    await expect(register({ displayName: "新人", account: "latecomer", password: "hutong2026", ip: "10.50.0.1" })).rejects.toMatchObject({ messageKey: "auth.register.tooMany" });
    // Another address is not affected.
    await expect(register({ displayName: "新人", account: "latecomer", password: "hutong2026", ip: "10.50.0.2" })).resolves.toMatchObject({ userId: expect.any(Number) });
  });

  it("per account name: probing one name from many addresses is refused after the limit", async () => {
    await register({ displayName: "甲", account: "takenname", password: "hutong2026", ip: "10.51.0.0" });
    for (let i = 1; i < 5; i++) {
      await expect(register({ displayName: "乙", account: "TAKEN-NAME", password: "hutong2026", ip: `10.51.0.${i}` })).rejects.toMatchObject({ messageKey: "validation.account.taken" });
    }
    await expect(register({ displayName: "乙", account: "takenname", password: "hutong2026", ip: "10.51.0.9" })).rejects.toMatchObject({ messageKey: "auth.register.tooMany" });
  });
});

describe("the current-password check on /settings", () => {
  it("is limited per account: after five wrong ones even the right one waits", async () => {
    const user = await createUser();
    const attempt = (currentPassword: string, ip: string) => changePassword({ userId: user.id, sessionId: "s", currentPassword, newPassword: "newpass2026", ip });
    for (let i = 0; i < 5; i++) await expect(attempt(`wrong-${i}`, `10.60.0.${i}`)).rejects.toMatchObject({ messageKey: "auth.password.wrongCurrent" });
    await expect(attempt(TEST_PASSWORD, "10.60.1.1")).rejects.toMatchObject({ messageKey: "auth.password.tooManyChecks", field: "currentPassword" });
  });

  it("is limited per address across accounts", async () => {
    for (let i = 0; i < 30; i++) {
      const u = await createUser();
      await expect(changePassword({ userId: u.id, sessionId: "s", currentPassword: "wrong", newPassword: "newpass2026", ip: "10.61.0.1" })).rejects.toMatchObject({ messageKey: "auth.password.wrongCurrent" });
    }
    const u = await createUser();
    await expect(changePassword({ userId: u.id, sessionId: "s", currentPassword: TEST_PASSWORD, newPassword: "newpass2026", ip: "10.61.0.1" })).rejects.toMatchObject({ messageKey: "auth.password.tooManyChecks" });
  });
});

describe("display names and staff", () => {
  it("refuses control, invisible and direction-override characters in a display name", () => {
    const errors = (displayName: string) => {
      const r = registerSchema.safeParse({ displayName, account: "someone", password: "hutong2026", confirmPassword: "hutong2026" });
      return r.success ? [] : (r.error.flatten().fieldErrors.displayName ?? []);
    };
    expect(errors("王秀兰")).toEqual([]);
    expect(errors("李\u202e娟")).toEqual(["validation.displayName.invalid"]);
    expect(errors("李\u2067娟")).toEqual(["validation.displayName.invalid"]);
    expect(errors("李\u200b娟")).toEqual(["validation.displayName.invalid"]);
    expect(errors("李\u0007娟")).toEqual(["validation.displayName.invalid"]);
  });

  it("a comment by a staff member carries their account name for the verified badge; a resident's does not", async () => {
    const w = await buildHallWorld();
    const actor = (id: number) => loadActor(db(), id);
    const p = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "楼道堆物清理", body: "楼道里堆满杂物，消防隐患很大。", categoryCode: "parking", publish: true, clientKey: "staff-badge-p" });
    for (const m of w.members.slice(0, 3)) await secondProposal(await actor(m.id), p.id);
    await openDebate(await actor(w.convener.id), p.id);
    const resident = await postComment(await actor(w.members[0]!.id), { proposalId: p.id, stance: "support", body: "支持", clientKey: "staff-badge-1" });
    expect(resident.staffAccount).toBeNull();
    // The convener takes a staff position: their comments now say so, with the account name.
    await db().insert(positions).values({ userId: w.convener.id, kind: "community_worker", unitId: w.c.id });
    const staff = await postComment(await actor(w.convener.id), { proposalId: p.id, stance: "neutral", body: "周五下午统一清理", clientKey: "staff-badge-2" });
    expect(staff.staffAccount).toBe("convener");
    expect((await commentPayload(db(), staff.id)).staffAccount).toBe("convener");
    expect((await commentPayload(db(), resident.id)).staffAccount).toBeNull();
  });

  it("on a whistle's public timeline, staff who act carry their account name for the verified badge", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w);
    const page = await getWhistlePage(db(), whistle.id);
    const dispatched = page!.events.find((e) => e.e.kind === "dispatched");
    expect(dispatched?.actorName).toBe(w.people.subdistrictOfficer.displayName);
    expect(dispatched?.staffAccount).toBe(w.people.subdistrictOfficer.username);
  });
});
