import { useRevalidator } from "@remix-run/react";
import { useMemo } from "react";
import type { ProjectStatus } from "#db/schema/projects";
import { useI18n } from "~/i18n/react";
import { useLiveState } from "~/realtime/hooks";
import type { RoomEvent } from "#realtime/events";
import type { ProjectPageData } from "./page-data";

type Call = ProjectPageData["project"];

const tones: Record<ProjectStatus, string> = {
  planning: "info",
  open: "accent",
  evaluating: "warn",
  awarded: "warn",
  active: "ok",
  completed: "ok",
  cancelled: "bad",
  unsuccessful: "bad",
};

export function ProjectStatusPill({ status }: { status: ProjectStatus }) {
  const { t } = useI18n();
  return <span className={`pill pill--${tones[status]}`}>{t(`project.status.${status}`)}</span>;
}

/** Whole yuan, as people write it: ¥200,000. */
export function useYuan() {
  const { t, number } = useI18n();
  return (amount: number) => t("project.yuan", { amount: number(amount) });
}

/** The call's terms: buyer, category, budget cap, service period, windows, eligibility. */
export function CallFacts({ call, unitName }: { call: Call; unitName: string }) {
  const { t, date } = useI18n();
  const yuan = useYuan();
  return (
    <dl className="facts">
      <dt>{t("project.buyer")}</dt>
      <dd>{unitName}</dd>
      <dt>{t("project.category")}</dt>
      <dd>{t(`pledge.category.${call.category}`)}</dd>
      <dt>{t("project.budgetCap")}</dt>
      <dd>{yuan(call.budgetCap)}</dd>
      <dt>{t("project.period")}</dt>
      <dd>{t("project.periodRange", { from: date(`${call.periodStart}T12:00:00Z`, "date"), to: date(`${call.periodEnd}T12:00:00Z`, "date") })}</dd>
      <dt>{t("project.questionsCloseAt")}</dt>
      <dd>{date(call.questionsCloseAt)}</dd>
      <dt>{t("project.bidDeadline")}</dt>
      <dd>{date(call.bidDeadline)}</dd>
      <dt>{t("project.eligibility")}</dt>
      <dd>
        {t("project.eligibility.verified")}
        {call.eligibility.minMonthsVerified > 0 ? <> · {t("project.eligibility.months", { months: call.eligibility.minMonthsVerified })}</> : null}
        {call.eligibility.localOnly ? <> · {t("project.eligibility.local")}</> : null}
      </dd>
      <dt>{t("project.noticeDays")}</dt>
      <dd>{t("project.noticeDaysValue", { days: call.noticeDays })}</dd>
    </dl>
  );
}

/** A criterion's name: the standard ones in words, custom ones as staff wrote them. */
export function useCriterionName() {
  const { t } = useI18n();
  return (c: { key: string; label?: string }) => (c.key === "custom" ? (c.label ?? "") : t(`project.criterion.${c.key as "price"}`));
}

/** The criteria and their weights, as every bidder reads them. */
export function CriteriaList({ criteria }: { criteria: Call["criteria"] }) {
  const { t } = useI18n();
  const name = useCriterionName();
  return (
    <section className="section" aria-labelledby="criteria-title">
      <h2 id="criteria-title">{t("project.criteria")}</h2>
      <ul className="bars">
        {criteria.map((c) => (
          <li key={c.id}>
            <span>{name(c)}</span>
            <span className="meter" aria-hidden="true">
              <span className="meter__fill" style={{ width: `${c.weight}%` }} />
            </span>
            <span>{t("project.weightValue", { weight: c.weight })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The call's public files. */
export function Documents({ documents }: { documents: ProjectPageData["documents"] }) {
  const { t, number } = useI18n();
  if (documents.length === 0) return null;
  return (
    <section className="section" aria-labelledby="documents-title">
      <h2 id="documents-title">{t("project.documents")}</h2>
      <ul className="plain-list project-files">
        {documents.map((d) => (
          <li key={d.id}>
            <a href={`/uploads/${d.file}`} download={d.name}>
              {d.name}
            </a>{" "}
            <span className="muted">{t("project.kilobytes", { kb: number(Math.ceil(d.bytes / 1024)) })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The public timeline: what happened, when, and the public reason. */
export function ProjectTimeline({ events }: { events: ProjectPageData["events"] }) {
  const { t, date, punct } = useI18n();
  return (
    <section className="section" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("project.timeline")}</h2>
      <ol className="timeline" data-testid="project-timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.at).toISOString()}>{date(e.at)}</time>
            <span>
              {t(`project.event.${e.kind as "created"}`)}
              {typeof e.detail?.bids === "number" ? punct.parens(t("project.event.bids", { count: e.detail.bids })) : null}
              {e.reason ? (
                <>
                  {punct.colon}
                  {e.kind === "unsuccessful" && (e.reason === "noBids" || e.reason === "noValidBid") ? t(`project.endReason.${e.reason}`) : e.reason}
                </>
              ) : null}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * The project's room: the live bid count (never contents) and the panel's
 * progress as they change; a change of state reloads the page's data.
 */
export function useLiveProject(
  projectId: number,
  seq: number,
  initial: { status: string; bidCount: number; progress: { evaluators: number; declared: number; submitted: number } },
) {
  const revalidator = useRevalidator();
  const { evaluators, declared, submitted } = initial.progress;
  const base = useMemo(() => ({ bidCount: initial.bidCount, progress: { evaluators, declared, submitted } }), [initial.bidCount, evaluators, declared, submitted]);
  // The room's events after the data's number, applied in order (ADR 0046).
  return useLiveState(`project:${projectId}`, seq, base, applyProjectEvent, (event) => {
    if (event.event === "project:changed" && event.args[0].status !== initial.status) revalidator.revalidate();
  });
}

type LiveProject = { bidCount: number; progress: { evaluators: number; declared: number; submitted: number } };

/** An event of the project's room applied to its live figures. */
function applyProjectEvent(live: LiveProject, event: RoomEvent): LiveProject {
  if (event.event === "project:changed") return { ...live, bidCount: event.args[0].bidCount };
  if (event.event === "project:panel") {
    const e = event.args[0];
    return { ...live, progress: { evaluators: e.evaluators, declared: e.declared, submitted: e.submitted } };
  }
  return live;
}

/** The panel's progress in words and a meter: declared and submitted of all. */
export function PanelProgress({ progress }: { progress: { evaluators: number; declared: number; submitted: number } }) {
  const { t } = useI18n();
  if (progress.evaluators === 0) return null;
  return (
    <div aria-live="polite" data-testid="panel-progress">
      <p>{t("project.panel.progress", { declared: progress.declared, submitted: progress.submitted, all: progress.evaluators })}</p>
      <div className="meter" aria-hidden="true">
        <span className="meter__fill" style={{ width: `${(100 * progress.submitted) / progress.evaluators}%` }} />
      </div>
    </div>
  );
}
