/**
 * Clients for the halls benchmark (tests/load/halls.ts): post comments to the
 * JSON write API as the proposal page's script does (ADR 0013), one with
 * fetch or many authors at once with autocannon, and a crowd of socket.io
 * watchers of one proposal. All traffic goes to
 * 127.0.0.1; every loop is bounded in count and in time.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
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
  /** autocannon's latency over every answered request, ms. */
  p50: number;
  p99: number;
  max: number;
  elapsedMs: number;
  /** The run ended because every author reached the per-author cap (rather than the time box). */
  capped: boolean;
}

/**
 * `concurrency` connections post at once (default: one per author), each
 * comment after the previous one was answered (autocannon, like the page
 * runs and the votes benchmark: a light load generator, since it shares the
 * two cores with the server). A connection posts as one author at a time, at
 * most `perAuthor` times (the hourly limit); then, or after a rate-limit
 * refusal, it takes the next author who has not posted yet. The run ends when
 * `durationS` is up or every author is done. Latencies are autocannon's.
 */
export async function postingRun(options: {
  base: string;
  proposalId: number;
  cookies: string[];
  perAuthor: number;
  durationS: number;
  label: string;
  concurrency?: number;
  /** Per request, seconds; generous, so an overloaded server's slow answers are still counted (default 30). */
  timeoutS?: number;
}): Promise<PostingFigures> {
  const { base, proposalId, cookies, perAuthor, durationS, label, timeoutS = 30 } = options;
  assertLocal(base);
  const concurrency = Math.min(options.concurrency ?? cookies.length, cookies.length);
  const outcomes: Record<string, number> = {};
  const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
  let attempts = 0;
  let answered = 0;
  let status200 = 0;
  let accepted = 0;
  let errors = 0;
  const posts = new Map<number, number>();
  // Authors free to post (none has two requests in flight); one who is done makes room for the next unused one.
  const free = Array.from({ length: concurrency }, (_, k) => concurrency - 1 - k);
  let nextAuthor = concurrency;
  const release = (author: number, finished: boolean) => {
    if (!finished) free.push(author);
    else if (nextAuthor < cookies.length) free.push(nextAuthor++);
  };
  /** autocannon's context lives from a request's setup to its answer: it carries the author. */
  type Ctx = { author?: number };
  const started = performance.now();
  let exhausted = false;
  // The callback form: it returns the instance, which can be stopped when every author is done.
  let finish: (result: autocannon.Result) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const ended = new Promise<autocannon.Result>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const options_: autocannon.Options = {
    url: base,
    connections: concurrency,
    duration: durationS,
    timeout: timeoutS,
    requests: [
      {
        method: "POST",
        path: `/api/proposals/${proposalId}/comments`,
        setupRequest: (req, context) => {
          const ctx = context as Ctx;
          const author = free.pop();
          ctx.author = author;
          if (author === undefined) {
            // Every author has posted their hour's worth: end the run (a request must still be returned).
            exhausted = true;
            instance.stop();
            return { ...req, method: "GET", path: "/healthz", headers: {}, body: undefined };
          }
          const n = (posts.get(author) ?? 0) + 1;
          posts.set(author, n);
          attempts++;
          const body = `${label}：作者${author + 1}的第${n}次发言，支持先试行夜间限时停车，三个月后再评估效果。`;
          return {
            ...req,
            headers: { ...req.headers, Cookie: cookies[author]!, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ stance: "support", body, clientKey: randomUUID() }).toString(),
          };
        },
        onResponse: (status, body, context) => {
          const ctx = context as Ctx;
          if (ctx.author === undefined) return; // the closing /healthz
          const author = ctx.author;
          answered++;
          if (status === 200) status200++;
          if (status !== 200 && status !== 422) {
            errors++;
            count(`HTTP ${status}`);
            release(author, (posts.get(author) ?? 0) >= perAuthor);
            return;
          }
          const reply = readActionReply(body);
          if (reply.ok === true) accepted++;
          else count(reply.error ?? "unreadable reply");
          // At the hourly limit (or refused for it early), this author is done.
          release(author, (posts.get(author) ?? 0) >= perAuthor || reply.error === "comment.error.rateLimited");
        },
      },
    ],
  };
  const instance = autocannon(options_, (error, result) => (error ? fail(error) : finish(result)));
  const result = await ended;
  const elapsedMs = performance.now() - started;
  return {
    authors: nextAuthor,
    attempts,
    status200,
    accepted,
    errors: errors + result.errors,
    unanswered: attempts - answered,
    outcomes,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    elapsedMs,
    capped: exhausted,
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
