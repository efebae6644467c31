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
