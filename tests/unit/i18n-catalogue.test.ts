import { describe, expect, it } from "vitest";
import { catalogs } from "~/i18n/catalogs.server";
import { formatDate, messageWithParams, translate, translateData } from "~/i18n/i18n";

// A plain `{name}`, or the name of an ICU plural `{name, plural, …}` (English only).
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

describe("translation catalogue", () => {
  const zh = catalogs["zh-CN"];
  const en = catalogs.en;

  it("has every key in both languages and no key in one only", () => {
    const zhKeys = Object.keys(zh).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([]);
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
  });

  it("uses the same parameters in both languages", () => {
    for (const key of Object.keys(zh) as (keyof typeof zh)[]) {
      expect({ key, params: placeholders(en[key]) }).toEqual({ key, params: placeholders(zh[key]) });
    }
  });

  it("has no empty message", () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const [key, text] of Object.entries(catalog)) expect({ locale, key, empty: text.trim() === "" }).toEqual({ locale, key, empty: false });
    }
  });
});

describe("translate", () => {
  it("fills parameters and formats numbers per locale", () => {
    expect(translate("zh-CN", "home.welcomeBack", { name: "王阿姨" })).toBe("王阿姨，欢迎回来");
    expect(translate("en", "notifications.unreadCount", { count: 1200 })).toBe("1,200 unread notifications");
  });

  it("leaves a missing parameter visible rather than blank", () => {
    expect(translate("en", "home.welcomeBack")).toBe("Welcome back, {name}");
  });

  it("carries parameters through data and shows unknown text as it is", () => {
    const message = messageWithParams("auth.login.tooMany", { minutes: 15 });
    expect(translateData("zh-CN", message)).toBe("尝试次数过多，请 15 分钟后再试。");
    expect(translateData("en", "plain words")).toBe("plain words");
  });

  it("formats dates in the configured time zone", () => {
    const instant = new Date("2026-11-26T16:30:00Z"); // 00:30 the next day in Beijing
    expect(formatDate("zh-CN", "Asia/Shanghai", instant, "date")).toBe("2026年11月27日");
    expect(formatDate("en", "Asia/Shanghai", instant, "time")).toBe("00:30");
  });
});

describe("plural forms (issue 13 §6)", () => {
  it("English says 1 member and 2 members; exact forms win; Chinese has one form", () => {
    expect(translate("en", "hall.memberCount", { count: 1 })).toBe("1 member");
    expect(translate("en", "hall.memberCount", { count: 1234 })).toBe("1,234 members");
    expect(translate("en", "workbench.summary", { count: 0 })).toBe("Nothing waits for you.");
    expect(translate("en", "workbench.summary", { count: 1 })).toBe("One thing waits for you.");
    expect(translate("en", "workbench.summary", { count: 3 })).toBe("3 things wait for you, oldest first.");
    expect(translate("en", "hall.ruleCount", { n: 1, days: 7 })).toBe("On the agenda with 1 second (within 7 days)");
    expect(translate("zh-CN", "hall.memberCount", { count: 1 })).not.toContain("plural");
  });
});
