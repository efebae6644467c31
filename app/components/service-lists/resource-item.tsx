import { useFetcher } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import type { ListsPageData } from "./page-data";

/** One resource on the community's list: kind, category, who offers it, when it is available; its offerer or staff may take it off. */
export function ResourceItem({ resource }: { resource: ListsPageData["resources"][number] }) {
  const { t } = useI18n();
  const fetcher = useFetcher<IntentReply>();
  return (
    <li className="list-item" data-testid="resource">
      <p className="list-item__title">{resource.description}</p>
      <p className="list-item__text">
        <span className="pill pill--info">{t(`resource.kind.${resource.kind}`)}</span> <span className="pill">{t(`pledge.category.${resource.category}`)}</span>{" "}
        <strong>{resource.offerer}</strong>
        {resource.organizationId ? <span className="muted"> · {t("pledge.byOrganization")}</span> : null}
      </p>
      <p className="muted">{t("resource.available", { text: resource.availability })}</p>
      {resource.canWithdraw ? (
        <fetcher.Form method="post">
          <input type="hidden" name="resourceId" value={resource.id} />
          <button type="submit" name="intent" value="withdrawResource" className="button button--small button--quiet" disabled={fetcher.state !== "idle"}>
            {t("resource.withdraw")}
          </button>
        </fetcher.Form>
      ) : null}
    </li>
  );
}
