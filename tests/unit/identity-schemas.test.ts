import { describe, expect, it } from "vitest";
import { normaliseAccount, registerSchema, safeRedirect } from "~/modules/identity/schemas";

const valid = { displayName: "王秀兰", account: "wangxiulan", password: "hutong2026", confirmPassword: "hutong2026" };
const errorsOf = (input: Record<string, unknown>) => {
  const r = registerSchema.safeParse(input);
  return r.success ? {} : r.error.flatten().fieldErrors;
};

describe("registration form", () => {
  it("accepts a phone number or a username", () => {
    expect(errorsOf(valid)).toEqual({});
    expect(errorsOf({ ...valid, account: "138 0013 8000" })).toEqual({});
  });
  it("says what is wrong with each field, as message keys", () => {
    expect(errorsOf({ ...valid, displayName: "" }).displayName).toEqual(["validation.required"]);
    expect(errorsOf({ ...valid, displayName: "长".repeat(41) }).displayName).toEqual(["validation.displayName.tooLong"]);
    expect(errorsOf({ ...valid, account: "12345" }).account).toEqual(["validation.account.invalid"]);
    expect(errorsOf({ ...valid, account: "1234567890a" }).account).toEqual(["validation.account.invalid"]);
    expect(errorsOf({ ...valid, password: "short1", confirmPassword: "short1" }).password).toEqual(["validation.password.tooShort"]);
    expect(errorsOf({ ...valid, password: "onlyletters", confirmPassword: "onlyletters" }).password).toEqual(["validation.password.weak"]);
    expect(errorsOf({ ...valid, password: "Password123", confirmPassword: "Password123" }).password).toEqual(["validation.password.weak"]);
    expect(errorsOf({ ...valid, confirmPassword: "different1" }).confirmPassword).toEqual(["validation.password.mismatch"]);
    expect(errorsOf({ displayName: "王" }).account).toEqual(["validation.required"]);
  });
  it("normalises logins: phones as digits, usernames in lower case", () => {
    expect(normaliseAccount(" 138-0013-8000 ")).toEqual({ phone: "13800138000" });
    expect(normaliseAccount("WangXiuLan")).toEqual({ username: "wangxiulan" });
  });
});

describe("redirect after login", () => {
  it("follows only local paths", () => {
    expect(safeRedirect("/notifications?x=1")).toBe("/notifications?x=1");
    expect(safeRedirect("https://evil.example")).toBe("/");
    expect(safeRedirect("//evil.example")).toBe("/");
    expect(safeRedirect("/\\evil.example")).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
  });
});
