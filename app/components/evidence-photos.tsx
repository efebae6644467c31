import { useI18n } from "~/i18n/react";

/** Evidence photos (到场, 办结), each opening full size. */
export function EvidencePhotos({ photos }: { photos: { id: number; url: string }[] }) {
  const { t } = useI18n();
  if (photos.length === 0) return null;
  return (
    <div className="photos">
      {photos.map((p) => (
        <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
          <img src={p.url} alt={t("assignment.evidencePhoto")} loading="lazy" />
        </a>
      ))}
    </div>
  );
}
