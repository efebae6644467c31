import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import type { OrganizationRecord } from "~/modules/projects/contract.server";

/** An organisation's public record in service projects (its profile page): awards, past projects and their ratings, disqualifications. */
export function ContractOrgRecord({ record }: { record: OrganizationRecord }) {
  const { t, number, date, punct } = useI18n();
  if (record.bids === 0 && record.awards === 0) return null;
  return (
    <section className="card" aria-labelledby="org-projects-title" data-testid="org-projects">
      <h2 id="org-projects-title">{t("contract.org.title")}</h2>
      <p>
        {t("contract.org.summary", { bids: record.bids, awards: record.awards })}
        {record.ratingMean !== null
          ? ` · ${t("contract.org.rating", { mean: record.ratingMean.toFixed(1), count: record.ratingCount })}`
          : ""}
      </p>
      {record.projects.length ? (
        <ul className="list">
          {record.projects.map((p) => (
            <li key={p.id} className="list-item">
              <Link to={p.status === "awarded" ? `/projects/${p.id}` : `/projects/${p.id}/contract`} className="list-item__title">
                {p.title}
              </Link>{" "}
              <span className={`pill pill--${p.status === "completed" ? "ok" : "info"}`}>
                {t(`contract.org.status.${p.status as "awarded" | "active" | "completed"}`)}
              </span>
              <span className="muted">
                {" "}
                {p.amount !== null ? t("contract.yuan", { amount: number(p.amount) }) : ""}
                {p.awardedAt ? ` · ${date(p.awardedAt, "date")}` : ""}
                {p.rating !== null ? ` · ${t("contract.org.projectRating", { mean: p.rating.toFixed(1), count: p.ratings })}` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {record.disqualified.length ? (
        <>
          <h3>{t("contract.org.disqualified")}</h3>
          <ul className="list">
            {record.disqualified.map((d) => (
              <li key={d.projectId} className="list-item">
                <Link to={`/projects/${d.projectId}`}>{d.title}</Link>
                {d.reason ? (
                  <span className="muted">
                    {" "}
                    {t("contract.org.reason")}
                    {punct.colon}
                    {d.reason}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
