import express, { type NextFunction, type Request, type Response } from "express";
import { z, ZodError, type ZodType } from "zod";
import { resolveRequestContext, type RequestContext } from "~/lib/context.server";
import { CommandError, ForbiddenError, NotFoundError } from "~/lib/command.server";
import { loadActor } from "~/modules/identity/actor.server";
import type { Actor } from "~/modules/identity/actor";
import { db } from "#db/client.server";
import { postComment } from "~/modules/proposals/commands.server";
import { commentSchema } from "~/modules/proposals/schemas";
import { castBallot } from "~/modules/votes/commands.server";

/**
 * The JSON write API for the two hottest actions of a live meeting: posting a
 * comment and casting a ballot (ADR 0013). The pages' scripts call it; the
 * same forms still post to their Remix actions when scripts have not loaded.
 * Both paths run the very same command (authorisation, validation,
 * idempotency, one transaction); this one only skips the page framework's
 * per-request routing and serialisation, which cost more than the work.
 *
 * Answers: 200 `{ ok: true, … }`; 422 `{ ok: false, error: <message key>, field? }`;
 * 401, 403, 404 `{ ok: false, error }`.
 */
export function apiRouter() {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: "64kb" }), express.json({ limit: "64kb" }));

  router.post(
    "/proposals/:id/comments",
    handle(commentSchema, async (input, actor, req) => {
      const comment = await postComment(actor, { proposalId: id(req.params.id), ...input });
      return { commentId: comment.id, comment };
    }),
  );

  router.post(
    "/votes/:id/ballots",
    handle(ballotBody, async (input, actor, req) => {
      const { receipt, changed } = await castBallot(actor, { voteId: id(req.params.id), choices: input.choices });
      return { receipt, changed };
    }),
  );

  return router;
}

/** `choice` once (a single choice) or repeated (approval), as the ballot form sends it. */
const ballotBody = z.object({ choice: z.union([z.string(), z.array(z.string())]).optional() }).transform((b) => ({
  choices: (b.choice === undefined ? [] : Array.isArray(b.choice) ? b.choice : [b.choice]).map(Number),
}));

function id(raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new NotFoundError("id");
  return n;
}

/** Resolve who is asking, validate the body with `schema`, run `command`, and answer in JSON. */
function handle<S extends ZodType>(
  schema: S,
  command: (input: S["_output"], actor: Actor, req: Request, context: RequestContext) => Promise<object>,
) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const url = new URL(req.originalUrl, `${req.protocol}://${req.get("host") ?? "localhost"}`);
      const { context, setCookies } = await resolveRequestContext({ cookieHeader: req.headers.cookie, url, ip: req.ip ?? "" });
      for (const cookie of setCookies) res.append("Set-Cookie", cookie);
      if (!context.user) return void res.status(401).json({ ok: false, error: "error.401" });
      const parsed = schema.safeParse(req.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return void res.status(422).json({ ok: false, error: issue.message, field: String(issue.path[0] ?? "") });
      }
      const actor = context.actor ?? (await loadActor(db(), context.user.id));
      res.json({ ok: true, ...(await command(parsed.data, actor, req, context)) });
    } catch (error) {
      if (error instanceof CommandError) return void res.status(422).json({ ok: false, error: error.messageKey, field: error.field });
      if (error instanceof ForbiddenError) return void res.status(403).json({ ok: false, error: "error.403" });
      if (error instanceof NotFoundError) return void res.status(404).json({ ok: false, error: "error.404" });
      if (error instanceof ZodError) return void res.status(422).json({ ok: false, error: error.issues[0]?.message });
      next(error);
    }
  };
}
