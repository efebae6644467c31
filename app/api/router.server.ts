import type { IncomingMessage, ServerResponse } from "node:http";
import { hasForbiddenCharacters, parseId } from "~/lib/input";
import { z, ZodError, type ZodType } from "zod";
import { resolveRequestContext, type RequestContext } from "~/lib/context.server";
import { isCleanUrl } from "~/lib/input.server";
import { logError } from "~/lib/log.server";
import { CommandError, ForbiddenError, NotFoundError } from "~/lib/command.server";
import { applySecurityHeaders, isSameOriginRequest } from "~/lib/http.server";
import { loadActor } from "~/modules/identity/actor.server";
import type { Actor } from "~/modules/identity/actor";
import { db } from "#db/client.server";
import { postComment } from "~/modules/proposals/commands.server";
import { commentSchema } from "~/modules/proposals/schemas";
import { castBallot } from "~/modules/votes/commands.server";
import { castBallot as castMeetingBallot } from "~/modules/meetings/commands.server";
import { ballotSchema as meetingBallotSchema } from "~/modules/meetings/schemas";
import { encryptedBallotSchema, parseChoices, tellerBody } from "~/modules/votes/schemas";
import { cancelSignup, signUp } from "~/modules/pledges/commands.server";
import { cancelFields, signupFields } from "~/modules/pledges/schemas";
import { openerBody, sealedBidBody } from "~/modules/projects/bid-schemas";
import { submitBid, withdrawBid } from "~/modules/projects/bids.server";
import { complainOpener, confirmOpenerShare, dealOpenerShares, publishOpenerKeys } from "~/modules/projects/ceremony.server";
import { submitOpening } from "~/modules/projects/opening.server";
import { complainTeller, confirmTellerShare, dealTellerShares, publishTellerKeys, submitPartialDecryption } from "~/modules/votes/secret-commands.server";

/**
 * The JSON write API for the hottest actions: posting a comment and casting a
 * ballot in a live meeting, and racing for a popular activity's places
 * (ADR 0013). The pages' scripts call it; the
 * same forms still post to their Remix actions when scripts have not loaded.
 * Both paths run the very same command (authorisation, validation,
 * idempotency, one transaction); this one only skips the page framework's
 * per-request routing and serialisation, which cost more than the work.
 *
 * It answers before Express sees the request (server.ts): on two shared cores
 * Express's router, body parsers and response helpers were a third of a
 * ballot's JavaScript. It keeps what they gave: the security headers, the
 * CSRF check, a 64 KB body limit, form or JSON bodies.
 *
 * Answers: 200 `{ ok: true, … }`; 422 `{ ok: false, error: <message key>, field? }`;
 * 401, 403, 404, 405, 413 `{ ok: false, error }`.
 */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

interface Route {
  pattern: RegExp;
  run(req: IncomingMessage, res: ServerResponse, id: number): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;

/** Returns a handler that answers `/api/…` requests (true) and leaves every other request alone (false). */
export function apiHandler(options: { baseUrl?: string; hsts?: boolean } = {}): ApiHandler {
  const allowedOrigins = options.baseUrl ? [new URL(options.baseUrl).origin] : [];
  const routes: Route[] = [
    {
      pattern: /^\/api\/proposals\/(\d+)\/comments$/,
      run: handle(commentSchema, async (input, actor, id) => {
        const comment = await postComment(actor, { proposalId: id, ...input });
        return { commentId: comment.id, comment };
      }),
    },
    {
      pattern: /^\/api\/votes\/(\d+)\/ballots$/,
      run: handle(ballotBody, async (input, actor, id) => {
        const { receipt, changed } = await castBallot(actor, { voteId: id, choices: input.choices, ballot: input.ballot });
        return { receipt, changed };
      }),
    },
    {
      // A phone's ballot on a motion voted in a hall meeting's room (ADR 0040): 300 phones at once.
      pattern: /^\/api\/meetings\/(\d+)\/ballots$/,
      run: handle(meetingBallotSchema, async (input, actor, meetingId) => {
        await castMeetingBallot(actor, { meetingId, ...input });
        return { motionId: input.motionId, choice: input.choice };
      }),
    },
    {
      // A popular activity's places (ADR 0013, 0021): the same command as the page's "signUp" intent.
      pattern: /^\/api\/activities\/(\d+)\/signup$/,
      run: handle(signupFields, async (input, actor, id) => {
        const row = await signUp(actor, { activityId: id, roleId: input.roleId });
        return { signup: { roleId: row.roleId, status: row.status, seq: row.seq } };
      }),
    },
    {
      pattern: /^\/api\/activities\/(\d+)\/cancel$/,
      run: handle(cancelFields, async (_input, actor, id) => {
        const { promoted } = await cancelSignup(actor, { activityId: id });
        return { promoted: promoted !== null };
      }),
    },
    {
      pattern: /^\/api\/votes\/(\d+)\/teller$/,
      run: handle(tellerBody, async (b, actor, voteId) => {
        if (b.intent === "publish") await publishTellerKeys(actor, { voteId, ...b });
        else if (b.intent === "deal") await dealTellerShares(actor, { voteId, shares: b.shares });
        else if (b.intent === "confirm") return confirmTellerShare(actor, { voteId, ...b });
        else if (b.intent === "complain") await complainTeller(actor, { voteId, against: b.against });
        else return submitPartialDecryption(actor, { voteId, partial: b.partial });
        return {};
      }),
    },
    {
      // A sealed bid without attachments (the page posts those with their files to its own action): the bid race's hot path.
      pattern: /^\/api\/projects\/(\d+)\/bids$/,
      run: handle(apiBidBody, async (b, actor, projectId) => {
        const answer =
          b.intent === "withdraw"
            ? await withdrawBid(actor, { projectId, organizationId: b.organizationId, clientKey: b.clientKey })
            : b.sealed
              ? await submitBid(actor, { projectId, organizationId: b.organizationId, sealed: b.sealed, fileDigests: [], clientKey: b.clientKey })
              : null;
        if (!answer) throw new CommandError("bids.error.sealed", "sealed");
        return { bidId: answer.bidId, revision: answer.revision, kind: answer.kind, receipt: answer.receipt, at: answer.at.toISOString(), bidCount: answer.bidCount };
      }),
    },
    {
      pattern: /^\/api\/projects\/(\d+)\/opener$/,
      run: handle(openerBody, async (b, actor, projectId) => {
        if (b.intent === "publish") await publishOpenerKeys(actor, { projectId, ...b });
        else if (b.intent === "deal") await dealOpenerShares(actor, { projectId, shares: b.shares });
        else if (b.intent === "confirm") return confirmOpenerShare(actor, { projectId, ...b });
        else if (b.intent === "complain") await complainOpener(actor, { projectId, against: b.against });
        else return submitOpening(actor, { projectId, partials: b.partials });
        return {};
      }),
    },
  ];

  return (req, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith("/api/")) return false;
    applySecurityHeaders(res, { hsts: options.hsts });
    const path = url.split("?", 1)[0]!;
    if (!isCleanUrl(url)) return answer(res, 400, { ok: false, error: "error.400" });
    const route = routes.find((r) => r.pattern.test(path));
    if (!route) return answer(res, 404, { ok: false, error: "error.404" });
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      return answer(res, 405, { ok: false, error: "error.400" });
    }
    const sameOrigin = isSameOriginRequest({
      method: "POST",
      host: req.headers.host,
      origin: req.headers.origin,
      secFetchSite: header(req, "sec-fetch-site"),
      allowedOrigins,
    });
    if (!sameOrigin) return answer(res, 403, { ok: false, error: "error.403" });
    const id = parseId(route.pattern.exec(path)![1]);
    if (id === null) return answer(res, 404, { ok: false, error: "error.404" });
    route.run(req, res, id).catch((error: unknown) => {
      logError("API request failed", error);
      if (!res.headersSent) answer(res, 500, { ok: false, error: "error.500" });
      else res.destroy();
    });
    return true;
  };
}

