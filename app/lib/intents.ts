import type { SubmissionResult } from "@conform-to/react";

/**
 * What every form action answers (app/lib/intents.server.ts): which intent
 * ran, whether it did, Conform's reply (errors by field, "" for the form) and
 * what the command returned for the page (a new comment's id, say).
 */
export interface IntentReply {
  intent: string;
  ok: boolean;
  reply: SubmissionResult<string[]>;
  data?: Record<string, unknown>;
}

/** The first error of a reply, with the field it belongs to ("" for the whole form), or nothing when it succeeded. */
export function firstError(result: IntentReply | undefined): { field: string; message: string } | undefined {
  if (!result || result.ok) return undefined;
  for (const [field, messages] of Object.entries(result.reply.error ?? {})) {
    if (messages?.length) return { field, message: messages[0]! };
  }
  return { field: "", message: "error.500" };
}

/** A refused reply as a page's parts read it: the intent, the field, the message, and what the form had sent (its hidden ids). */
export function refusal(
  result: IntentReply | undefined,
): { intent: string; field: string; message: string; sent: Record<string, unknown> } | undefined {
  const error = firstError(result);
  if (!result || !error) return undefined;
  return { intent: result.intent, ...error, sent: (result.reply.initialValue as Record<string, unknown> | null | undefined) ?? {} };
}
