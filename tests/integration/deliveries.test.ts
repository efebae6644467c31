import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { contactPoints, deliveries, messagePreferences } from "#db/schema";
import { runCommand } from "~/lib/command.server";
import { cloudSms, smtpEmail } from "~/modules/messages/channels.server";
import { queueDeliveries } from "~/modules/messages/enqueue.server";
import { retryDeliveries, unsubscribe } from "~/modules/messages/commands.server";
import { claimDue, foldDigests, runDeliveries, setChannels } from "~/modules/messages/sender.server";
import { forgetMessageSecret, messageSecret, signUnsubscribe } from "~/modules/messages/tokens.server";
import { notify, notifyMany } from "~/modules/notifications/commands.server";
import { loadActor } from "~/modules/identity/actor.server";
import { positions } from "#db/schema";
import { createUser } from "../support/factories";
import { SMS_SECRET, startFakeSms, startSmtp, type FakeSms, type FakeSmtp } from "../support/message-fakes";

/**
 * The outbox against real parts: an SMTP server and an imitation of a cloud
 * SMS API in this process. Time is a parameter: each run of the sender is
 * given its `now`, so back-off is checked without waiting.
 */
let smtp: FakeSmtp;
let sms: FakeSms;
const NOON = new Date("2026-12-01T04:00:00Z"); // 12:00 in Beijing
const LATE = new Date("2026-12-01T15:00:00Z"); // 23:00 in Beijing
const SEVEN_NEXT_MORNING = new Date("2026-12-01T23:00:00Z"); // 07:00 in Beijing
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const noJitter = () => 0.5;

beforeAll(async () => {
  smtp = await startSmtp();
  sms = await startFakeSms();
});
afterAll(async () => {
  setChannels(undefined);
  await smtp.close();
  await sms.close();
});
beforeEach(() => {
  forgetMessageSecret();
  smtp.received.length = 0;
  smtp.answers.length = 0;
  sms.requests.length = 0;
  sms.sent.clear();
  sms.answers.length = 0;
  sms.otherwise = "ok";
  setChannels({
    email: smtpEmail({ url: smtp.url, from: "共治 <no-reply@gongzhi.test>", maxConnections: 2 }),
    sms: cloudSms(
      { provider: "cloud", endpoint: sms.endpoint, accessKeyId: "key-1", accessKeySecret: SMS_SECRET, signName: "共治", noticeTemplate: "SMS_NOTICE", codeTemplate: "SMS_CODE" },
      { timeoutMs: 300 },
    ),
  });
});
afterEach(() => setChannels(undefined));

async function person(contacts: { email?: string; sms?: string; verified?: boolean } = {}, locale: "zh-CN" | "en" = "zh-CN") {
  const user = await createUser({ locale });
  for (const channel of ["email", "sms"] as const) {
    const address = contacts[channel];
    if (address) await db().insert(contactPoints).values({ userId: user.id, channel, address, verifiedAt: contacts.verified === false ? null : NOON });
  }
  return user;
}

const all = () => db().select().from(deliveries).orderBy(deliveries.id);
const send = (now: Date) => runDeliveries(now, { random: noJitter, budgetMs: 5_000 });

