import { parseWithZod } from "@conform-to/zod";
import type { SubmissionResult } from "@conform-to/react";
import type { z } from "zod";
import type { IntentReply } from "./intents";
import { performForm } from "./route.server";

/**
 * One form intent: the zod schema its fields must pass and the command it
 * runs. Each domain keeps a table of them (`modules/<domain>/intents.server.ts`),
 * and every route's action is the same three lines: read the form, build the
 * context, `performIntent`. Validation, the command's refusal beside its
 * field, and 403/404 are handled here once.
 */
export interface Intent<Ctx, S extends z.ZodTypeAny = z.ZodTypeAny, R = unknown> {
  schema: S;
  /** Runs the command. A thrown Response (a redirect) passes through. */
  run(ctx: Ctx, value: z.output<S>): Promise<R>;
  /** What of the command's result the page needs (a new comment's id, say); nothing else of it leaves the server. */
  data?(result: R, value: z.output<S>): Record<string, unknown>;
}

/**
 * The intent declarer for one context type: `const intent = intentsFor<{ actor: Actor; proposalId: number }>()`,
 * then `intent(schema, run, data?)`, with the value's type inferred from the schema.
 */
export function intentsFor<Ctx>() {
  return <S extends z.ZodTypeAny, R>(schema: S, run: Intent<Ctx, S, R>["run"], data?: Intent<Ctx, S, R>["data"]): Intent<Ctx, S, R> => ({
    schema,
    run,
    data,
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own schema; the table only needs their common shape
export type IntentTable<Ctx> = Record<string, Intent<Ctx, any, any>>;

/**
 * Parse the form's `intent`, validate its fields with that intent's schema
 * (Conform's coercion: an empty field is absent) and run its command.
 * An unknown intent is a 400; invalid fields or a CommandError come back as
 * the reply, beside their field; forbidden and missing become 403 and 404.
 */
export async function performIntent<Ctx>(formData: FormData, table: IntentTable<Ctx>, ctx: Ctx): Promise<IntentReply> {
  const name = String(formData.get("intent") ?? "");
  const entry = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!entry) throw new Response("Bad Request", { status: 400 });
  const submission = parseWithZod(formData, { schema: entry.schema });
  if (submission.status !== "success") return { intent: name, ok: false, reply: submission.reply() as SubmissionResult<string[]> };
  let data: Record<string, unknown> | undefined;
  let ok = false;
  const reply = await performForm(
    submission,
    async () => {
      const result = await entry.run(ctx, submission.value);
      data = entry.data?.(result, submission.value);
      ok = true;
    },
    () => submission.reply({ resetForm: true }),
  );
  return { intent: name, ok, reply: reply as SubmissionResult<string[]>, ...(ok && data ? { data } : {}) };
}

/** A reply refusing the form before any command ran (a body over the size limit, say), with the message beside `field`. */
export function refuseIntent(formData: FormData, field: string, message: string): IntentReply {
  const sent: Record<string, string> = {};
  for (const [k, v] of formData.entries()) if (typeof v === "string") sent[k] = v;
  return {
    intent: String(formData.get("intent") ?? ""),
    ok: false,
    reply: { status: "error", initialValue: sent, error: { [field]: [message] } },
  };
}
