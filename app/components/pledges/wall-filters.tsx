import { Form } from "@remix-run/react";
import { pledgeCategoryCodes } from "#db/schema/values";
import { useI18n } from "~/i18n/react";
import type { WallFilter } from "~/modules/pledges/schemas";

const statuses = ["active", "fulfilled", "lapsed", "withdrawn"] as const;

/** Filter the wall by place, category and status (a GET form: the address says what is shown). */
export function WallFilters({ places, filter }: { places: { id: number; name: string; kind: string }[]; filter: WallFilter }) {
  const { t } = useI18n();
  return (
    <Form method="get" className="card" aria-label={t("pledge.filter.apply")}>
      <div className="filters">
        <label className="filter">
          {t("pledge.filter.place")}
          <select name="unit" defaultValue={filter.unit ?? ""} className="field__input">
            <option value="">{t("pledge.filter.allPlaces")}</option>
            {places.map((p) => (
              <option key={p.id} value={p.id}>
                {p.kind === "community" ? `\u3000${p.name}` : p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          {t("pledge.filter.category")}
          <select name="category" defaultValue={filter.category ?? ""} className="field__input">
            <option value="">{t("pledge.filter.allCategories")}</option>
            {pledgeCategoryCodes.map((c) => (
              <option key={c} value={c}>
                {t(`pledge.category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          {t("pledge.filter.status")}
          <select name="status" defaultValue={filter.status ?? ""} className="field__input">
            <option value="">{t("pledge.filter.allStatuses")}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`pledge.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit" className="button">
        {t("pledge.filter.apply")}
      </button>
    </Form>
  );
}
