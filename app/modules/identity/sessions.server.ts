import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { and, eq, ne, sql } from "drizzle-orm";
import { db, type Queryable } from "#db/client.server";
import { batcher } from "~/lib/batch.server";
import { sessions, users } from "#db/schema";
import type { Actor } from "./actor";
import { actorJson, toActor } from "./actor.server";
import { serverNow } from "~/lib/clock.server";

/**
 * Sessions as Lucia's guide prescribes: the cookie carries `id.secret`; the
 * database stores only SHA-256(secret); the secret is compared in constant
 * time; a session dies after INACTIVITY_TIMEOUT without use, and its
 * last-verified time is written at most once per ACTIVITY_CHECK_INTERVAL.
 */
export const SESSION_COOKIE = "gz_session";
export const INACTIVITY_TIMEOUT_MS = 30 * 24 * 60 * 60 * 1000;
export const ACTIVITY_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export interface SessionUser {
  id: number;
  displayName: string;
  locale: "zh-CN" | "en" | null;
  largeText: boolean;
}

export interface ValidSession {
  id: string;
  userId: number;
  user: SessionUser;
  /** Who the user is, loaded with the session (every request that acts needs it). */
  actor: Actor;
}

// 32 letters and digits without look-alikes (l, o, 0, 1): 5 bits each.
const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/** 24 characters = 120 bits of entropy, from the platform's CSPRNG. */
export function generateSecureRandomString(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte >> 3];
  return id;
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export async function createSession(q: Queryable, userId: number, now = serverNow()) {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  await q.insert(sessions).values({ id, userId, secretHash: hashSecret(secret), createdAt: now, lastVerifiedAt: now });
  return { id, token: `${id}.${secret}` };
}

/** The session a token names, or null for anything malformed, unknown, tampered or expired. */
export async function validateSessionToken(q: Queryable, token: string, now = serverNow()): Promise<ValidSession | null> {
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [id, secret] = parts as [string, string];
  if (!TOKEN_PART.test(id) || !TOKEN_PART.test(secret)) return null;

  // On the shared database, concurrent requests' lookups travel together (ADR 0015); inside a transaction, alone.
  const row = q === db() ? await lookUpTogether(id) : ((await sessionRows(q, [id]))[0] ?? null);
  if (!row) return null;

  if (!constantTimeEqual(hashSecret(secret), row.secretHash)) return null;

  const idle = now.getTime() - row.lastVerifiedAt.getTime();
  if (idle >= INACTIVITY_TIMEOUT_MS) {
    await q.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (idle >= ACTIVITY_CHECK_INTERVAL_MS) {
    await q.update(sessions).set({ lastVerifiedAt: now }).where(eq(sessions.id, id));
  }
  return {
    id: row.id,
    userId: row.userId,
    user: { id: row.userId, displayName: row.displayName, locale: row.locale ?? null, largeText: row.largeText },
    actor: toActor(row.userId, row.actor),
  };
}

/** Both halves of a token: 24 characters of the alphabet above. */
const TOKEN_PART = /^[a-km-np-z2-9]{24}$/;

/** The sessions with these ids, with their users and actors, in one statement (ids are checked tokens: no commas). */
function sessionRows(q: Queryable, ids: string[]) {
  return q
    .select({
      id: sessions.id,
      userId: sessions.userId,
      secretHash: sessions.secretHash,
      lastVerifiedAt: sessions.lastVerifiedAt,
      displayName: users.displayName,
      locale: users.locale,
      largeText: users.largeText,
      actor: actorJson(sql`${sessions.userId}`),
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(sql`${sessions.id} = any(string_to_array(${ids.join(",")}, ','))`);
}

type SessionRow = Awaited<ReturnType<typeof sessionRows>>[number];

const lookUpTogether = batcher<string, SessionRow | null>(async (ids) => {
  const rows = await sessionRows(db(), [...new Set(ids)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
});

export async function invalidateSession(q: Queryable, sessionId: string): Promise<void> {
  await q.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Log out everywhere (optionally keeping the session that asked). */
export async function invalidateUserSessions(q: Queryable, userId: number, exceptSessionId?: string): Promise<void> {
  await q
    .delete(sessions)
    .where(exceptSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId)) : eq(sessions.userId, userId));
}

export function sessionCookie(token: string, secure: boolean): string {
  return serialise(SESSION_COOKIE, token, Math.floor(INACTIVITY_TIMEOUT_MS / 1000), secure);
}

export function blankSessionCookie(secure: boolean): string {
  return serialise(SESSION_COOKIE, "", 0, secure);
}

function serialise(name: string, value: string, maxAge: number, secure: boolean): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

/**
 * Whether cookies get the Secure flag (ADR 0017): decided by the site's
 * public address when BASE_URL is set (https: yes), otherwise by how the
 * request arrived as Express sees it under its proxy setting (`trust proxy`
 * believes X-Forwarded-Proto from a proxy on this machine only). Never by the
 * Host header, which the client chooses.
 */
export function isSecureRequest(url: URL, baseUrl?: string): boolean {
  if (baseUrl) return new URL(baseUrl).protocol === "https:";
  return url.protocol === "https:";
}

/** Read one cookie from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
