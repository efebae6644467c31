import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "~/config.server";

describe("configuration", () => {
  it("defaults to the embedded database, the demo, Chinese and Beijing time", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, demo: true, defaultLocale: "zh-CN", timeZone: "Asia/Shanghai", realtimeAdapter: "memory" });
  });

  it("uses the Postgres adapter and no demo with a server database", () => {
    const c = parseConfig({ DATABASE_URL: "postgres://u@127.0.0.1:5432/db" });
    expect(c).toMatchObject({ demo: false, realtimeAdapter: "postgres" });
  });

  it("chooses the Redis adapter only with a Redis to reach, and never the Postgres adapter without a server", () => {
    const db = "postgres://u@127.0.0.1:5432/db";
    expect(parseConfig({ DATABASE_URL: db, REALTIME_ADAPTER: "redis", REDIS_URL: "redis://127.0.0.1:6379" })).toMatchObject({
      realtimeAdapter: "redis",
      redis: { url: "redis://127.0.0.1:6379", prefix: "gongzhi" },
    });
    expect(parseConfig({ DATABASE_URL: db }).redis).toBeUndefined();
    expect(() => parseConfig({ DATABASE_URL: db, REALTIME_ADAPTER: "redis" })).toThrowError(/REDIS_URL: required when REALTIME_ADAPTER=redis/);
    expect(() => parseConfig({ REALTIME_ADAPTER: "redis", REDIS_URL: "http://127.0.0.1" })).toThrowError(/REDIS_URL: must start with redis/);
    expect(() => parseConfig({ REALTIME_ADAPTER: "redis", REDIS_URL: "redis://h", REDIS_PREFIX: "a b" })).toThrowError(/REDIS_PREFIX/);
    expect(() => parseConfig({ REALTIME_ADAPTER: "postgres" })).toThrowError(/REALTIME_ADAPTER: postgres needs DATABASE_URL/);
  });

  it("refuses bad values with one readable line naming each", () => {
    expect(() => parseConfig({ PORT: "eighty", DATABASE_URL: "mysql://x@y/z", DEFAULT_LOCALE: "fr" })).toThrowError(ConfigError);
    try {
      parseConfig({ PORT: "eighty", DATABASE_URL: "mysql://x@y/z" });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT: .*DATABASE_URL: must start with postgres/);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("treats empty variables as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", PORT: "" }).databaseUrl).toBeUndefined();
  });

  it("sends email and SMS to the log unless configured, and requires every cloud SMS setting when asked for it", () => {
    expect(parseConfig({})).toMatchObject({ smtpUrl: undefined, sms: { provider: "log" }, deliveryMaxAttempts: 8 });
    expect(() => parseConfig({ SMS_PROVIDER: "cloud", SMS_ENDPOINT: "https://sms.example.com/send" })).toThrowError(
      /SMS_ACCESS_KEY_ID: required when SMS_PROVIDER=cloud/,
    );
    expect(() => parseConfig({ SMTP_URL: "http://mail.example.com" })).toThrowError(/SMTP_URL: must start with smtp/);
    const c = parseConfig({
      SMTP_URL: "smtps://u:p@mail.example.com:465",
      SMS_PROVIDER: "cloud",
      SMS_ENDPOINT: "https://sms.example.com/send",
      SMS_ACCESS_KEY_ID: "id",
      SMS_ACCESS_KEY_SECRET: "secret-123",
      SMS_SIGN_NAME: "共治",
      SMS_TEMPLATE_NOTICE: "SMS_1",
      SMS_TEMPLATE_CODE: "SMS_2",
    });
    expect(c.sms).toMatchObject({ provider: "cloud", signName: "共治", noticeTemplate: "SMS_1" });
  });

  it("allows the test clock only in demo mode", () => {
    expect(parseConfig({}).testClock).toBe(false);
    expect(parseConfig({ TEST_CLOCK: "1" }).testClock).toBe(true); // the embedded database is the demo
    expect(() => parseConfig({ TEST_CLOCK: "1", DATABASE_URL: "postgres://a@b/c" })).toThrowError(/TEST_CLOCK: only allowed in demo mode/);
    expect(parseConfig({ TEST_CLOCK: "1", DATABASE_URL: "postgres://a@b/c", DEMO: "true" }).testClock).toBe(true);
  });
});
