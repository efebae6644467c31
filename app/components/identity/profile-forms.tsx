import { getFormProps, getSelectProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { CheckboxField, FieldErrors, FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { CheckIcon } from "~/components/icons";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import { claimSchema, partyReportSchema } from "~/modules/identity/structure-schemas";

export function PartyBadge() {
  const { t } = useI18n();
  return (
    <span className="party-badge" title={t("party.badge")}>
      <CheckIcon size={16} />
      {t("party.badge")}
    </span>
  );
}

type Communities = { id: number; name: string; subdistrict: string }[];
type Reply = IntentReply["reply"];

function CommunitySelect({ field, communities }: { field: Parameters<typeof getSelectProps>[0]; communities: Communities }) {
  const { t } = useI18n();
  const groups = [...new Set(communities.map((c) => c.subdistrict))];
  return (
    <div className="field" data-invalid={field.errors ? "" : undefined}>
      <label htmlFor={field.id} className="field__label">
        {t("residency.community")}
      </label>
      <select {...getSelectProps(field)} className="field__input">
        <option value="">{t("residency.chooseCommunity")}</option>
        {groups.map((g) => (
          <optgroup key={g} label={g}>
            {communities
              .filter((c) => c.subdistrict === g)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function ClaimForm({ communities, lastResult }: { communities: Communities; lastResult: Reply | undefined }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(claimSchema, {
    id: "claim",
    lastResult,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormMessage id={form.errorId} errors={form.errors} />
      <CommunitySelect field={fields.communityId} communities={communities} />
      <TextField field={fields.address} label={t("residency.address")} hint={t("residency.addressHint")} autoComplete="street-address" />
      <SubmitButton intent="claim">{t("residency.submit")}</SubmitButton>
    </Form>
  );
}

export function PartyReportForm({ communities, lastResult }: { communities: Communities; lastResult: Reply | undefined }) {
  const { t } = useI18n();
  const [form, fields] = useSchemaForm(partyReportSchema, {
    id: "party",
    lastResult,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormMessage id={form.errorId} errors={form.errors} />
      <CommunitySelect field={fields.communityId} communities={communities} />
      <TextField field={fields.workUnit} label={t("party.workUnit")} />
      <TextField field={fields.partyOrgName} label={t("party.partyOrg")} />
      <CheckboxField field={fields.showBadge} label={t("party.showBadgeChoice")} />
      <SubmitButton intent="party">{t("party.submit")}</SubmitButton>
    </Form>
  );
}
