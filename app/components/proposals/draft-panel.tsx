import { Form, Link } from "@remix-run/react";
import { SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";

/** What the author can do with a draft: edit it, publish it, or delete it. Nobody else ever sees this. */
export function DraftPanel({
  proposalId,
  canEdit,
  canPublish,
  hall,
}: {
  proposalId: number;
  canEdit: boolean;
  canPublish: boolean;
  hall: { id: number; name: string };
}) {
  const { t } = useI18n();
  return (
    <div className="draft-panel" data-testid="draft-panel">
      <p className="notice notice--info">{t("draft.banner")}</p>
      {canEdit && !canPublish ? (
        <p className="muted">
          {t("draft.mustJoin")} <Link to={`/halls/${hall.id}`}>{hall.name}</Link>
        </p>
      ) : null}
      {canEdit ? (
        <div className="actions">
          {canPublish ? (
            <Form method="post">
              <SubmitButton intent="publish-draft" className="button button--primary">
                {t("draft.publish")}
              </SubmitButton>
            </Form>
          ) : null}
          <Link to={`/proposals/${proposalId}/edit`} className="button">
            {t("draft.edit")}
          </Link>
          <Form method="post" onSubmit={(e) => !window.confirm(t("draft.deleteConfirm")) && e.preventDefault()}>
            <SubmitButton intent="delete-draft" className="button button--quiet">
              {t("draft.delete")}
            </SubmitButton>
          </Form>
        </div>
      ) : null}
    </div>
  );
}

/** The author's drafts, each a link to finish it. */
export function DraftList({
  drafts,
  showHall,
}: {
  drafts: { id: number; title: string; hallName: string; createdAt: string | Date }[];
  showHall?: boolean;
}) {
  const { t, date } = useI18n();
  return (
    <section className="card" aria-labelledby="drafts-title" data-testid="my-drafts">
      <h2 id="drafts-title">{t("draft.mine")}</h2>
      {drafts.length === 0 ? (
        <p className="muted">{t("draft.none")}</p>
      ) : (
        <ul className="list">
          {drafts.map((d) => (
            <li key={d.id} className="list-item">
              <Link to={`/proposals/${d.id}`}>{d.title}</Link>
              <p className="muted">
                {showHall ? `${d.hallName} · ` : ""}
                {t("draft.savedAt", { date: date(d.createdAt) })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