describe("queueing: one row per recipient × chosen channel, in the event's transaction", () => {
  it("queues by the person's choices and only to verified addresses", async () => {
    const officer = await person({ email: "officer@example.com", sms: "13800138000" });
    const unverified = await person({ email: "nobody@example.com", sms: "13900139000", verified: false });
    const noAddress = await person();
    await runCommand((tx, outbox) =>
      notifyMany(tx, outbox, [officer.id, unverified.id, noAddress.id], { kind: "notification.assignment", params: { title: "井盖缺失" }, link: "/inbox", at: NOON }),
    );
    const rows = await all();
    expect(rows.map((r) => [r.userId, r.channel, r.state]).sort()).toEqual([
      [officer.id, "email", "pending"],
      [officer.id, "sms", "pending"],
    ]);
    // An in-app-only state change of a followed proposal does not leave the site; a decision does.
    const follower = await person({ email: "f@example.com" });
    await runCommand((tx, outbox) => notify(tx, outbox, { userId: follower.id, kind: "notification.proposalState", params: { title: "t", state: "on_agenda" }, at: NOON }));
    await runCommand((tx, outbox) => notify(tx, outbox, { userId: follower.id, kind: "notification.proposalState", params: { title: "t", state: "decided_passed" }, at: NOON }));
    expect((await all()).filter((r) => r.userId === follower.id)).toHaveLength(1);
  });

  it("is rolled back with the event: no event, no delivery", async () => {
    const officer = await person({ email: "officer@example.com" });
    await expect(
      runCommand(async (tx, outbox) => {
        await notify(tx, outbox, { userId: officer.id, kind: "notification.assignment", params: { title: "x" }, at: NOON });
        throw new Error("the event failed");
      }),
    ).rejects.toThrow("the event failed");
    expect(await all()).toEqual([]);
  });

  it("holds messages in quiet hours until they end, except deadlines and emergencies", async () => {
    const officer = await person({ email: "officer@example.com", sms: "13800138000" });
    await runCommand(async (tx) => {
      await queueDeliveries(tx, [officer.id], { kind: "notification.assignment", params: { title: "普通派单" } }, LATE);
      await queueDeliveries(tx, [officer.id], { kind: "notification.assignment", params: { title: "应急派单", emergency: 1 } }, LATE);
      await queueDeliveries(tx, [officer.id], { kind: "notification.deadlineSoon", params: { title: "快到期" } }, LATE);
    });
    const rows = await all();
    expect(rows.map((r) => [String(r.params.title), r.urgent, r.nextAttemptAt.toISOString()])).toEqual([
      ["普通派单", false, SEVEN_NEXT_MORNING.toISOString()],
      ["普通派单", false, SEVEN_NEXT_MORNING.toISOString()],
      ["应急派单", true, LATE.toISOString()],
      ["应急派单", true, LATE.toISOString()],
      ["快到期", true, LATE.toISOString()],
      ["快到期", true, LATE.toISOString()],
    ]);
    // Nothing non-urgent goes out at 23:00; all of it goes at 07:00.
    expect((await send(LATE)).sent).toBe(4);
    expect((await send(SEVEN_NEXT_MORNING)).sent).toBe(2);
  });

  it("follows chosen quiet hours and channels; a digest holds everything but the urgent for one daily message", async () => {
    const voter = await person({ email: "voter@example.com", sms: "13700137000" });
    await db().insert(messagePreferences).values({ userId: voter.id, emailCategories: ["votes"], smsCategories: [], quietStart: 0, quietEnd: 0, digest: true, digestAt: 20 * 60 });
    await runCommand(async (tx) => {
      await queueDeliveries(tx, [voter.id], { kind: "notification.voteOpened", params: { question: "加装电梯" }, link: "/votes/1" }, NOON);
      await queueDeliveries(tx, [voter.id], { kind: "notification.voteClosing", params: { question: "加装电梯" }, link: "/votes/1" }, NOON);
      await queueDeliveries(tx, [voter.id], { kind: "notification.assignment", params: { title: "not chosen" } }, NOON);
    });
    const rows = await all();
    expect(rows.map((r) => [r.channel, r.state, r.nextAttemptAt.toISOString()])).toEqual([
      ["email", "held", "2026-12-01T12:00:00.000Z"],
      ["email", "held", "2026-12-01T12:00:00.000Z"],
    ]);
    expect(await foldDigests(at(NOON, 60_000))).toBe(0);
    expect(await foldDigests(new Date("2026-12-01T12:00:00Z"))).toBe(1);
    await send(new Date("2026-12-01T12:00:01Z"));
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.subject).toBe("【共治】今日汇总：2 条新消息");
    expect(smtp.received[0]!.text).toContain("表决开始了：加装电梯");
    expect(smtp.received[0]!.text).toContain("表决还有 24 小时截止");
  });
});

