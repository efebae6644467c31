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
});
