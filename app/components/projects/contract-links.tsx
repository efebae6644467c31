import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/react";

/** From a project's page: its contract (once the award is final) and its open data (once published). */
export function ContractLinks({ project }: { project: { id: number; status: string } }) {
  const { t } = useI18n();
  const contract = project.status === "active" || project.status === "completed";
  return (
    <>
      {contract ? (
        <Link to={`/projects/${project.id}/contract`} className="button">
          {t("contract.link")}
        </Link>
      ) : null}
      {project.status !== "planning" ? (
        <a href={`/ocds/projects/${project.id}.json`} className="button button--quiet" type="application/json">
          {t("contract.ocdsLink")}
        </a>
      ) : null}
    </>
  );
}
