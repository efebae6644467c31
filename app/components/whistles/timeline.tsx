import { EvidencePhotos } from "~/components/evidence-photos";
import { StaffBadge } from "~/components/staff-badge";
import { useI18n } from "~/i18n/react";
import type { WhistlePageData } from "./page-data";

/** The whistle's public timeline, with the evidence of each step. */
export function Timeline({ events, photos }: Pick<WhistlePageData, "events" | "photos">) {
  const { t, date, punct } = useI18n();
  const data = { events, photos };
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("whistle.timeline")}</h2>
      <ol className="timeline" data-testid="timeline">
        {data.events.map((e) => (
          <li key={e.id}>
            <time dateTime={String(e.at)}>{date(e.at)}</time>
            <span>
              {t(`whistle.event.${e.kind}`)}
              {e.departmentName ? ` · ${e.departmentName}` : ""}
              {e.actorName ? ` · ${e.actorName}` : ""}
              {e.actorName ? (
                <>
                  {" "}
                  <StaffBadge account={e.staffAccount} />
                </>
              ) : null}
              {e.publicText ? `${punct.colon}${e.publicText}` : ""}
              {e.people !== null ? ` · ${t("whistle.peopleOnSite", { n: e.people })}` : ""}
              {e.noEvidenceReason ? ` · ${t("whistle.noEvidence")}${punct.colon}${e.noEvidenceReason}` : ""}
            </span>
            <EvidencePhotos photos={data.photos.filter((p) => p.eventId === e.id)} />
          </li>
        ))}
      </ol>
    </section>
  );
}
