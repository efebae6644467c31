import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { contactPoints, deliveries, type users } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { authorize } from "~/modules/access";
import { logEmail, logSms, loggedMessages } from "~/modules/messages/channels.server";
import { removeContact, requestContactCode, retryDeliveries, savePreferences, verifyContact } from "~/modules/messages/commands.server";
import { messageRules } from "~/modules/messages/permissions";
import { deliveryOverview, myMessageSettings } from "~/modules/messages/queries.server";
import { runDeliveries, setChannels } from "~/modules/messages/sender.server";
import * as adminDeliveries from "~/routes/admin.deliveries";
import * as settingsMessages from "~/routes/settings_.messages";
import { createUser } from "../support/factories";
import { idsOf, permissionMatrix, type Row } from "../support/matrix";
import { buildWorld, roles, type Role, type World } from "../support/world";

/**
 * The permission matrix of messages off the site: every role × every action
 * through the real commands (tests/support/matrix.ts), and the pages' own checks.
 */
const { only, everyoneSignedIn, rows } = permissionMatrix<World, Role>({ roles, world: buildWorld, people: (w) => idsOf(w.people) });

const NOON = new Date("2026-12-01T04:00:00Z");
let n = 0;

const cases: Row<World, Role>[] = [
  { action: "see the delivery queue", rule: "deliveries:view", expected: only({ districtAdmin: "allow" }), attempt: (_w, a) => () => deliveryOverview(db(), a) },
  { action: "retry dead letters", rule: "deliveries:retry", expected: only({ districtAdmin: "allow" }), attempt: (_w, a) => () => retryDeliveries(a, {}) },
  { action: "read one's own addresses and choices", rule: "messages:manageOwn", expected: everyoneSignedIn(), attempt: (_w, a) => () => myMessageSettings(db(), a) },
  {
    action: "add an address and get a code",
    rule: "messages:manageOwn",
    expected: everyoneSignedIn(),
    attempt: (_w, a) => () => requestContactCode(a, { channel: "sms", address: `139${String(++n).padStart(8, "0")}` }),
  },
  { action: "enter a code (none sent: refused)", rule: "messages:manageOwn", expected: everyoneSignedIn("refuse"), attempt: (_w, a) => () => verifyContact(a, { channel: "email", code: "123456" }) },
  { action: "remove one's own address", rule: "messages:manageOwn", expected: everyoneSignedIn(), attempt: (_w, a) => () => removeContact(a, { channel: "email" }) },
  {
    action: "save one's own choices",
    rule: "messages:manageOwn",
    expected: everyoneSignedIn(),
    attempt: (_w, a) => () => savePreferences(a, { email: ["votes"], sms: [], quietStart: 1320, quietEnd: 420, digest: false, digestAt: 480 }),
  },
  {
    action: "nobody manages another person's addresses or choices, not even an administrator",
    rule: "messages:manageOwn",
    expected: only({}),
    // The pure check: `authorize` is `can` with a 403.
    attempt: (w, a) => async () => authorize(a, "messages:manageOwn", { ownerId: w.people.resident.id === a.userId ? w.people.partyMember.id : w.people.resident.id }),
  },
];

rows("messages permission matrix", cases, { actions: Object.keys(messageRules) });

