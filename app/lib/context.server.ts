import { db } from "#db/client.server";
import { config } from "~/config.server";
import type { Actor } from "~/modules/identity/actor";
import { isLocale, LOCALE_COOKIE, type Locale } from "~/i18n/i18n";
import {
  blankSessionCookie,
  isSecureRequest,
  readCookie,
  SESSION_COOKIE,
  validateSessionToken,
  type SessionUser,
} from "~/modules/identity/sessions.server";

export const TEXT_SIZE_COOKIE = "gz_text";

/** What every loader and action knows about the request, resolved once per request by the server entry. */
export type RequestContext = {
  user: SessionUser | null;
  /** Who the user is, loaded with the session (use `getActor`, which also covers visitors). */
  actor?: Actor;
  sessionId: string | null;
  locale: Locale;
  largeText: boolean;
  secure: boolean;
  ip: string;
  /** This response's Content-Security-Policy nonce (pages only; ADR 0017). */
  cspNonce?: string;
};

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}
}

export interface ResolvedContext {
  context: RequestContext;
  /** Set-Cookie headers the response must carry (a dead session cookie is cleared). */
  setCookies: string[];
}

/**
 * Resolve the session and preferences from the request's cookies. A tampered,
 * expired or unknown session cookie means "logged out" and is cleared.
 */
export async function resolveRequestContext(input: { cookieHeader: string | undefined; url: URL; ip: string }): Promise<ResolvedContext> {
  const secure = isSecureRequest(input.url, config().baseUrl);
  const setCookies: string[] = [];
  const token = readCookie(input.cookieHeader, SESSION_COOKIE);
  let session = null;
  if (token) {
    session = await validateSessionToken(db(), token);
    if (!session) setCookies.push(blankSessionCookie(secure));
  }
  const cookieLocale = readCookie(input.cookieHeader, LOCALE_COOKIE);
  const locale: Locale = isLocale(cookieLocale) ? cookieLocale : (session?.user.locale ?? config().defaultLocale);
  const textCookie = readCookie(input.cookieHeader, TEXT_SIZE_COOKIE);
  const largeText = textCookie ? textCookie === "large" : (session?.user.largeText ?? false);
  return {
    context: { user: session?.user ?? null, actor: session?.actor, sessionId: session?.id ?? null, locale, largeText, secure, ip: input.ip },
    setCookies,
  };
}

/** A year-long preference cookie readable by the server only. */
export function preferenceCookie(name: string, value: string, secure: boolean): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Lax; Max-Age=31536000; HttpOnly${secure ? "; Secure" : ""}`;
}
