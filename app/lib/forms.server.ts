import type { Submission } from "@conform-to/react";
import { CommandError } from "./command.server";

/**
 * Turn a command's refusal into the form's reply: the message goes next to
 * its field (or above the form), what was typed stays. Anything else is a bug
 * and is rethrown to the error boundary.
 */
export function replyWithCommandError<T>(submission: Submission<T>, error: unknown, hideFields?: string[]) {
  if (!(error instanceof CommandError)) throw error;
  return submission.reply({
    ...(error.field ? { fieldErrors: { [error.field]: [error.messageKey] } } : { formErrors: [error.messageKey] }),
    hideFields,
  });
}
