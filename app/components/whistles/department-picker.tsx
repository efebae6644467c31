import { useI18n } from "~/i18n/react";

/**
 * The departments a whistle may go to, each with a "lead" and a "co-operate"
 * box (one table on a phone as on a desk); suggested ones arrive ticked and
 * those on the 1+5+N roster say so. Used by the dispatch on a whistle's page
 * and by a new whistle.
 */
export function DepartmentPicker({
  departments,
  leadName = "lead",
  cooperateName = "cooperate",
  suggested,
}: {
  departments: { id: number; name: string }[];
  leadName?: string;
  cooperateName?: string;
  suggested?: { lead: number[]; cooperate: number[]; rostered: number[] };
}) {
  const { t } = useI18n();
  return (
    <table className="table dept-table">
      <thead>
        <tr>
          <th scope="col">{t("whistle.department")}</th>
          <th scope="col">{t("whistle.role.lead")}</th>
          <th scope="col">{t("whistle.role.cooperate")}</th>
        </tr>
      </thead>
      <tbody>
        {departments.map((d) => (
          <tr key={d.id}>
            <td>
              {d.name}
              {suggested?.rostered.includes(d.id) ? <span className="muted"> · 1+5+N</span> : null}
            </td>
            <td>
              <input type="checkbox" name={leadName} value={d.id} defaultChecked={suggested?.lead.includes(d.id)} aria-label={`${d.name} ${t("whistle.role.lead")}`} />
            </td>
            <td>
              <input type="checkbox" name={cooperateName} value={d.id} defaultChecked={suggested?.cooperate.includes(d.id)} aria-label={`${d.name} ${t("whistle.role.cooperate")}`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
