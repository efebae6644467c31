import { z } from "zod";
import { isCleanName } from "~/lib/input";

/**
 * Form schemas, shared by the browser (Conform) and the server. Error
 * messages are translation keys; the page renders them in the reader's language.
 */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
export const USERNAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{2,31}$/;

const COMMON_PASSWORDS = new Set([
  "password1", "password123", "12345678a", "a12345678", "qwerty123", "abc12345", "abcd1234", "1234abcd",
  "woaini1314", "iloveyou1", "admin123", "admin1234", "passw0rd", "1qaz2wsx", "qwer1234", "aa123456",
]);

const required = { required_error: "validation.required", invalid_type_error: "validation.required" };

/** Phone numbers and usernames both work as the login name. */
export const accountField = z
  .string(required)
  .trim()
  .transform((v) => v.replace(/[\s-]/g, ""))
  .pipe(
    z
      .string()
      .refine((v) => PHONE_PATTERN.test(v) || USERNAME_PATTERN.test(v), "validation.account.invalid"),
  );

export const newPasswordField = z
  .string(required)
  .min(8, "validation.password.tooShort")
  .max(128, "validation.password.tooLong")
  .refine((v) => /[a-zA-Z]/.test(v) && /\d/.test(v) && !COMMON_PASSWORDS.has(v.toLowerCase()), "validation.password.weak");

export const registerSchema = z
  .object({
    displayName: z
      .string(required)
      .trim()
      .min(1, "validation.required")
      .max(40, "validation.displayName.tooLong")
      .refine(isCleanName, "validation.displayName.invalid"),
    account: accountField,
    password: newPasswordField,
    confirmPassword: z.string(required),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "validation.password.mismatch" });

export const loginSchema = z.object({
  identifier: z.string(required).trim().max(64, "validation.account.invalid"),
  password: z.string(required).max(128, "validation.password.tooLong"),
  redirectTo: z.string().optional(),
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string(required).max(128, "validation.password.tooLong"),
    newPassword: newPasswordField,
    confirmPassword: z.string(required),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "validation.password.mismatch" });

/** Normalise what someone typed as a login name to the stored form. */
export function normaliseAccount(value: string): { phone: string } | { username: string } {
  // NFKC first: full-width letters and digits (ｎｅｉｇｈｂｏｕｒ４０) are the same name.
  const v = value.normalize("NFKC").trim().replace(/[\s\-‐‑‒–—―－]/g, "");
  return PHONE_PATTERN.test(v) ? { phone: v } : { username: v.toLowerCase() };
}

/**
 * Only same-site paths are followed after login and on /preferences (no open
 * redirects, ADR 0017). The value is checked exactly as given, nothing
 * removed first: one `/`, then a character that is neither `/` nor `\`, and
 * only printable ASCII throughout. Browsers drop tabs and line breaks from a
 * URL and read `\` as `/`, so `/<tab>/evil.example` and `/\evil.example`
 * would leave the site; %-escapes of `/` and `\` right after the first slash
 * are refused too, and full-width or other non-ASCII characters (U+3000,
 * `／`) never pass (a real path arrives %-encoded).
 */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !SAFE_PATH.test(to) || /^\/%(2f|5c)/i.test(to)) return fallback;
  return to;
}
const SAFE_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;
