import type { NextFunction, Request, Response } from "express";
import { SESSION_COOKIE, readCookie } from "~/modules/identity/sessions.server";
import { onPublish } from "#realtime/publish.server";
import { HOME_ROOM } from "#realtime/events";
import { LOCALE_COOKIE } from "~/i18n/i18n";
import { TEXT_SIZE_COOKIE } from "./context.server";

/**
 * A short cache of the public pages that visitors (not signed in) read most,
 * in front of the Remix handler (ADR 0012). A page is cached per URL, language
 * and text size; it is dropped as soon as its live room publishes news (a new
 * comment, a second, a state change) and in any case after `ttlMs`, which
 * bounds staleness on other nodes. Only anonymous GETs answered 200 without a
 * cookie are stored, so nothing personal can be served to someone else.
 * Concurrent misses of one page wait for a single render.
 *
 * Each response has its own Content-Security-Policy nonce (ADR 0017), so a
 * stored page is kept cut at its nonce's places and every copy served gets
 * the nonce of the response that carries it: one visitor's nonce is never
 * served to another.
 */
export interface PageCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/** Which pages are cached, and the live rooms whose news makes them stale. */
const CACHEABLE: { pattern: RegExp; rooms: (m: RegExpMatchArray) => string[] }[] = [
  { pattern: /^\/proposals\/(\d+)(?:\.data)?$/, rooms: (m) => [`proposal:${m[1]}`] },
  { pattern: /^\/halls\/(\d+)(?:\.data)?$/, rooms: (m) => [`hall:${m[1]}`] },
  // The home page's district lists: dropped on the district's pulse (realtime/pulse.server.ts).
  { pattern: /^\/(?:_root\.data)?$/, rooms: () => [HOME_ROOM] },
];

interface Entry {
  /** The page, cut where its render's nonce stood (one piece when it had none). */
  parts: Buffer[];
  contentType: string;
  storedAt: number;
  rooms: string[];
}

export function pageCache(options: PageCacheOptions) {
  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, { promise: Promise<Entry | null>; rooms: string[] }>();
  const byRoom = new Map<string, Set<string>>();

  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    for (const room of entry.rooms) byRoom.get(room)?.delete(key);
  };
  const unsubscribe = onPublish((room) => {
    const keys = byRoom.get(room);
    if (!keys) return;
    byRoom.delete(room);
    for (const key of keys) drop(key);
  });
  // A render already on its way may hold the old state: it still answers its waiters, but is not stored.
  const forgetRenders = onPublish((room) => {
    for (const [key, render] of inflight) if (render.rooms.includes(room)) inflight.delete(key);
  });

  function middleware(req: Request, res: Response, next: NextFunction) {
    if (req.method !== "GET" || readCookie(req.headers.cookie, SESSION_COOKIE)) return next();
    const path = req.path;
    const rule = CACHEABLE.find((r) => r.pattern.test(path));
    if (!rule) return next();
    const key = `${readCookie(req.headers.cookie, LOCALE_COOKIE) ?? ""}|${readCookie(req.headers.cookie, TEXT_SIZE_COOKIE) ?? ""}|${req.originalUrl}`;

    const entry = entries.get(key);
    if (entry && now() - entry.storedAt < options.ttlMs) {
      return send(res, entry);
    }
    if (entry) drop(key);
    const pending = inflight.get(key);
    if (pending) {
      void pending.promise.then((made) => (made ? send(res, made) : next()));
      return;
    }
    const rooms = rule.rooms(path.match(rule.pattern)!);
    let settle: (entry: Entry | null) => void = () => {};
    const render = { promise: new Promise<Entry | null>((resolve) => (settle = resolve)), rooms };
    inflight.set(key, render);
    capture(res, (status, body) => {
      const stillWanted = inflight.get(key) === render;
      if (stillWanted) inflight.delete(key);
      const cacheable = status === 200 && !res.getHeader("set-cookie");
      const made = cacheable
        ? { parts: cutAtNonce(body, res.locals.cspNonce as string | undefined), contentType: String(res.getHeader("content-type") ?? "text/html; charset=utf-8"), storedAt: now(), rooms }
        : null;
      if (made && stillWanted) {
        entries.set(key, made);
        for (const room of made.rooms) (byRoom.get(room) ?? byRoom.set(room, new Set()).get(room)!).add(key);
        // Oldest first out: a Map iterates in insertion order.
        while (entries.size > options.maxEntries) drop(entries.keys().next().value!);
      }
      settle(made);
    });
    next();
  }

  return {
    middleware,
    size: () => entries.size,
    close: () => {
      unsubscribe();
      forgetRenders();
    },
  };
}

function send(res: Response, entry: Entry) {
  res.status(200).setHeader("Content-Type", entry.contentType);
  res.setHeader("X-Page-Cache", "hit");
  res.end(withNonce(entry.parts, res.locals.cspNonce as string | undefined));
}

/** The page in pieces around `nonce="<its nonce>"`. */
export function cutAtNonce(body: Buffer, nonce: string | undefined): Buffer[] {
  if (!nonce) return [body];
  const marker = Buffer.from(`nonce="${nonce}"`);
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(marker); at !== -1; at = body.indexOf(marker, from)) {
    parts.push(body.subarray(from, at));
    from = at + marker.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

/** The pieces joined again with this response's nonce. */
export function withNonce(parts: Buffer[], nonce: string | undefined): Buffer {
  if (parts.length === 1) return parts[0]!;
  const marker = Buffer.from(`nonce="${nonce ?? ""}"`);
  const out: Buffer[] = [];
  parts.forEach((p, i) => (i === 0 ? out.push(p) : out.push(marker, p)));
  return Buffer.concat(out);
}

/** Collect what the handler writes (before compression), and report it when the response ends. */
function capture(res: Response, done: (status: number, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    if (typeof chunk === "string") chunks.push(Buffer.from(chunk, (typeof encoding === "string" ? encoding : "utf8") as BufferEncoding));
    else chunks.push(Buffer.from(chunk as Uint8Array));
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as Response["write"];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    done(res.statusCode, Buffer.concat(chunks));
    return end(chunk, ...rest);
  }) as Response["end"];
}
