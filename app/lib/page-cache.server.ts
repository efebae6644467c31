import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { SESSION_COOKIE, readCookie } from "~/modules/identity/sessions.server";
import { onNews } from "#realtime/publish.server";
import { HOME_ROOM } from "#realtime/events";
import { LOCALE_COOKIE } from "~/i18n/i18n";
import { TEXT_SIZE_COOKIE } from "./context.server";

/**
 * A short cache of the pages people read most, in front of the Remix handler
 * (ADR 0012; members' copies and `/notifications`: ADR 0044). A page is
 * cached per URL, language and text size, and for a signed-in person per
 * person as well. It is dropped
 * as soon as one of its live rooms publishes news (a new comment, a second, a
 * state change; a member's copy also on news in the room `user:<id>`, where
 * their notifications go) and in any case after `ttlMs`, which bounds
 * staleness on other nodes. Only GETs answered 200 without a Set-Cookie are
 * stored. Concurrent misses of one page wait for a single render.
 *
 * A member's copy is served only after their session checks out (`whoIs`, on
 * every request: a revoked session is never served a copy), and never
 * outlives their own action: any other request carrying a session of theirs
 * (a POST through Remix or the JSON API) drops their copies when it starts and
 * again when it has answered, and a render that overlaps it is not kept.
 *
 * Each response has its own Content-Security-Policy nonce (ADR 0017), so a
 * stored page is kept cut at its nonce's places and every copy served gets
 * the nonce of the response that carries it: one visitor's nonce is never
 * served to another.
 */
export interface PageCacheOptions {
  ttlMs: number;
  /** Visitors' pages kept at most (the oldest goes first). */
  maxEntries: number;
  /** Members' pages kept at most, all members together; 0 (the default without `whoIs`) caches none. */
  maxMemberEntries?: number;
  /** The person a session token belongs to, or null when it is not a live session. Without it, members' pages are not cached. */
  whoIs?: (token: string) => Promise<number | null>;
  /**
   * The rooms of a page whose rooms depend on who reads it (an officer's `/inbox`: their departments). Kept per
   * person until news in their own room (a position granted is a notification, one revoked `me:changed`) or an
   * action of theirs. Without it, such pages are not cached.
   */
  roomsOfReader?: (userId: number) => Promise<string[]>;
  now?: () => number;
}

/**
 * Which pages are cached, and the live rooms whose news makes them stale; `reader` adds the reader's own rooms
 * (`roomsOfReader`), for a members-only page whose content depends on who they are.
 */
const CACHEABLE: { pattern: RegExp; rooms: (m: RegExpMatchArray) => string[]; reader?: true }[] = [
  { pattern: /^\/proposals\/(\d+)(?:\.data)?$/, rooms: (m) => [`proposal:${m[1]}`] },
  { pattern: /^\/halls\/(\d+)(?:\.data)?$/, rooms: (m) => [`hall:${m[1]}`] },
  // The home page's district lists: dropped on the district's pulse (realtime/pulse.server.ts).
  { pattern: /^\/(?:_root\.data)?$/, rooms: () => [HOME_ROOM] },
  // A member's notifications: every new one is published to their own room (which every member's copy listens to),
  // and marking them read is their own action. A visitor is sent to log in (not a 200: never kept).
  { pattern: /^\/notifications(?:\.data)?$/, rooms: () => [] },
  // A member's own page: others' decisions about them (a claim verified, a Party report decided, a position
  // granted or revoked, a membership changed) reach their own room, as a notification or `me:changed`; what
  // reaches no room (a unit renamed) waits at most the time to live, as on the pages above.
  { pattern: /^\/me(?:\.data)?$/, rooms: () => [] },
  // An officer's inbox: every change to an assignment is announced to its department's room and its parent's
  // (whose head sees the station's work), which are the reader's rooms. A visitor is sent to log in.
  { pattern: /^\/inbox(?:\.data)?$/, rooms: () => [], reader: true },
];

interface Entry {
  /** The page, cut where its render's nonce stood (one piece when it had none). */
  parts: Buffer[];
  contentType: string;
  storedAt: number;
  rooms: string[];
}

