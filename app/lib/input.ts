import { z } from "zod";

/**
 * The one id parser and the one text sanitiser (issue 12 §3, ADR 0017).
 * Every id that comes from outside (a route parameter, a query parameter, a
 * form field, an API body) goes through `parseId`; every text goes through
 * `hasForbiddenCharacters` before it reaches a command. Bad input is then a
 * 400 or 404 answered here, never a 500 from the database ("value out of range
 * for type integer", "invalid byte sequence for encoding UTF8: 0x00").
 */

/** Ids are `integer` columns (int4): 1 … 2^31−1. */
export const MAX_ID = 2_147_483_647;

/** A positive int4 id written in plain decimal ("12"; not "012", "1e3", "0x1", " 1", "+1"), or null. */
export function parseId(value: unknown): number | null {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 && value <= MAX_ID ? value : null;
  if (typeof value !== "string" || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= MAX_ID ? n : null;
}

/** A whole number in [min, max] written in plain decimal ("0", "7", "-2"), or null: "" and "0x1" are refused. */
export function parseWhole(value: unknown, min: number, max: number): number | null {
  if (typeof value === "number") return Number.isInteger(value) && value >= min && value <= max ? value : null;
  if (typeof value !== "string" || !/^(0|-?[1-9]\d{0,14})$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/**
 * Characters no text field accepts: C0 controls other than tab, line feed and
 * carriage return (NUL among them: PostgreSQL refuses it), DEL, C1 controls,
 * and the Unicode direction overrides and isolates that make text read
 * differently from how it is stored (U+202A–U+202E, U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function hasForbiddenCharacters(text: string): boolean {
  return FORBIDDEN.test(text);
}

/** For one-line names (display names, account names): no control characters at all, no line breaks, no direction tricks, no zero-width joiners. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

export function isCleanName(text: string): boolean {
  return !FORBIDDEN_IN_NAMES.test(text);
}

/** A required id form field (zod): the message when it is missing or not an id. */
export const idField = (message = "validation.choose") =>
  z.unknown().transform((v, ctx) => {
    const id = parseId(v);
    if (id === null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    }
    return id;
  });

/** An optional id form field: empty or absent means none; anything else must be an id. */
export const optionalIdField = (message = "validation.choose") =>
  z.unknown().transform((v, ctx) => {
    if (v === undefined || v === null || v === "") return undefined;
    const id = parseId(v);
    if (id === null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    }
    return id;
  });
