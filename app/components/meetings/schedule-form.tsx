import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { DateTimeField, FormMessage, RadioGroupField, SubmitButton, TextAreaField, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { scheduleSchema } from "~/modules/meetings/schemas";

/** The convener's form: time, place, remote text, invitees, quorum and the agenda (proposal numbers with minutes). */
export function ScheduleForm({ hallId, clientKey, candidates, lastResult }: { hallId: number; clientKey: string; candidates: { id: number; title: string }[]; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(scheduleSchema, {
    id: "schedule",
    lastResult,
    defaultValue: { clientKey, hallId: String(hallId), minutes: "90", invitees: "members" },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <FormMessage id={form.errorId} errors={[...(form.errors ?? []), ...(fields.clientKey.errors ?? [])]} />
      <input type="hidden" name="clientKey" value={clientKey} />
      <input type="hidden" name="hallId" value={hallId} />
      <TextField field={fields.title} label={t("meeting.field.title")} />
      <DateTimeField field={fields.startsAt} label={t("meeting.field.startsAt")} />
      <TextField field={fields.minutes} label={t("meeting.field.minutes")} type="number" inputMode="numeric" />
      <TextField field={fields.place} label={t("meeting.field.place")} />
      <TextAreaField field={fields.remote} label={t("meeting.field.remote")} hint={t("meeting.field.remoteHint")} rows={2} />
      <RadioGroupField
        field={fields.invitees}
        label={t("meeting.field.invitees")}
        options={[
          { value: "members", label: t("meeting.invitees.members") },
          { value: "named", label: t("meeting.invitees.named") },
        ]}
      />
      <TextAreaField field={fields.named} label={t("meeting.field.named")} hint={t("meeting.field.namedHint")} rows={3} />
      <TextField field={fields.quorum} label={t("meeting.field.quorum")} hint={t("meeting.field.quorumHint")} type="number" inputMode="numeric" />
      <TextAreaField field={fields.agenda} label={t("meeting.field.agenda")} hint={t("meeting.field.agendaHint")} rows={4} />
      {candidates.length ? (
        <div className="mtg-candidates">
          <p className="field__label">{t("meeting.field.agendaProposals")}</p>
          <ul className="plain-list">
            {candidates.map((c) => (
              <li key={c.id}>
                <span className="mono">#{c.id}</span> {c.title}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <SubmitButton intent="schedule">{t("meeting.submitSchedule")}</SubmitButton>
    </Form>
  );
}
