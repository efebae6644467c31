import { firstError, type IntentReply } from "~/lib/intents";

/**
 * A form action's answer, flattened for assertions: ok, the first error's
 * field and message, and the HTTP status when the action set one (413).
 */
export function replyOf(answer: unknown): { ok: boolean; field?: string; error?: string; status?: number } {
  const withInit = answer as { data?: IntentReply; init?: { status?: number } | null };
  const result = (
    withInit && typeof withInit === "object" && "data" in withInit && "init" in withInit ? withInit.data : answer
  ) as IntentReply;
  const error = firstError(result);
  return {
    ok: result.ok,
    ...(error ? { field: error.field, error: error.message } : {}),
    ...(withInit?.init?.status ? { status: withInit.init.status } : {}),
  };
}
