import type { Submission } from "@conform-to/react";
import { requireId } from "./input.server";
import { CommandError, ForbiddenError, NotFoundError } from "./command.server";

/** Turn a command's ForbiddenError/NotFoundError into the 403/404 page; anything else passes through. */
export function toHttpError(error: unknown): never {
  if (error instanceof ForbiddenError) throw new Response("Forbidden", { status: 403 });
  if (error instanceof NotFoundError) throw new Response("Not Found", { status: 404 });
  throw error;
}

/**
 * Run a command for a form: success → `onSuccess(result)`; a CommandError →
 * the form's reply with the message beside its field; forbidden or missing →
 * the 403/404 page.
 */
export async function performForm<T, R>(
  submission: Submission<unknown>,
  command: () => Promise<T>,
  onSuccess: (result: T) => R,
  hideFields?: string[],
) {
  try {
    return onSuccess(await command());
  } catch (error) {
    if (error instanceof CommandError) {
      return submission.reply({
        ...(error.field ? { fieldErrors: { [error.field]: [messageOf(error)] } } : { formErrors: [messageOf(error)] }),
        hideFields,
      });
    }
    return toHttpError(error);
  }
}

/** A CommandError's message key with its parameters, as the catalogues' `key|{json}` form. */
function messageOf(error: CommandError): string {
  return error.params ? `${error.messageKey}|${JSON.stringify(error.params)}` : error.messageKey;
}

/** Parse an id route parameter (a positive int4 in plain decimal), or answer 404. */
export function idParam(value: string | undefined): number {
  return requireId(value);
}