describe("email over SMTP", () => {
  it("sends HTML and plain text in the recipient's language, with a signed unsubscribe link that works", async () => {
    const resident = await person({ email: "wang@example.com" }, "en");
    await runCommand((tx, outbox) =>
      notify(tx, outbox, { userId: resident.id, kind: "notification.residencyVerified", params: { community: "Shijia", reason: "" }, link: "/me", at: NOON }),
    );
    expect(await send(NOON)).toMatchObject({ sent: 1, retried: 0, dead: 0 });
    const [mail] = smtp.received;
    expect(mail!.to).toEqual(["wang@example.com"]);
    expect(mail!.subject).toContain("Your residency in Shijia is verified");
    expect(mail!.text).toContain("http://localhost:3000/me");
    expect(mail!.html).toContain('href="http://localhost:3000/me"');
    const [row] = await all();
    expect(row!.state).toBe("sent");
    expect(mail!.headers["message-id"]).toBe(`<gz-${row!.id}-0@localhost>`);
    const link = /<(http:\/\/localhost:3000\/unsubscribe\/[^>]+)>/.exec(mail!.headers["list-unsubscribe"]!)![1]!;
    expect(mail!.text).toContain(link);
    const token = link.split("/unsubscribe/")[1]!;
    expect(await unsubscribe(token)).toEqual({ userId: resident.id, scope: "account" });
    const [prefs] = await db().select().from(messagePreferences).where(eq(messagePreferences.userId, resident.id));
    expect(prefs!.emailCategories).toEqual(["duty", "votes", "following", "service"]);
    // A forged or altered token does nothing.
    await expect(unsubscribe(token.replace(/.$/, (c) => (c === "A" ? "B" : "A")))).rejects.toThrow("messages.unsubscribe.invalid");
    await expect(unsubscribe(`${resident.id}.all.${token.split(".")[2]}`)).rejects.toThrow("messages.unsubscribe.invalid");
  });

  it("retries a 4xx answer and dead-letters a 5xx one at once", async () => {
    const a = await person({ email: "a@example.com" });
    const b = await person({ email: "b@example.com" });
    await runCommand(async (tx) => {
      await queueDeliveries(tx, [a.id], { kind: "notification.assignment", params: { title: "one" } }, NOON);
      await queueDeliveries(tx, [b.id], { kind: "notification.assignment", params: { title: "two" } }, NOON);
    });
    smtp.answers.push(451, 550);
    expect(await runDeliveries(NOON, { random: noJitter, concurrency: 1 })).toMatchObject({ sent: 0, retried: 1, dead: 1 });
    const rows = await all();
    expect(rows.map((r) => r.state)).toEqual(["pending", "dead"]);
    expect(rows[1]!.lastError).toMatch(/^SMTP 550/);
    expect(await runDeliveries(at(NOON, 14_000), { random: noJitter })).toMatchObject({ sent: 0 }); // waits out the back-off (15 s)
    expect(await runDeliveries(at(NOON, 16_000), { random: noJitter })).toMatchObject({ sent: 1 });
  });
});

