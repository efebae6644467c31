import { useI18n } from "~/i18n/react";

interface Entry {
  id: number;
  action: string;
  subjectType: string;
  subjectName: string | null;
  data: Record<string, unknown> | null;
  at: string | Date;
  actorName: string | null;
}

const ACTIONS = ["addHousehold", "editHousehold", "endHousehold", "addResident", "editResident", "moveOut", "link", "unlink"] as const;
const FIELDS = ["address", "note", "name", "birthYear", "phone", "isHead", "householdId"] as const;

/** The household's audit trail: who changed what (field: before → after), when. */
export function RollHistory({ history }: { history: Entry[] }) {
  const { t, date, punct } = useI18n();
  // A flag (户主 or not) in words, never "true"/"false".
  const shown = (value: unknown) => (value === null || value === undefined ? "—" : typeof value === "boolean" ? t(value ? "roll.value.yes" : "roll.value.no") : String(value));
  return (
    <section className="section card" aria-labelledby="history-title">
      <h2 id="history-title">{t("roll.history")}</h2>
      {history.length === 0 ? <p className="muted">{t("roll.historyEmpty")}</p> : null}
      <ol className="roll-history">
        {history.map((h) => {
          const verb = h.action.split(":")[1] as (typeof ACTIONS)[number];
          const changes = (h.data?.changes ?? null) as Record<string, [unknown, unknown]> | null;
          return (
            <li key={h.id}>
              <strong>{ACTIONS.includes(verb) ? t(`roll.action.${verb}`) : h.action}</strong>
              {h.subjectName ? ` · ${h.subjectName}` : ""}
              {changes
                ? Object.entries(changes).map(([field, [before, after]]) => (
                    <span key={field} className="muted">
                      {" "}
                      · {FIELDS.includes(field as (typeof FIELDS)[number]) ? t(`roll.field.${field as (typeof FIELDS)[number]}`) : field}{punct.colon}{shown(before)} →{" "}
                      {shown(after)}
                    </span>
                  ))
                : null}
              {typeof h.data?.reason === "string" ? <span className="muted"> · {h.data.reason}</span> : null}
              <br />
              <span className="muted">{t("roll.by", { name: h.actorName ?? "—", time: date(h.at) })}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
