import { Form } from "@remix-run/react";
import { useI18n } from "~/i18n/react";

/** Filter the wall by community (or a subdistrict and its communities): a GET form, so the address says what is shown. */
export function WishWallFilter({ places, unit }: { places: { id: number; name: string; kind: string }[]; unit: number | undefined }) {
  const { t } = useI18n();
  return (
    <Form method="get" className="card" aria-label={t("wish.filter.apply")}>
      <div className="filters">
        <label className="filter">
          {t("wish.filter.place")}
          <select name="unit" defaultValue={unit ?? ""} className="field__input">
            <option value="">{t("wish.filter.allPlaces")}</option>
            {places.map((p) => (
              <option key={p.id} value={p.id}>
                {p.kind === "community" ? `\u3000${p.name}` : p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit" className="button">
        {t("wish.filter.apply")}
      </button>
    </Form>
  );
}
