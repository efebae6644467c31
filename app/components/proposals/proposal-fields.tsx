import { getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { FieldErrors, TextField } from "~/components/form";
import { useI18n } from "~/i18n/react";

type Fields = {
  title: FieldMetadata<string>;
  body: FieldMetadata<string>;
  categoryCode: FieldMetadata<string>;
  address: FieldMetadata<string | undefined>;
  alleyId: FieldMetadata<unknown>;
};

/** What a proposal says and where: shared by the new-proposal form and the draft editor. */
export function ProposalFields({
  fields,
  categories,
  alleys,
}: {
  fields: Fields;
  categories: { code: string; zh: string; en: string }[];
  alleys: { id: number; name: string }[];
}) {
  const { t, locale } = useI18n();
  return (
    <>
      <TextField field={fields.title} label={t("proposal.titleLabel")} hint={t("proposal.titleHint")} />
      <div className="field" data-invalid={fields.body.errors ? "" : undefined}>
        <label htmlFor={fields.body.id} className="field__label">
          {t("proposal.bodyLabel")}
        </label>
        <p className="field__hint">{t("proposal.bodyHint")}</p>
        <textarea {...getTextareaProps(fields.body)} key={fields.body.key} className="field__input" rows={6} />
        <FieldErrors id={fields.body.errorId} errors={fields.body.errors} />
      </div>
      <div className="field" data-invalid={fields.categoryCode.errors ? "" : undefined}>
        <label htmlFor={fields.categoryCode.id} className="field__label">
          {t("proposal.category")}
        </label>
        <select {...getSelectProps(fields.categoryCode)} key={fields.categoryCode.key} className="field__input">
          <option value="">{t("residency.chooseCommunity")}</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {locale === "en" ? c.en : c.zh}
            </option>
          ))}
        </select>
        <FieldErrors id={fields.categoryCode.errorId} errors={fields.categoryCode.errors} />
      </div>
      <TextField field={fields.address} label={t("proposal.address")} hint={t("proposal.addressHint")} />
      {alleys.length ? (
        <div className="field">
          <label htmlFor={fields.alleyId.id} className="field__label">
            {t("proposal.alley")}
          </label>
          <select {...getSelectProps(fields.alleyId)} key={fields.alleyId.key} className="field__input">
            <option value="">{t("proposal.noAlley")}</option>
            {alleys.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.alleyId.errorId} errors={fields.alleyId.errors} />
        </div>
      ) : null}
    </>
  );
}
