/**
 * Clients for the halls benchmark (tests/load/halls.ts): post a comment the
 * way the browser's fetcher does (Remix single fetch), many authors at once,
 * and a crowd of socket.io watchers of one proposal. All traffic goes to
 * 127.0.0.1; every loop is bounded in count and in time.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, CommentPayload, ServerToClientEvents } from "#realtime/events";

export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) throw new Error(`Refusing a non-local URL: ${url}`);
}

// ---------------------------------------------------------------------------
// Statistics.

/** Nearest-rank percentile of unsorted numbers (NaN when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

// ---------------------------------------------------------------------------
// Posting a comment.

export interface PostResult {
  /** HTTP status, 0 when the request failed (refused, reset, timed out). */
  status: number;
  ms: number;
  /** The action answered `ok: true`. */
  ok: boolean;
  /** The action's refusal (a translation key such as `comment.error.rateLimited`), or the network error. */
  error?: string;
  commentId?: number;
}

/** The JSON write API's answer (200 accepted, 422 refused with a message key). */
export function readActionReply(text: string): { ok?: boolean; error?: string; commentId?: number } {
  try {
    const reply = JSON.parse(text) as { ok?: unknown; error?: unknown; commentId?: unknown };
    return {
      ok: typeof reply.ok === "boolean" ? reply.ok : undefined,
      error: typeof reply.error === "string" ? reply.error : undefined,
      commentId: typeof reply.commentId === "number" ? reply.commentId : undefined,
    };
  } catch {
    return {};
  }
}

/** POST a comment to the JSON write API as the proposal page's script does (same-origin Origin header, form body; ADR 0013). */
export async function postComment(base: string, cookie: string, proposalId: number, body: string, timeoutMs = 10_000): Promise<PostResult> {
  assertLocal(base);
  const started = performance.now();
  try {
    const res = await fetch(`${base}/api/proposals/${proposalId}/comments`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ stance: "support", body, clientKey: randomUUID() }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200 && res.status !== 422) return { status: res.status, ms, ok: false, error: `HTTP ${res.status}` };
    const reply = readActionReply(text);
    return {
      status: res.status,
      ms,
      ok: reply.ok === true,
      error: reply.ok === true ? undefined : (reply.error ?? "unreadable reply"),
      commentId: reply.commentId,
    };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, ok: false, error: error instanceof Error ? error.name : String(error) };
  }
}

export interface PostingFigures {
  authors: number;
  attempts: number;
  status200: number;
  accepted: number;
  /** Answers that were not 200 or failed outright. */
  errors: number;
  /** Requests that got no answer at all (timed out, reset): the server may still have stored their comment. */
  unanswered: number;
  /** Refusals (200 with `ok: false`) by message key, and errors by kind. */
  outcomes: Record<string, number>;
  /** Latency of every answered request (any status), ms. */
  latencies: number[];
  elapsedMs: number;
  /** The run ended because every author reached the per-author cap (rather than the time box). */
  capped: boolean;
}

/**
 * `concurrency` authors post at once (default: every author), each comment
 * after the previous one was answered, each author at most `perAuthor` times
 * (the hourly limit), until `durationS` is up. An author who reached the limit,
 * or got a rate-limit refusal, hands the connection to the next author who has
 * not posted yet, so a run can last longer than one cohort's hourly allowance.
 */
export async function postingRun(options: {
  base: string;
  proposalId: number;
  cookies: string[];
  perAuthor: number;
  durationS: number;
  label: string;
  concurrency?: number;
  /** Per request; generous, so an overloaded server's slow answers are still counted (default 30 s). */
  timeoutMs?: number;
}): Promise<PostingFigures> {
  const { base, proposalId, cookies, perAuthor, durationS, label, timeoutMs = 30_000 } = options;
  const concurrency = Math.min(options.concurrency ?? cookies.length, cookies.length);
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let attempts = 0;
  let status200 = 0;
  let accepted = 0;
  let errors = 0;
  let unanswered = 0;
  let capped = 0;
  let nextAuthor = 0;
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const postAs = async (author: number) => {
    for (let i = 0; i < perAuthor; i++) {
      if (performance.now() >= deadline) return;
      attempts++;
      const r = await postComment(
        base,
        cookies[author]!,
        proposalId,
        `${label}：作者${author + 1}的第${i + 1}次发言，支持先试行夜间限时停车，三个月后再评估效果。`,
        timeoutMs,
      );
      if (r.status !== 0) latencies.push(r.ms);
      else unanswered++;
      if (r.status === 200) status200++;
      if (r.ok) accepted++;
      else {
        outcomes[r.error ?? "unknown"] = (outcomes[r.error ?? "unknown"] ?? 0) + 1;
        if (r.status !== 200) errors++;
        if (r.error === "comment.error.rateLimited") return;
      }
    }
    capped++;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextAuthor < cookies.length && performance.now() < deadline) await postAs(nextAuthor++);
    }),
  );
  return {
    authors: nextAuthor,
    attempts,
    status200,
    accepted,
    errors,
    unanswered,
    outcomes,
    latencies,
    elapsedMs: performance.now() - started,
    capped: capped === cookies.length,
  };
}