type User = typeof users.$inferSelect;
const contextFor = (user: User | null): AppLoadContext => ({
  user: user ? { id: user.id, displayName: user.displayName, locale: null, largeText: false } : null,
  sessionId: user ? "test-session" : null,
  locale: "zh-CN",
  largeText: false,
  secure: false,
  ip: "127.0.0.1",
});
async function statusOf(run: () => unknown): Promise<number | "ok"> {
  try {
    await run();
    return "ok";
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
}
const post = (path: string, fields: Record<string, string>) => new Request(`http://localhost${path}`, { method: "POST", body: new URLSearchParams(fields) });

describe("the pages check on the server", () => {
  it("/admin/deliveries: administrators only, for reading and for retrying", async () => {
    const world = await buildWorld();
    const page = (user: User | null) => adminDeliveries.loader({ request: new Request("http://localhost/admin/deliveries"), params: {}, context: contextFor(user) });
    const retry = (user: User | null) => adminDeliveries.action({ request: post("/admin/deliveries", { intent: "retry-all" }), params: {}, context: contextFor(user) });
    expect(await statusOf(() => page(null))).toBe(302);
    expect(await statusOf(() => page(world.people.resident))).toBe(403);
    expect(await statusOf(() => page(world.people.subdistrictLeader))).toBe(403);
    expect(await statusOf(() => page(world.people.districtAdmin))).toBe("ok");
    expect(await statusOf(() => retry(world.people.departmentOfficer))).toBe(403);
    expect(await statusOf(() => retry(world.people.districtAdmin))).toBe("ok");
  });

  it("/settings/messages shows a person only their own addresses, masked nowhere and shown to nobody else; the admin page masks them", async () => {
    const world = await buildWorld();
    await db().insert(contactPoints).values({ userId: world.people.resident.id, channel: "sms", address: "13812345678", verifiedAt: NOON });
    await db().insert(deliveries).values({ userId: world.people.resident.id, channel: "sms", address: "13812345678", kind: "notification.voteOpened", state: "dead", lastError: "x" });
    const own = await settingsMessages.loader({ request: new Request("http://localhost/settings/messages"), params: {}, context: contextFor(world.people.resident) });
    expect(own.contacts.sms).toMatchObject({ address: "13812345678", verified: true });
    const other = await settingsMessages.loader({ request: new Request("http://localhost/settings/messages"), params: {}, context: contextFor(world.people.districtAdmin) });
    expect(JSON.stringify(other)).not.toContain("13812345678");
    const admin = await adminDeliveries.loader({ request: new Request("http://localhost/admin/deliveries"), params: {}, context: contextFor(world.people.districtAdmin) });
    expect(JSON.stringify(admin)).not.toContain("13812345678");
    expect(admin.dead[0]!.to).toBe("138****5678");
    expect(await statusOf(() => settingsMessages.action({ request: post("/settings/messages", { intent: "preferences" }), params: {}, context: contextFor(null) }))).toBe(401);
  });

  it("a bad address or time gets a message beside its field, not a 500", async () => {
    const user = await createUser();
    const result = await settingsMessages.action({ request: post("/settings/messages", { intent: "send-code", channel: "sms", address: "12345" }), params: {}, context: contextFor(user) });
    expect(result.result?.error).toEqual({ address: ["messages.error.badPhone"] });
    const prefs = await settingsMessages.action({
      request: post("/settings/messages", { intent: "preferences", quietStart: "25:00", quietEnd: "07:00", digestAt: "08:00" }),
      params: {},
      context: contextFor(user),
    });
    expect(prefs.result?.error).toEqual({ quietStart: ["messages.error.badTime"] });
  });
});

describe("verifying an address by code", () => {
  beforeEach(() => setChannels({ email: logEmail(), sms: logSms() }));
  afterEach(() => setChannels(undefined));

  it("sends a code through the outbox, counts wrong guesses, verifies with the right one and then forgets it", async () => {
    const user = await createUser();
    const actor = await loadActor(db(), user.id);
    await requestContactCode(actor, { channel: "email", address: "wang@example.com" }, NOON);
    expect(await runDeliveries(NOON)).toMatchObject({ sent: 1 });
    const message = loggedMessages().find((m) => m.to === "wang@example.com")!;
    const code = /(\d{6})/.exec(message.text)![1]!;
    const wrong = code === "000000" ? "111111" : "000000";
    await expect(verifyContact(actor, { channel: "email", code: wrong }, NOON)).rejects.toThrow("messages.error.wrongCode");
    const [counted] = await db().select().from(contactPoints).where(eq(contactPoints.userId, user.id));
    expect(counted).toMatchObject({ codeAttempts: 1, verifiedAt: null });
    await verifyContact(actor, { channel: "email", code }, NOON);
    const [verified] = await db().select().from(contactPoints).where(eq(contactPoints.userId, user.id));
    expect(verified).toMatchObject({ verifiedAt: NOON, codeHash: null });
    // The code does not stay in the outbox once it has gone.
    const [sent] = await db().select().from(deliveries).where(eq(deliveries.userId, user.id));
    expect(sent).toMatchObject({ state: "sent", params: {} });
  });

  it("refuses an expired code and ends a code after five wrong guesses", async () => {
    const actor = await loadActor(db(), (await createUser()).id);
    await requestContactCode(actor, { channel: "sms", address: "13700001111" }, NOON);
    await expect(verifyContact(actor, { channel: "sms", code: "123456" }, new Date(NOON.getTime() + 11 * 60_000))).rejects.toThrow("messages.error.codeExpired");
    await requestContactCode(actor, { channel: "sms", address: "13700001111" }, NOON);
    const guesses = [];
    for (let i = 0; i < 6; i++) guesses.push(await verifyContact(actor, { channel: "sms", code: String(100000 + i) }, NOON).catch((e: Error) => e.message));
    expect(guesses).toEqual([...Array(4).fill("messages.error.wrongCode"), "messages.error.tooManyAttempts", "messages.error.tooManyAttempts"]);
  });

  it("rate-limits codes per person and per address", async () => {
    const actor = await loadActor(db(), (await createUser()).id);
    for (let i = 0; i < 5; i++) await requestContactCode(actor, { channel: "sms", address: `1370000${String(2000 + i)}` }, NOON);
    await expect(requestContactCode(actor, { channel: "sms", address: "13700009999" }, NOON)).rejects.toThrow(/messages.error.tooManyCodes/);
    // Another person cannot flood one number either.
    const target = "13600006666";
    for (let i = 0; i < 5; i++) await requestContactCode(await loadActor(db(), (await createUser()).id), { channel: "sms", address: target }, NOON);
    await expect(requestContactCode(await loadActor(db(), (await createUser()).id), { channel: "sms", address: target }, NOON)).rejects.toThrow(/messages.error.tooManyCodes/);
    // An hour later it may be asked again.
    await requestContactCode(actor, { channel: "sms", address: "13700009999" }, new Date(NOON.getTime() + 3_601_000));
  });
});