describe("SMS through the cloud provider", () => {
  async function oneSms() {
    const officer = await person({ sms: "13800138000" });
    await runCommand((tx) => queueDeliveries(tx, [officer.id], { kind: "notification.deadlineSoon", params: { title: "东四北大街路灯不亮已经三天了请尽快修复谢谢" } }, NOON));
    return officer;
  }

  it("sends a signed request with the signature, template code and clipped parameters, and counts segments", async () => {
    await oneSms();
    expect(await send(NOON)).toMatchObject({ sent: 1 });
    const [request] = sms.requests;
    expect(request!.signatureValid).toBe(true);
    expect(request!.body).toMatchObject({ PhoneNumbers: "13800138000", SignName: "共治", TemplateCode: "SMS_NOTICE" });
    expect(JSON.parse(request!.body.TemplateParam)).toEqual({ event: "办理提醒", title: "东四北大街路灯不亮已经三天了请尽快修复…" });
    const [row] = await all();
    expect(row).toMatchObject({ state: "sent", segments: 1, providerId: `biz-gz-${row!.id}-0` });
  });

  it("backs off exponentially through 5xx answers and time-outs, then sends", async () => {
    await oneSms();
    sms.answers.push("5xx", "timeout", "5xx");
    expect((await send(NOON)).retried).toBe(1);
    let [row] = await all();
    expect(row!.nextAttemptAt.getTime() - NOON.getTime()).toBeGreaterThanOrEqual(15_000); // 15 s after the first failure
    expect(row!.nextAttemptAt.getTime() - NOON.getTime()).toBeLessThan(17_000);
    expect((await send(at(NOON, 16_000))).retried).toBe(1);
    [row] = await all();
    expect(row!.lastError).toBe("timeout");
    const second = row!.nextAttemptAt.getTime() - NOON.getTime();
    expect(second).toBeGreaterThanOrEqual(16_000 + 30_000); // 30 s after the second
    expect((await send(at(NOON, 16_000 + 29_000))).retried).toBe(0); // not due yet
    expect((await send(at(NOON, second + 1_000))).retried).toBe(1);
    [row] = await all();
    expect(row!.nextAttemptAt.getTime() - NOON.getTime()).toBeGreaterThanOrEqual(second + 60_000); // 60 s after the third
    expect((await send(at(NOON, second + 62_000))).sent).toBe(1);
    [row] = await all();
    expect(row).toMatchObject({ state: "sent", attempts: 4 });
    expect(sms.sent.size).toBe(1);
  });

  it("slows down on a rate-limit answer: at least a minute, or what Retry-After asks, and pauses the channel", async () => {
    const officers = await Promise.all([person({ sms: "13800138001" }), person({ sms: "13800138002" }), person({ sms: "13800138003" })]);
    await runCommand((tx) => queueDeliveries(tx, officers.map((o) => o.id), { kind: "notification.deadlineSoon", params: { title: "t" } }, NOON));
    sms.answers.push("http429");
    const figures = await runDeliveries(NOON, { random: noJitter, concurrency: 1 });
    expect(figures).toMatchObject({ sent: 0, retried: 1, deferred: 2 });
    expect(sms.requests).toHaveLength(1); // the provider asked for a pause: nobody else was tried
    const rows = await all();
    expect(rows.every((r) => r.state === "pending" && r.nextAttemptAt.getTime() >= NOON.getTime() + 90_000)).toBe(true);
    expect(rows.map((r) => r.attempts).sort()).toEqual([0, 0, 1]); // the deferred were not counted as attempts
    sms.answers.push("rate");
    expect(await runDeliveries(at(NOON, 91_000), { random: noJitter, concurrency: 1 })).toMatchObject({ sent: 0, retried: 1, deferred: 2 });
    expect(await runDeliveries(at(NOON, 91_000 + 61_000), { random: noJitter, concurrency: 1 })).toMatchObject({ sent: 3 });
  });

  it("dead-letters a permanent error at once and a delivery that keeps failing after the last attempt; an administrator retries them", async () => {
    const bad = await person({ sms: "13800138009" });
    const flaky = await person({ sms: "13800138010" });
    await runCommand(async (tx) => {
      await queueDeliveries(tx, [bad.id], { kind: "notification.supervised", params: { title: "bad number" } }, NOON);
      await queueDeliveries(tx, [flaky.id], { kind: "notification.supervised", params: { title: "flaky" } }, NOON);
    });
    sms.answers.push("permanent");
    sms.otherwise = "balance";
    let now = NOON;
    const policy = { baseMs: 1_000, maxMs: 8_000, maxAttempts: 4 };
    for (let i = 0; i < 6; i++) {
      await runDeliveries(now, { random: noJitter, policy, concurrency: 1 });
      now = at(now, 10_000);
    }
    const rows = await all();
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ["dead", 1],
      ["dead", 4],
    ]);
    expect(rows[0]!.lastError).toContain("isv.MOBILE_NUMBER_ILLEGAL");
    expect(rows[1]!.lastError).toContain("isv.AMOUNT_NOT_ENOUGH");

    // The account is topped up; a district administrator sends them again with a new key.
    const admin = await createUser();
    await db().insert(positions).values({ userId: admin.id, kind: "platform_admin" });
    sms.otherwise = "ok";
    expect(await retryDeliveries(await loadActor(db(), admin.id), {}, now)).toBe(2);
    expect(await runDeliveries(now, { random: noJitter, policy })).toMatchObject({ sent: 2 });
    expect((await all()).map((r) => [r.state, r.round])).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
    expect([...sms.sent.keys()].sort()).toEqual([`gz-${rows[0]!.id}-1`, `gz-${rows[1]!.id}-1`]);
  });

  it("a sender that dies between sending and marking sent: another takes over after the lease, and the provider sends once", async () => {
    await oneSms();
    const claimed = await claimDue(NOON, { batch: 10, leaseMs: 60_000 });
    expect(claimed).toHaveLength(1);
    // Another node does not take a claimed delivery while the lease holds.
    expect(await claimDue(at(NOON, 1_000), { batch: 10, leaseMs: 60_000 })).toEqual([]);
    // The first node sends, then dies before recording it.
    const { channels } = await import("~/modules/messages/sender.server");
    await channels().sms.send(claimed[0]!, { baseUrl: "http://localhost:3000", unsubscribeUrl: null });
    // After the lease a second node resends with the same idempotency key; the provider sends nothing new.
    expect(await send(at(NOON, 61_000))).toMatchObject({ sent: 1 });
    expect(sms.requests.map((r) => r.token)).toEqual([`gz-${claimed[0]!.id}-0`, `gz-${claimed[0]!.id}-0`]);
    expect(sms.sent.size).toBe(1);
    expect((await all())[0]).toMatchObject({ state: "sent", attempts: 2 });
  });
});

describe("unsubscribe tokens", () => {
  it("are bound to the person and the category", async () => {
    const secret = await messageSecret(db());
    const token = signUnsubscribe(secret, 42, "votes");
    expect(await unsubscribe(token).catch((e: Error) => e.message)).not.toBe("messages.unsubscribe.invalid"); // valid (user 42 may not exist: it fails later)
    await expect(unsubscribe(token.replace("42.", "43."))).rejects.toThrow("messages.unsubscribe.invalid");
    await expect(unsubscribe(token.replace(".votes.", ".duty."))).rejects.toThrow("messages.unsubscribe.invalid");
  });
});
