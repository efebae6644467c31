/**
 * Clients for the votes benchmark (tests/load/votes.ts): cast ballots the way
 * the vote page's script does (a POST to the JSON write API
 * `/api/votes/<id>/ballots`, form-urlencoded, same-origin Origin header, the
 * voter's session cookie; ADR 0013),
 * many voters at once with autocannon, and a crowd of socket.io clients
 * watching `vote:<id>`. All traffic goes to 127.0.0.1; every loop is bounded.
 */
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "#realtime/events";

export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) throw new Error(`Refusing a non-local URL: ${url}`);
}

/** Nearest-rank percentile of unsorted numbers (NaN when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

// ---------------------------------------------------------------------------
// One ballot.

export interface Reply {
  ok?: boolean;
  error?: string;
}

/** The JSON write API's answer (200 accepted, 422 refused with a message key). */
export function readReply(text: string): Reply {
  try {
    const reply = JSON.parse(text) as { ok?: unknown; error?: unknown };
    return { ok: typeof reply.ok === "boolean" ? reply.ok : undefined, error: typeof reply.error === "string" ? reply.error : undefined };
  } catch {
    return {};
  }
}

const castBody = (choice: number) => `choice=${choice}`;
const castHeaders = (base: string, cookie: string) => ({ Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" });

export interface CastResult {
  /** HTTP status, 0 when the request failed (refused, reset, timed out). */
  status: number;
  ms: number;
  ok: boolean;
  /** The refusal's message key, `HTTP <status>`, or the network error's name. */
  error?: string;
}

/** One ballot with fetch. */
export async function castOnce(base: string, cookie: string, voteId: number, choice: number, timeoutMs = 15_000): Promise<CastResult> {
  assertLocal(base);
  const started = performance.now();
  try {
    const res = await fetch(`${base}/api/votes/${voteId}/ballots`, {
      method: "POST",
      redirect: "manual",
      headers: castHeaders(base, cookie),
      body: castBody(choice),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200 && res.status !== 422) return { status: res.status, ms, ok: false, error: `HTTP ${res.status}` };
    const reply = readReply(text);
    return { status: res.status, ms, ok: reply.ok === true, error: reply.ok === true ? undefined : (reply.error ?? "unreadable reply") };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, ok: false, error: error instanceof Error ? error.name : String(error) };
  }
}

// ---------------------------------------------------------------------------
// Many voters at once.

export interface BallotRunOptions {
  base: string;
  voteId: number;
  connections: number;
  durationS: number;
  /**
   * The voter for the next request: called when a request is built (one
   * request in flight per connection), with `release` called when its answer
   * arrives (not for requests lost to a timeout or a reset).
   */
  take(): number;
  release?(voter: number): void;
  cookieOf(voter: number): string;
  choiceOf(voter: number): number;
  /** Called for every acknowledged ballot (HTTP 200 with ok: true). */
  onAcknowledged(voter: number, choice: number): void;
}

export interface BallotRunFigures {
  /** Requests built and sent. */
  sent: number;
  /** Answers of any kind. */
  answered: number;
  status200: number;
  acknowledged: number;
  /** Refusals (200 with ok: false) by message key, and other statuses. */
  outcomes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsedS: number;
  /** autocannon's latency over every answered request, ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** autocannon's mean requests per second. */
  rps: number;
}

/**
 * `connections` connections, each with one ballot in flight at a time, for
 * `durationS` seconds (autocannon; its own latency histogram). Each request
 * carries the cookie and choice of the voter `take()` gives.
 */
export async function ballotRun(options: BallotRunOptions): Promise<BallotRunFigures> {
  const { base, voteId, connections, durationS, take, release, cookieOf, choiceOf, onAcknowledged } = options;
  assertLocal(base);
  const outcomes: Record<string, number> = {};
  let sent = 0;
  let answered = 0;
  let status200 = 0;
  let acknowledged = 0;
  type Ctx = { voter?: number; choice?: number };
  const started = performance.now();
  const result = await autocannon({
    url: base,
    connections,
    duration: durationS,
    // Long enough that a slow answer is measured as latency rather than dropped (a dropped one would also strand its voter).
    timeout: 60,
    requests: [
      {
        method: "POST",
        path: `/api/votes/${voteId}/ballots`,
        setupRequest: (req, context) => {
          const ctx = context as Ctx;
          sent++;
          const voter = take();
          const choice = choiceOf(voter);
          ctx.voter = voter;
          ctx.choice = choice;
          return { ...req, headers: { ...req.headers, ...castHeaders(base, cookieOf(voter)) }, body: castBody(choice) };
        },
        onResponse: (status, body, context) => {
          const ctx = context as Ctx;
          answered++;
          if (ctx.voter !== undefined) release?.(ctx.voter);
          if (status !== 200 && status !== 422) {
            outcomes[`HTTP ${status}`] = (outcomes[`HTTP ${status}`] ?? 0) + 1;
            return;
          }
          if (status === 200) status200++;
          const reply = readReply(body);
          if (reply.ok === true && ctx.voter !== undefined && ctx.choice !== undefined) {
            acknowledged++;
            onAcknowledged(ctx.voter, ctx.choice);
          } else {
            const key = reply.error ?? "unreadable reply";
            outcomes[key] = (outcomes[key] ?? 0) + 1;
          }
        },
      },
    ],
  });
  return {
    sent,
    answered,
    status200,
    acknowledged,
    outcomes,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedS: (performance.now() - started) / 1000,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    rps: result.requests.average,
  };
}

// ---------------------------------------------------------------------------
// Watchers of the vote.

export type WatcherSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type VoteChange = Parameters<ServerToClientEvents["vote:changed"]>[0];

export interface Crowd {
  sockets: WatcherSocket[];
  /** Calls `handler(index, change, receivedAt)` for every `vote:changed` any watcher receives. */
  onChange(handler: (index: number, change: VoteChange, at: number) => void): void;
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
  let handler: ((index: number, change: VoteChange, at: number) => void) | undefined;
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
        const socket: WatcherSocket = io(base, { transports: ["websocket"], extraHeaders: { Origin: base }, forceNew: true, reconnection: false, timeout: timeoutMs });
        sockets.push(socket);
        socket.on("vote:changed", (change) => handler?.(index, change, performance.now()));
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
  return { sockets, onChange: (h) => (handler = h), close };
}

export interface FanoutRound {
  /** From just before the POST to each watcher's first `vote:changed`, ms (NaN: never received). */
  fromPost: number[];
  /** The turnout the event carried (the first watcher's). */
  ballots: number | null;
  post: CastResult;
}

/**
 * Cast one ballot and time, for every watcher, its first `vote:changed` for
 * the vote after the POST began; waits at most `waitMs` for the last one.
 */
export async function fanoutRound(options: { crowd: Crowd; base: string; cookie: string; voteId: number; choice: number; waitMs: number }): Promise<FanoutRound> {
  const { crowd, base, cookie, voteId, choice, waitMs } = options;
  const n = crowd.sockets.length;
  const received = new Array<number>(n).fill(NaN);
  let count = 0;
  let ballots: number | null = null;
  let allIn: () => void = () => {};
  const everyone = new Promise<void>((resolve) => (allIn = resolve));
  const started = performance.now();
  crowd.onChange((index, change, at) => {
    if (change.voteId !== voteId || !Number.isNaN(received[index]!)) return;
    received[index] = at;
    ballots ??= change.ballots;
    if (++count === n) allIn();
  });
  const post = await castOnce(base, cookie, voteId, choice);
  if (post.ok) {
    const timeout = new AbortController();
    await Promise.race([everyone, sleep(waitMs, undefined, { signal: timeout.signal }).catch(() => {})]);
    timeout.abort();
  }
  crowd.onChange(() => {});
  return { fromPost: received.map((at) => at - started), ballots, post };
}