/** Pages by key, each listed under the rooms whose news drops it; the oldest out first beyond `max`. */
class Store {
  readonly entries = new Map<string, Entry>();
  private readonly byRoom = new Map<string, Set<string>>();
  constructor(private readonly max: number) {}

  get(key: string) {
    return this.entries.get(key);
  }
  put(key: string, entry: Entry) {
    this.drop(key);
    this.entries.set(key, entry);
    for (const room of entry.rooms) (this.byRoom.get(room) ?? this.byRoom.set(room, new Set()).get(room)!).add(key);
    // Oldest first out: a Map iterates in insertion order.
    while (this.entries.size > this.max) this.drop(this.entries.keys().next().value!);
  }
  drop(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const room of entry.rooms) this.byRoom.get(room)?.delete(key);
  }
  dropRoom(room: string) {
    const keys = this.byRoom.get(room);
    if (!keys) return;
    this.byRoom.delete(room);
    for (const key of keys) this.drop(key);
  }
}

/** A render on its way: its waiters, and the rooms whose news means it may already be old. */
interface Render {
  promise: Promise<Entry | null>;
  rooms: string[];
}

export function pageCache(options: PageCacheOptions) {
  const now = options.now ?? (() => Date.now());
  const visitors = new Store(options.maxEntries);
  const members = new Store(options.whoIs ? (options.maxMemberEntries ?? 1_000) : 0);
  const inflight = new Map<string, Render>();
  /**
   * Per member, while any run: how many of their requests that may change something are running. A render of theirs
   * that ends meanwhile is not kept; one overlapping a write's start or end is no longer wanted (`bump`).
   */
  const writing = new Map<number, number>();
  /** Session id → member, for the sessions seen here (a write names its session, not its member). */
  const sessionMembers = new Map<string, number>();

  /** Per member: the rooms of the pages that depend on who reads them, while nothing in their own room says otherwise. */
  const readerRooms = new Map<number, Promise<string[]>>();

  const unsubscribe = onNews((room) => {
    if (room.startsWith("user:")) readerRooms.delete(Number(room.slice(5)));
    visitors.dropRoom(room);
    members.dropRoom(room);
    // A render already on its way may hold the old state: it still answers its waiters, but is not stored.
    for (const [key, render] of inflight) if (render.rooms.includes(room)) inflight.delete(key);
  });

  /** A member's own action starts or ends: their copies go, and renders of theirs running now are not kept. */
  const bump = (userId: number) => {
    readerRooms.delete(userId);
    members.dropRoom(`user:${userId}`);
    for (const [key, render] of inflight) if (render.rooms.includes(`user:${userId}`)) inflight.delete(key);
  };

  function memberOfWrite(token: string): Promise<number | null> {
    const known = sessionMembers.get(sessionIdOf(token));
    if (known !== undefined) return Promise.resolve(known);
    return options.whoIs ? options.whoIs(token).catch(() => null) : Promise.resolve(null);
  }

  /**
   * Every request that is not a GET or HEAD, before anything handles it (Remix actions and the JSON API alike):
   * the member's copies are dropped when it starts and again when it has answered (its transaction committed).
   */
  function beforeWrite(req: IncomingMessage, res: ServerResponse) {
    if (!options.whoIs || req.method === "GET" || req.method === "HEAD") return;
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!token) return;
    const member = memberOfWrite(token);
    let counted: number | null = null;
    void member.then((userId) => {
      if (userId === null) return;
      counted = userId;
      writing.set(userId, (writing.get(userId) ?? 0) + 1);
      bump(userId);
    });
    res.once("close", () => {
      void member.then((userId) => {
        if (userId === null) return;
        if (counted === userId) {
          const left = writing.get(userId)! - 1;
          if (left > 0) writing.set(userId, left);
          else writing.delete(userId);
        }
        bump(userId);
      });
    });
  }

  function middleware(req: Request, res: Response, next: NextFunction) {
    if (req.method !== "GET") return next();
    const path = req.path;
    const rule = CACHEABLE.find((r) => r.pattern.test(path));
    if (!rule) return next();
    // Whose, and how it looks: JSON, so no cookie's value can pass for another part (a visitor's for a member's key).
    const keyOf = (userId: number | null) =>
      JSON.stringify([userId, readCookie(req.headers.cookie, LOCALE_COOKIE) ?? "", readCookie(req.headers.cookie, TEXT_SIZE_COOKIE) ?? "", req.originalUrl]);
    const rooms = rule.rooms(path.match(rule.pattern)!);
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!token) return rule.reader ? next() : serve(req, res, next, visitors, keyOf(null), rooms, null);
    if (!options.whoIs) return next();
    options.whoIs(token).then(
      (userId) => {
        if (userId === null) return next(); // a dead session: Remix answers, clearing its cookie
        sessionMembers.set(sessionIdOf(token), userId);
        if (sessionMembers.size > 10_000) sessionMembers.delete(sessionMembers.keys().next().value!);
        if (!rule.reader) return serve(req, res, next, members, keyOf(userId), [...rooms, `user:${userId}`], userId);
        if (!options.roomsOfReader) return next();
        // Kept only if those rooms are still the person's when the page is stored (news in their room drops them).
        roomsOf(userId).then(
          ({ rooms: own, memo }) =>
            serve(req, res, next, members, keyOf(userId), [...rooms, ...own, `user:${userId}`], userId, () => readerRooms.get(userId) === memo),
          () => next(),
        );
      },
      next,
    );
  }

  /**
   * The reader's own rooms, and the memo they came from: news in their room (a position granted or revoked) drops
   * the memo, so rooms read while such news arrived are read again, and a copy is kept only while its memo stands.
   */
  async function roomsOf(userId: number): Promise<{ rooms: string[]; memo: Promise<string[]> }> {
    for (;;) {
      let memo = readerRooms.get(userId);
      if (!memo) {
        const reading = options.roomsOfReader!(userId);
        reading.catch(() => readerRooms.get(userId) === reading && readerRooms.delete(userId));
        readerRooms.set(userId, reading);
        if (readerRooms.size > 10_000) readerRooms.delete(readerRooms.keys().next().value!);
        memo = reading;
      }
      const rooms = await memo;
      if (readerRooms.get(userId) === memo) return { rooms, memo };
    }
  }

  function serve(
    req: Request,
    res: Response,
    next: NextFunction,
    store: Store,
    key: string,
    rooms: string[],
    userId: number | null,
    roomsStillHold: () => boolean = () => true,
  ) {
    const entry = store.get(key);
    if (entry && now() - entry.storedAt < options.ttlMs) return send(res, entry);
    if (entry) store.drop(key);
    const pending = inflight.get(key);
    if (pending) {
      void pending.promise.then((made) => (made ? send(res, made) : next()));
      return;
    }
    let settle: (entry: Entry | null) => void = () => {};
    const render: Render = { promise: new Promise<Entry | null>((resolve) => (settle = resolve)), rooms };
    inflight.set(key, render);
    capture(res, (status, body) => {
      const stillWanted = inflight.get(key) === render;
      if (stillWanted) inflight.delete(key);
      const cacheable = status === 200 && !res.getHeader("set-cookie");
      const made = cacheable
        ? { parts: cutAtNonce(body, res.locals.cspNonce as string | undefined), contentType: String(res.getHeader("content-type") ?? "text/html; charset=utf-8"), storedAt: now(), rooms }
        : null;
      // A member's copy rendered while one of their own actions ran may show the state before it: served once, not kept.
      const current = (userId === null || !writing.has(userId)) && roomsStillHold();
      if (made && stillWanted && current) store.put(key, made);
      settle(made);
    });
    next();
  }

  return {
    middleware,
    beforeWrite,
    size: () => visitors.entries.size,
    memberSize: () => members.entries.size,
    /** Members with a write running (none kept for members who wrote once). */
    writeCounters: () => writing.size,
    close: () => unsubscribe(),
  };
}

/** A session token is `<id>.<secret>`; only the id names the session. */
function sessionIdOf(token: string): string {
  return token.split(".")[0] ?? "";
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
