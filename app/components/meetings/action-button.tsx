import type { SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { SubmitButton } from "~/components/form-parts";
import type { IntentReply } from "~/lib/intents";

/** A one-button form: the intent, any hidden fields, and the button. */
export function ActionButton({ intent, children, hidden = {}, className = "button" }: { intent: string; children: ReactNode; hidden?: Record<string, string | number>; className?: string }) {
  return (
    <Form method="post" className="inline-form">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton intent={intent} className={className}>
        {children}
      </SubmitButton>
    </Form>
  );
}

/** The reply meant for one intent's form (each form shows only its own errors). */
export const replyFor = (result: IntentReply | undefined, intent: string): SubmissionResult<string[]> | undefined => (result?.intent === intent ? result.reply : undefined);
