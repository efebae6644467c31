import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useState } from "react";
import type { MeetingLive } from "#realtime/events";
import { FormMessage, SelectField, SubmitButton, TextAreaField, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { useApiSubmit } from "~/lib/api-submit";
import type { IntentReply } from "~/lib/intents";
import { channelsLine } from "~/modules/meetings/minutes";
import { countsSchema, moveSchema } from "~/modules/meetings/schemas";
import { ActionButton, replyFor } from "./action-button";

type Motion = MeetingLive["motions"][number];

/** The chair closes the vote: the hands counted in the room and the paper ballots, beside the phones' ballots. */
function CountsForm({ motion, result }: { motion: Motion; result?: IntentReply }) {
  const { t } = useI18n();
  const lastResult = replyFor(result, "counts");
  const [form, fields] = useSchemaForm(countsSchema, { id: `counts-${motion.id}`, lastResult });
  const number = { type: "number", inputMode: "numeric" } as const;
  return (
    <Form method="post" {...getFormProps(form)} className="form mtg-counts">
      <FormMessage id={form.errorId} errors={form.errors} />
      <p className="muted">{t("meeting.motion.enterCounts")}</p>
      <p data-testid="phone-tally">{t("meeting.motion.phones", { for: motion.phones.for, against: motion.phones.against, abstain: motion.phones.abstain })}</p>
      <input type="hidden" name="motionId" value={motion.id} />
      <fieldset className="mtg-counts__channel">
        <legend>{t("meeting.motion.handsTitle")}</legend>
        <TextField field={fields.handsFor} label={t("meeting.motion.handsFor")} {...number} />
        <TextField field={fields.handsAgainst} label={t("meeting.motion.handsAgainst")} {...number} />
        <TextField field={fields.handsAbstain} label={t("meeting.motion.handsAbstain")} {...number} />
      </fieldset>
      <fieldset className="mtg-counts__channel">
        <legend>{t("meeting.motion.paperTitle")}</legend>
        <TextField field={fields.paperFor} label={t("meeting.motion.paperFor")} {...number} />
        <TextField field={fields.paperAgainst} label={t("meeting.motion.paperAgainst")} {...number} />
        <TextField field={fields.paperAbstain} label={t("meeting.motion.paperAbstain")} {...number} />
      </fieldset>
      <SubmitButton intent="counts">{t("meeting.motion.record")}</SubmitButton>
    </Form>
  );
}

function MoveForm({ motions, result }: { motions: Motion[]; result?: IntentReply }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(moveSchema, { id: "move", lastResult: replyFor(result, "move") });
  const amendable = motions.filter((m) => m.kind === "main" && (m.status === "moved" || m.status === "seconded"));
  return (
    <details className="mtg-move" open={result?.intent === "move" && !result.ok}>
      <summary className="button">{t("meeting.motion.move")}</summary>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <TextAreaField field={fields.text} label={t("meeting.motion.text")} hint={t("meeting.motion.textHint")} rows={3} />
        {amendable.length ? (
          <SelectField
            field={fields.amendsId}
            label={t("meeting.motion.amends")}
            options={[{ value: "", label: t("meeting.motion.amendsNone") }, ...amendable.map((m) => ({ value: String(m.id), label: `#${m.id} ${m.text}` }))]}
          />
        ) : null}
        <SubmitButton intent="move">{t("meeting.motion.submit")}</SubmitButton>
      </Form>
    </details>
  );
}

/**
 * A member's ballot from the phone: for, against, abstain; the choice made is
 * marked and may be changed until the chair records the result. With scripts
 * the tap goes to the JSON API (ADR 0013: a room votes at once); without them
 * each button's form posts to the page's action, the same command.
 */
function PhoneBallot({ meetingId, motion, mine }: { meetingId: number; motion: Motion; mine: "for" | "against" | "abstain" | undefined }) {
  const { t } = useI18n();
  const api = useApiSubmit<{ motionId: number; choice: "for" | "against" | "abstain" }>();
  const [sent, setSent] = useState<typeof mine>(undefined);
  const shown = sent ?? mine;
  async function send(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reply = await api.submit(`/api/meetings/${meetingId}/ballots`, event.currentTarget);
    if (reply.ok) setSent(reply.choice);
  }
  return (
    <div className="mtg-ballot" data-testid={`ballot-${motion.id}`}>
      {shown ? <p className="notice notice--success">{t("meeting.ballot.cast", { choice: t(`meeting.ballot.${shown}`) })}</p> : <p>{t("meeting.ballot.prompt")}</p>}
      {api.reply && !api.reply.ok ? <FormMessage errors={[api.reply.error]} /> : null}
      <div className="mtg-ballot__choices">
        {(["for", "against", "abstain"] as const).map((c) => (
          <form key={c} method="post" className="inline-form" onSubmit={(e) => void send(e)}>
            <input type="hidden" name="motionId" value={motion.id} />
            <input type="hidden" name="choice" value={c} />
            <button type="submit" name="intent" value="ballot" className={`button button--block ${shown === c ? "button--primary" : ""}`} disabled={api.busy} aria-busy={api.busy}>
              {t(`meeting.ballot.${c}`)}
            </button>
          </form>
        ))}
      </div>
    </div>
  );
}

/** The motions on the item: who moved and seconded, their state and results; seconding, moving, a phone's ballot; the chair's vote. */
export function Motions({
  live,
  me,
  participate,
  move,
  chair,
  mine = {},
  result,
}: {
  live: MeetingLive;
  me: number | null;
  /** May vote from the phone. */
  participate: boolean;
  /** May move and second motions. */
  move: boolean;
  chair: boolean;
  mine?: Record<number, "for" | "against" | "abstain">;
  result?: IntentReply;
}) {
  const { t } = useI18n();
  if (!live.item) return null;
  const errors = result && ["second", "put", "ballot"].includes(result.intent) ? Object.values(result.reply.error ?? {}).flat() : [];
  return (
    <section className="card" aria-labelledby="motions-title">
      <h2 id="motions-title">{t("meeting.motion.title")}</h2>
      <FormMessage errors={errors.filter((e): e is string => typeof e === "string")} />
      {live.motions.length === 0 ? <p className="muted">{t("meeting.motion.none")}</p> : null}
      <ul className="plain-list mtg-motions">
        {live.motions.map((m) => (
          <li key={m.id} className="mtg-motion" data-testid={`motion-${m.id}`} data-status={m.status}>
            <p>
              <strong>
                #{m.id} {m.kind === "amendment" ? t("meeting.motion.amendsLabel", { id: m.amendsId ?? 0 }) : t("meeting.motionKind.main")}
              </strong>{" "}
              <span className={`pill ${m.status === "passed" ? "pill--ok" : m.status === "failed" ? "pill--bad" : m.status === "voting" ? "pill--accent" : "pill--info"}`}>{t(`meeting.motionStatus.${m.status}`)}</span>
            </p>
            <p className="mtg-motion__text">{m.text}</p>
            <p className="muted">
              {t("meeting.motion.by", { name: m.movedByName })}
              {m.secondedByName ? ` · ${t("meeting.motion.secondedBy", { name: m.secondedByName })}` : ""}
            </p>
            {m.votesFor !== null ? <p>{t("meeting.motion.counts", { for: m.votesFor, against: m.votesAgainst ?? 0, abstain: m.abstentions ?? 0 })}</p> : null}
            {m.channels ? (
              <p className="muted" data-testid={`channels-${m.id}`}>
                {t("meeting.motion.byChannel", { list: channelsLine(m.channels, t) })}
              </p>
            ) : null}
            {m.status === "voting" ? <p className="notice notice--warn">{t("meeting.motion.voting")}</p> : null}
            {m.status === "voting" ? <p className="muted">{t("meeting.motion.phonesCast", { n: m.phones.for + m.phones.against + m.phones.abstain })}</p> : null}
            {participate && m.status === "voting" ? <PhoneBallot meetingId={live.meetingId} motion={m} mine={mine[m.id]} /> : null}
            {move && m.status === "moved" && m.movedBy !== me ? (
              <ActionButton intent="second" hidden={{ motionId: m.id }}>
                {t("meeting.motion.second")}
              </ActionButton>
            ) : null}
            {chair && m.status === "seconded" ? (
              <ActionButton intent="put" hidden={{ motionId: m.id }} className="button button--primary">
                {t("meeting.motion.put")}
              </ActionButton>
            ) : null}
            {chair && m.status === "voting" ? <CountsForm motion={m} result={result} /> : null}
          </li>
        ))}
      </ul>
      {move ? <MoveForm motions={live.motions} result={result} /> : null}
    </section>
  );
}
