import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import type { Procedure } from "~/modules/meetings/rules";

interface MeetingFactsData {
  id: number;
  startsAt: string;
  minutes: number;
  place: string;
  remote: string;
  status: "scheduled" | "open" | "closed" | "cancelled";
}

const statusPill = { scheduled: "pill--info", open: "pill--accent", closed: "pill--ok", cancelled: "pill--bad" } as const;

export function MeetingStatus({ status }: { status: MeetingFactsData["status"] }) {
  const { t } = useI18n();
  return <span className={`pill ${statusPill[status]}`}>{t(`meeting.status.${status}`)}</span>;
}

/** When, where, how to join from elsewhere, who is invited, the agenda; a calendar file. */
export function MeetingFacts({ meeting, hall, invited, agenda }: { meeting: MeetingFactsData; hall: { id: number; name: string }; invited: number; agenda: { position: number; proposalId: number; minutes: number; title: string }[] }) {
  const { t, date } = useI18n();
  return (
    <div className="card">
      <dl className="facts">
        <dt>{t("meeting.when")}</dt>
        <dd>
          {date(meeting.startsAt)} – {date(new Date(Date.parse(meeting.startsAt) + meeting.minutes * 60_000).toISOString(), "time")}
        </dd>
        <dt>{t("meeting.where")}</dt>
        <dd>{meeting.place}</dd>
        {meeting.remote ? (
          <>
            <dt>{t("meeting.remote")}</dt>
            <dd className="pre-line">{meeting.remote}</dd>
          </>
        ) : null}
        <dt>{t("meeting.hall")}</dt>
        <dd>
          <Link to={`/halls/${hall.id}/meetings`}>{hall.name}</Link>
        </dd>
        <dt>{t("meeting.invited")}</dt>
        <dd>{t("meeting.invitedCount", { n: invited })}</dd>
      </dl>
      <h2>{t("meeting.agenda")}</h2>
      <ol className="mtg-agenda">
        {agenda.map((a) => (
          <li key={a.position}>
            <Link to={`/proposals/${a.proposalId}`}>{a.title}</Link> <span className="muted">{t("meeting.itemLine", { n: a.position, minutes: a.minutes })}</span>
          </li>
        ))}
      </ol>
      <p className="actions">
        <a href={`/meetings/${meeting.id}/calendar.ics`} className="button button--small" download>
          {t("meeting.addToCalendar")}
        </a>
      </p>
    </div>
  );
}

/** The rules of procedure, in words, for everyone (议事规则). */
export function ProcedureRules({ procedure }: { procedure: Procedure }) {
  const { t } = useI18n();
  const speaking = procedure.speakingSeconds % 60 === 0 ? t("meeting.rules.speaking", { minutes: procedure.speakingSeconds / 60 }) : t("meeting.rules.speakingSeconds", { seconds: procedure.speakingSeconds });
  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title">{t("meeting.rules.title")}</h2>
      <ul className="rules-list" data-testid="procedure">
        <li>{speaking}</li>
        <li>{t("meeting.rules.times", { n: procedure.timesPerItem })}</li>
        <li>{t(procedure.alternate ? "meeting.rules.alternate" : "meeting.rules.noAlternate")}</li>
        {procedure.proxies ? <li>{t("meeting.rules.proxies")}</li> : null}
        <li>{t("meeting.rules.chair")}</li>
        <li>{t(procedure.neutralChair ? "meeting.rules.neutralChair" : "meeting.rules.chairMayTakePart")}</li>
        <li>{t("meeting.rules.motions")}</li>
      </ul>
    </section>
  );
}
