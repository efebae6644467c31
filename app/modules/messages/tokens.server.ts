import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { appSecrets } from "#db/schema";
import { config } from "~/config.server";
import { messageCategories, type MessageCategory } from "./rules";

const holder = globalThis as unknown as { __gongzhiMessageSecret?: string };

/**
 * The key of the signed unsubscribe links: MESSAGE_SECRET, or else one made
 * on first use and kept in the database, so every node signs alike and links
 * survive a restart.
 */
export async function messageSecret(q: Queryable): Promise<string> {
  const configured = config().messageSecret;
  if (configured) return configured;
  if (holder.__gongzhiMessageSecret) return holder.__gongzhiMessageSecret;
  await q
    .insert(appSecrets)
    .values({ name: "message", value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await q.select().from(appSecrets).where(eq(appSecrets.name, "message"));
  holder.__gongzhiMessageSecret = row!.value;
  return row!.value;
}

/** Forget the cached key (tests empty the database between runs). */
export function forgetMessageSecret(): void {
  holder.__gongzhiMessageSecret = undefined;
}

export type UnsubscribeScope = MessageCategory | "all";

const mac = (secret: string, userId: number, scope: string) =>
  createHmac("sha256", secret).update(`unsubscribe:${userId}:${scope}`).digest().subarray(0, 18);

/** `<user>.<scope>.<mac>`: lets its holder stop one category of email (or all) for one person, and nothing else. */
export function signUnsubscribe(secret: string, userId: number, scope: UnsubscribeScope): string {
  return `${userId}.${scope}.${mac(secret, userId, scope).toString("base64url")}`;
}

export function verifyUnsubscribe(secret: string, token: string): { userId: number; scope: UnsubscribeScope } | null {
  const [user, scope, signature, ...rest] = token.split(".");
  if (rest.length || !user || !scope || !signature || !/^\d{1,10}$/.test(user)) return null;
  if (scope !== "all" && !(messageCategories as readonly string[]).includes(scope)) return null;
  const expected = mac(secret, Number(user), scope);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId: Number(user), scope: scope as UnsubscribeScope };
}
