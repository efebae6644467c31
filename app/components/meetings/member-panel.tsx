import { getFormProps } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import type { MeetingLive } from "#realtime/events";
import { FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import { codeSchema } from "~/modules/meetings/schemas";
import { ActionButton, replyFor } from "./action-button";

/** Sign in with the 6 digits on the wall. */
export function SignInForm({ result }: { result?: IntentReply }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(codeSchema, { id: "sign-in", lastResult: replyFor(result, "signIn") });
  return (
    <section className="card" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t("meeting.signIn.title")}</h2>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <TextField field={fields.code} label={t("meeting.signIn.code")} hint={t("meeting.signIn.codeHint")} inputMode="numeric" autoComplete="one-time-code" />
        <SubmitButton intent="signIn">{t("meeting.signIn.submit")}</SubmitButton>
      </Form>
    </section>
  );
}

/** What a member's phone offers: where they stand, and raising or lowering a hand with a stance. */
export function MemberPanel({ live, me, participate, result }: { live: MeetingLive; me: number; participate: boolean; result?: IntentReply }) {
  const { t } = useI18n();
  const place = live.order.indexOf(me);
  const speaking = live.speaker?.userId === me;
  const error = result?.intent === "raise" || result?.intent === "lower" ? Object.values(result.reply.error ?? {}).flat() : [];
  return (
    <section className="card mtg-hand" aria-labelledby="hand-title">
      <h2 id="hand-title">{t("meeting.hand.raise")}</h2>
      <FormMessage errors={error.filter((e): e is string => typeof e === "string")} />
      {speaking ? <p className="notice notice--success">{t("meeting.hand.yourTurn")}</p> : null}
      {place >= 0 ? (
        <>
          <p className="notice notice--info" data-testid="my-place">
            {t("meeting.hand.waiting", { n: place + 1 })}
          </p>
          <ActionButton intent="lower" className="button button--block">
            {t("meeting.hand.lower")}
          </ActionButton>
        </>
      ) : participate && live.item && !speaking ? (
        <div className="mtg-hand__choices">
          <ActionButton intent="raise" hidden={{ stance: "for" }} className="button button--block mtg-hand__for">
            {t("meeting.hand.for")}
          </ActionButton>
          <ActionButton intent="raise" hidden={{ stance: "against" }} className="button button--block mtg-hand__against">
            {t("meeting.hand.against")}
          </ActionButton>
        </div>
      ) : null}
    </section>
  );
}

/** For a visitor: log in to sign in. */
export function LoginToSignIn({ meetingId }: { meetingId: number }) {
  const { t } = useI18n();
  return (
    <Link to={`/login?redirectTo=/meetings/${meetingId}`} className="button button--primary">
      {t("meeting.signIn.login")}
    </Link>
  );
}