// ---------------------------------------------------------------------------
// Watchers.

export type WatcherSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Crowd {
  sockets: WatcherSocket[];
  /** Calls `onComment(index, payload, receivedAt)` for every comment any watcher receives. */
  onComment(handler: (index: number, comment: CommentPayload, at: number) => void): void;
  close(): void;
}

/**
 * Connect `count` independent socket.io clients (WebSocket only, same-origin
 * Origin header) in batches, and have each join `room`. On any failure the
 * sockets made so far are closed.
 */
export async function connectCrowd(base: string, room: string, count: number, batch = 50, timeoutMs = 10_000): Promise<Crowd> {
  assertLocal(base);
  const sockets: WatcherSocket[] = [];
  let handler: ((index: number, comment: CommentPayload, at: number) => void) | undefined;
  const close = () => {
    for (const socket of sockets) {
      socket.removeAllListeners();
      socket.disconnect();
    }
  };
  try {
    for (let first = 0; first < count; first += batch) {
      const made = Array.from({ length: Math.min(batch, count - first) }, (_, k) => {
        const index = first + k;
        const socket: WatcherSocket = io(base, {
          transports: ["websocket"],
          extraHeaders: { Origin: base },
          forceNew: true,
          reconnection: false,
          timeout: timeoutMs,
        });
        sockets.push(socket);
        socket.on("comment:upserted", (comment) => handler?.(index, comment, performance.now()));
        return socket;
      });
      await Promise.all(
        made.map(
          (socket) =>
            new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error(`A watcher did not connect within ${timeoutMs} ms.`)), timeoutMs);
              socket.once("connect", () => {
                clearTimeout(timer);
                resolve();
              });
              socket.once("connect_error", (error) => {
                clearTimeout(timer);
                reject(new Error(`A watcher could not connect: ${error.message}`));
              });
            }),
        ),
      );
      const joined = await Promise.all(made.map((socket) => socket.timeout(timeoutMs).emitWithAck("room:join", room)));
      if (joined.some((allowed) => !allowed)) throw new Error(`The server refused to let a watcher join ${room}.`);
    }
  } catch (error) {
    close();
    throw error;
  }
  return {
    sockets,
    onComment: (h) => (handler = h),
    close,
  };
}

export interface FanoutRound {
  /** From just before the POST to each watcher's receipt, ms (NaN: never received). */
  latencies: number[];
  postMs: number;
  postOk: boolean;
}

/**
 * Post one comment (with a unique marker in its text) and time, for every
 * watcher, its `comment:upserted`; waits at most `waitMs` for the last one.
 */
export async function fanoutRound(options: {
  crowd: Crowd;
  base: string;
  cookie: string;
  proposalId: number;
  label: string;
  waitMs: number;
}): Promise<FanoutRound> {
  const { crowd, base, cookie, proposalId, label, waitMs } = options;
  const marker = `${label}-${randomUUID().slice(0, 8)}`;
  const n = crowd.sockets.length;
  const received = new Array<number>(n).fill(NaN);
  let count = 0;
  let allIn: () => void = () => {};
  const everyone = new Promise<void>((resolve) => (allIn = resolve));
  crowd.onComment((index, comment, at) => {
    if (comment.body?.includes(marker) && Number.isNaN(received[index]!)) {
      received[index] = at;
      if (++count === n) allIn();
    }
  });
  const started = performance.now();
  const post = await postComment(base, cookie, proposalId, `${marker}：扇出测试，请大家看看这条新发言。`);
  if (post.ok) {
    const timeout = new AbortController();
    await Promise.race([everyone, sleep(waitMs, undefined, { signal: timeout.signal }).catch(() => {})]);
    timeout.abort();
  }
  crowd.onComment(() => {});
  return { latencies: received.map((at) => at - started), postMs: post.ms, postOk: post.ok };
}