/**
 * `choice` once (a single choice) or repeated (approval), as the ballot form
 * sends it; or, for a secret vote, the `ballot` the browser encrypted (JSON).
 */
const ballotBody = z
  .object({ choice: z.union([z.string(), z.array(z.string())]).optional(), ballot: encryptedBallotSchema.optional() })
  .transform((b) => ({
    choices: b.ballot ? undefined : parseChoices(b.choice === undefined ? [] : Array.isArray(b.choice) ? b.choice : [b.choice]),
    ballot: b.ballot,
  }));

const apiBidBody = sealedBidBody.extend({ organizationId: z.number().int().positive() });

/** Resolve who is asking, validate the body with `schema`, run `command`, and answer in JSON. */
function handle<S extends ZodType>(schema: S, command: (input: S["_output"], actor: Actor, id: number, context: RequestContext) => Promise<object>) {
  return async (req: IncomingMessage, res: ServerResponse, id: number) => {
    const body = await readBody(req);
    if (body === "too large") return void answer(res, 413, { ok: false, error: "error.400" });
    // The same text sanitiser as every form (ADR 0017): a NUL or a direction override is a 400, before any batch.
    if (holdsForbidden(body)) return void answer(res, 400, { ok: false, error: "error.400" });
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
      const { context, setCookies } = await resolveRequestContext({ cookieHeader: req.headers.cookie, url, ip: req.socket.remoteAddress ?? "" });
      if (setCookies.length) res.setHeader("Set-Cookie", setCookies);
      if (!context.user) return void answer(res, 401, { ok: false, error: "error.401" });
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return void answer(res, 422, { ok: false, error: issue.message, field: String(issue.path[0] ?? "") });
      }
      const actor = context.actor ?? (await loadActor(db(), context.user.id));
      answer(res, 200, { ok: true, ...(await command(parsed.data, actor, id, context)) });
    } catch (error) {
      if (error instanceof CommandError) return void answer(res, 422, { ok: false, error: error.messageKey, field: error.field });
      if (error instanceof ForbiddenError) return void answer(res, 403, { ok: false, error: "error.403" });
      if (error instanceof NotFoundError) return void answer(res, 404, { ok: false, error: "error.404" });
      if (error instanceof ZodError) return void answer(res, 422, { ok: false, error: error.issues[0]?.message });
      throw error;
    }
  };
}

function holdsForbidden(value: unknown): boolean {
  if (typeof value === "string") return hasForbiddenCharacters(value);
  if (Array.isArray(value)) return value.some(holdsForbidden);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => hasForbiddenCharacters(k) || holdsForbidden(v));
  return false;
}

function answer(res: ServerResponse, status: number, body: object): true {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" });
  res.end(text);
  return true;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The body as an object: a form (a repeated field becomes an array, as the
 * approval ballot sends its choices) or JSON; `{}` for anything else.
 */
async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | "too large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return "too large";
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const type = (header(req, "content-type") ?? "").split(";", 1)[0]!.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    const form: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      const seen = form[key];
      form[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
    }
    return form;
  }
  if (type === "application/json") {
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return {};
}
