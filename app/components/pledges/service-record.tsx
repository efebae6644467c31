import { useI18n } from "~/i18n/react";
import { hoursOf } from "~/modules/pledges/rules";

export interface RecordLine {
  activityId: number;
  title: string;
  place: string;
  unitName: string;
  startsAt: string;
  role: string;
  minutes: number;
  certifiedBy: string | null;
  organisation: string | null;
}

/** The yearly record as a print-ready table: who, what, where, when, hours, certified by whom. */
export function ServiceRecordTable({ lines }: { lines: RecordLine[] }) {
  const { t, date } = useI18n();
  if (lines.length === 0) return <p className="empty">{t("record.empty")}</p>;
  return (
    // A table that may scroll sideways on a phone: reachable by keyboard (scrollable-region-focusable).
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t("record.title")}>
      <table className="table" data-testid="record-table">
        <thead>
          <tr>
            <th scope="col">{t("record.date")}</th>
            <th scope="col">{t("record.activity")}</th>
            <th scope="col">{t("record.place")}</th>
            <th scope="col">{t("record.role")}</th>
            <th scope="col">{t("record.hours")}</th>
            <th scope="col">{t("record.certifiedBy")}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.activityId}>
              <td>{date(l.startsAt, "date")}</td>
              <td>{l.title}</td>
              <td>
                {l.unitName} · {l.place}
              </td>
              <td>{l.role}</td>
              <td>{hoursOf(l.minutes)}</td>
              <td>{[l.organisation, l.certifiedBy].filter(Boolean).join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** ★★★☆☆ with the level in words for screen readers. */
export function Stars({ stars }: { stars: number }) {
  const { t } = useI18n();
  return (
    <p>
      <span aria-hidden="true" style={{ color: "var(--warn)", fontSize: "1.4rem" }}>
        {"★".repeat(stars)}
        {"☆".repeat(5 - stars)}
      </span>{" "}
      <strong>{stars > 0 ? t("record.stars", { stars }) : t("record.noStar")}</strong>
    </p>
  );
}
