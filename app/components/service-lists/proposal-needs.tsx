import { Link } from "@remix-run/react";
import type { NeedStatus } from "#db/schema/service-lists";
import { useI18n } from "~/i18n/react";
import { NeedStatusPill } from "./need-parts";

/** On a passed proposal's page: the needs raised from it, and for the community's staff, "转为需求". */
export function ProposalNeeds({
  proposalId,
  needs,
  raise,
  startProject,
}: {
  proposalId: number;
  needs: { id: number; title: string; status: NeedStatus }[];
  raise: boolean;
  /** Staff may also buy the service from an organisation: a call for bids (项目征集) from this proposal. */
  startProject: boolean;
}) {
  const { t } = useI18n();
  if (needs.length === 0 && !raise && !startProject) return null;
  return (
    <section className="card" aria-labelledby="needs-raised-title">
      <h2 id="needs-raised-title">{t("proposal.needsRaised")}</h2>
      {needs.length > 0 ? (
        <ul className="plain-list">
          {needs.map((n) => (
            <li key={n.id}>
              <Link to={`/needs/${n.id}`}>{n.title}</Link> <NeedStatusPill status={n.status} degree={null} />
            </li>
          ))}
        </ul>
      ) : null}
      {raise ? (
        <>
          <p className="muted">{t("proposal.raiseNeedHint")}</p>
          <Link to={`/needs/new?proposal=${proposalId}`} className="button button--primary">
            {t("proposal.raiseNeed")}
          </Link>
        </>
      ) : null}
      {startProject ? (
        <p>
          <Link to={`/projects/new?proposal=${proposalId}`} className="button">
            {t("need.startProject")}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
