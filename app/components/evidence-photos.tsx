import { useI18n } from "~/i18n/react";

/** Evidence (到场, 办结): photos, each opening full size, and PDF documents as download links. */
export function EvidencePhotos({ photos }: { photos: { id: number; url: string }[] }) {
  const { t } = useI18n();
  if (photos.length === 0) return null;
  return (
    <div className="photos">
      {photos.map((p) =>
        p.url.endsWith(".pdf") ? (
          <a key={p.id} href={p.url} className="photos__document" download>
            {t("assignment.evidenceDocument")}
          </a>
        ) : (
          <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
            <img src={p.url} alt={t("assignment.evidencePhoto")} loading="lazy" />
          </a>
        ),
      )}
    </div>
  );
}
