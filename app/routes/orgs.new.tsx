import { getFormProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { FieldErrors, FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/structure";
import { requireUser } from "~/lib/auth.server";
import { performForm } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { createOrganization } from "~/modules/identity/organizations.server";
import { organizationSchema } from "~/modules/identity/structure-schemas";
import { listReportingUnits } from "~/modules/units/queries.server";
import { pageTitle } from "~/lib/meta";
import { readForm } from "~/lib/input.server";

export const meta: MetaFunction = (args) => pageTitle(args, "organization.create");

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return { units: await listReportingUnits(db()) };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const submission = parseWithZod(await readForm(request), { schema: organizationSchema });
  if (submission.status !== "success") return submission.reply();
  return performForm(
    submission,
    () => createOrganization(actor, submission.value),
    (org) => redirect(`/orgs/${org.id}`),
  );
}

const kinds = ["unit_party_org", "social_org", "merchant_association"] as const;

export default function NewOrganization() {
  const { t } = useI18n();
  const { units } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(organizationSchema, {
    id: "organization",
    lastResult,
  });
  return (
    <div className="page narrow">
      <h1>{t("organization.create")}</h1>
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <fieldset className="field" aria-describedby={fields.kind.errorId}>
          <legend className="field__label">{t("organization.kindLabel")}</legend>
          {kinds.map((k) => (
            <label key={k} className="check">
              <input type="radio" name={fields.kind.name} value={k} defaultChecked={fields.kind.initialValue === k} />
              <span>
                <strong>{t(`organization.kind.${k}`)}</strong>
                <span className="muted"> — {t(`organization.kindHint.${k}`)}</span>
              </span>
            </label>
          ))}
          <FieldErrors id={fields.kind.errorId} errors={fields.kind.errors} />
        </fieldset>
        <TextField field={fields.name} label={t("organization.name")} />
        <div className="field" data-invalid={fields.unitId.errors ? "" : undefined}>
          <label htmlFor={fields.unitId.id} className="field__label">
            {t("organization.unit")}
          </label>
          <p className="field__hint">{t("organization.unitHint")}</p>
          <select {...getSelectProps(fields.unitId)} className="field__input">
            <option value="">{t("residency.chooseCommunity")}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.kind === "subdistrict" ? u.name : `\u3000${u.name}`}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.unitId.errorId} errors={fields.unitId.errors} />
        </div>
        <TextField field={fields.registrationNumber} label={t("organization.registrationNumber")} hint={t("organization.registrationHint")} />
        <TextField field={fields.serviceScope} label={t("organization.serviceScope")} />
        <div className="field" data-invalid={fields.description.errors ? "" : undefined}>
          <label htmlFor={fields.description.id} className="field__label">
            {t("organization.description")}
          </label>
          <textarea {...getTextareaProps(fields.description)} className="field__input" />
          <FieldErrors id={fields.description.errorId} errors={fields.description.errors} />
        </div>
        <SubmitButton>{t("organization.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
