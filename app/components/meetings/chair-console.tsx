import { getFormProps } from "@conform-to/react";
import { Form, Link, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import type { MeetingLive } from "#realtime/events";
import { FormMessage, SelectField, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import { markSchema, reasonSchema } from "~/modules/meetings/schemas";
import { ActionButton, replyFor } from "./action-button";

interface ChairData {
  present: { userId: number; name: string; way: "code" | "staff" | "proxy" }[];
  absent: { userId: number; name: string }[];
}

/** The code on the wall, refreshed when it changes. */
export function SignInCode({ code }: { code: { code: string; changesAt: string } }) {
  const { t } = useI18n();
  const revalidator = useRevalidator();
  useEffect(() => {
    const wait = Math.max(1000, Date.parse(code.changesAt) - Date.now() + 500);
    const timer = setTimeout(() => revalidator.revalidate(), Math.min(wait, 5 * 60_000));
    return () => clearTimeout(timer);
  }, [code.changesAt, revalidator]);
  return (
    <div className="mtg-code">
      <p className="muted">{t("meeting.code.title")}</p>
      <p className="mtg-code__digits" data-testid="sign-in-code">
        {code.code}
      </p>
      <p className="muted">{t("meeting.code.changes")}</p>
    </div>
  );
}

function MarkPresent({ chair, proxies, result }: { chair: ChairData; proxies: boolean; result?: IntentReply }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(markSchema, { id: "mark", lastResult: replyFor(result, "mark") });
  if (chair.absent.length === 0) return <p className="muted">{t("meeting.chair.everyoneHere")}</p>;
  const inPerson = chair.present.filter((p) => p.way !== "proxy");
  return (
    <details className="mtg-mark" open={result?.intent === "mark" && !result.ok}>
      <summary className="button">{t("meeting.chair.mark")}</summary>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <SelectField field={fields.userId} label={t("meeting.chair.markWho")} options={chair.absent.map((p) => ({ value: String(p.userId), label: p.name }))} />
        {proxies && inPerson.length ? (
          <SelectField field={fields.holderId} label={t("meeting.chair.holder")} options={[{ value: "", label: t("meeting.chair.holderNone") }, ...inPerson.map((p) => ({ value: String(p.userId), label: p.name }))]} />
        ) : null}
        <SubmitButton intent="mark">{t("meeting.chair.markSubmit")}</SubmitButton>
      </Form>
    </details>
  );
}

function CancelForm({ result }: { result?: IntentReply }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(reasonSchema, { id: "cancel", lastResult: replyFor(result, "cancel") });
  return (
    <details>
      <summary className="button button--quiet">{t("meeting.chair.cancel")}</summary>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <TextField field={fields.reason} label={t("meeting.chair.cancelReason")} />
        <SubmitButton intent="cancel" className="button">
          {t("meeting.chair.cancel")}
        </SubmitButton>
      </Form>
    </details>
  );
}

/** The chair's console: open and close, the floor (call, warn, extend, end), the agenda, the door. */
export function ChairConsole({ live, meetingId, chair, code, proxies, result }: { live: MeetingLive; meetingId: number; chair: ChairData; code: { code: string; changesAt: string } | null; proxies: boolean; result?: IntentReply }) {
  const { t } = useI18n();
  const floorErrors = result && !result.ok && ["open", "callNext", "endSpeech", "warn", "extend", "nextItem", "close"].includes(result.intent) ? Object.values(result.reply.error ?? {}).flat() : [];
  const s = live.speaker;
  const lastItem = live.item !== null && live.item.position >= live.item.count;
  return (
    <section className="card mtg-console" aria-labelledby="console-title">
      <h2 id="console-title">{t("meeting.chair.title")}</h2>
      <FormMessage errors={floorErrors.filter((e): e is string => typeof e === "string")} />
      {code ? <SignInCode code={code} /> : null}
      <div className="actions">
        {live.status === "scheduled" ? (
          <ActionButton intent="open" className="button button--primary">
            {t("meeting.chair.open")}
          </ActionButton>
        ) : null}
        {live.status === "open" ? (
          <>
            <ActionButton intent="callNext" className="button button--primary">
              {t("meeting.chair.callNext")}
            </ActionButton>
            {s ? <ActionButton intent="warn">{t("meeting.chair.warn")}</ActionButton> : null}
            {s && !s.extended ? <ActionButton intent="extend">{t("meeting.chair.extend")}</ActionButton> : null}
            {s ? <ActionButton intent="endSpeech">{t("meeting.chair.end")}</ActionButton> : null}
            {!lastItem ? <ActionButton intent="nextItem">{t("meeting.chair.nextItem")}</ActionButton> : null}
            <ActionButton intent="close">{t("meeting.chair.close")}</ActionButton>
          </>
        ) : null}
        <Link to={`/meetings/${meetingId}/screen`} className="button button--quiet" target="_blank" rel="noopener">
          {t("meeting.chair.screen")}
        </Link>
      </div>
      {live.status === "scheduled" || live.status === "open" ? <MarkPresent chair={chair} proxies={proxies} result={result} /> : null}
      {live.status === "scheduled" ? <CancelForm result={result} /> : null}
    </section>
  );
}
