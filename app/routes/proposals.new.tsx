import { getFormProps, getInputProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data as withStatus, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { inArray } from "drizzle-orm";
import { db } from "#db/client.server";
import { organizations } from "#db/schema";
import { FormMessage, useSchemaForm } from "~/components/form";
import { ProposalFields } from "~/components/proposals/proposal-fields";
import { PhotoInput } from "~/components/photos/photo-input";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { performForm } from "~/lib/route.server";
import { MAX_PHOTOS } from "~/lib/uploads";
import { photosOf } from "~/lib/uploads.server";
import { readPhotoForm } from "~/lib/images.server";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/access";
import { hallContext } from "~/modules/halls/queries.server";
import { createProposal } from "~/modules/proposals/commands.server";
import { proposalSchema } from "~/modules/proposals/schemas";
import { listAlleys, listCategories } from "~/modules/units/queries.server";
import { pathIds } from "~/modules/identity/actor";
import { checkForm, queryId } from "~/lib/input.server";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction = (args) => pageTitle(args, "proposal.new");

async function hallFor(request: Request, actor: Awaited<ReturnType<typeof getActor>>) {
  const hallId = queryId(new URL(request.url), "hall");
  const found = hallId ? await hallContext(db(), hallId, actor) : null;
  if (!found) throw new Response("Not Found", { status: 404 });
  if (!can(actor, "proposal:create", found.context)) throw new Response("Forbidden", { status: 403 });
  return found;
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const found = await hallFor(request, actor);
  // Alleys of the subdistrict the hall sits in (or under).
  const subdistrictId = pathIds(found.context.unitPath)[2];
  const orgIds = Object.keys(actor.organizations).map(Number);
  const [categories, alleys, orgs] = await Promise.all([
    listCategories(db()),
    subdistrictId ? listAlleys(db(), subdistrictId) : [],
    orgIds.length ? db().select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, orgIds)) : [],
  ]);
  return {
    hall: { id: found.hall.id, name: found.hall.name },
    categories: categories.map((c) => ({ code: c.code, zh: c.nameZh, en: c.nameEn })),
    alleys: alleys.map((a) => ({ id: a.id, name: a.name })),
    organizations: orgs,
    clientKey: crypto.randomUUID(),
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const found = await hallFor(request, actor);
  // Up to 4 photos of 5 MB each (the browser shrinks them first); over that, a 413 with what was typed.
  const { formData, tooLarge } = await readPhotoForm(request);
  const submission = parseWithZod(checkForm(formData), { schema: proposalSchema });
  if (tooLarge) return withStatus({ result: submission.reply(), photoError: "photo.error.tooLarge" }, { status: 413 });
  if (submission.status !== "success") return { result: submission.reply(), photoError: undefined };
  // Checked in memory; the command strips their location data and writes them once it has decided (ADR 0017, 0023).
  const photos = await photosOf(formData);
  if (!photos.ok) return withStatus({ result: submission.reply(), photoError: photos.error }, { status: 400 });
  const { publish, ...rest } = submission.value;
  const result = await performForm(
    submission,
    () => createProposal(actor, { ...rest, hallId: found.hall.id, publish: publish === "publish", photos: photos.photos }),
    (proposal) => redirect(`/proposals/${proposal.id}`),
  );
  // A refusal about the photos (the daily upload volume) shows beside the photo field.
  if (result instanceof Response) return result;
  return { result, photoError: "error" in result ? (result.error?.photos?.[0] ?? undefined) : undefined };
}

export default function NewProposal() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [form, fields] = useSchemaForm(proposalSchema, {
    id: "proposal",
    lastResult: actionData?.result,
    defaultValue: { clientKey: data.clientKey, publish: "publish" },
  });
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/halls/${data.hall.id}`}>← {data.hall.name}</Link>
      </p>
      <h1>{t("proposal.new")}</h1>
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <input {...getInputProps(fields.clientKey, { type: "hidden" })} key={fields.clientKey.key} />
        <ProposalFields fields={fields} categories={data.categories} alleys={data.alleys} />
        {data.organizations.length ? (
          <div className="field">
            <label htmlFor={fields.organizationId.id} className="field__label">
              {t("debate.speakAs")}
            </label>
            <select {...getSelectProps(fields.organizationId)} key={fields.organizationId.key} className="field__input">
              <option value="">{t("debate.asMyself")}</option>
              {data.organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field" data-invalid={actionData?.photoError ? "" : undefined}>
          <label htmlFor="photos" className="field__label">
            {t("proposal.photos")}
          </label>
          <p id="photos-hint" className="field__hint">
            {t("proposal.photosHint", { max: MAX_PHOTOS })}
          </p>
          <PhotoInput id="photos" describedBy="photos-hint" serverError={actionData?.photoError} />
        </div>
        {busy ? (
          <div className="progress" role="progressbar" aria-label={t("form.submitting")}>
            <span />
          </div>
        ) : null}
        <div className="actions">
          <button type="submit" name="publish" value="publish" className="button button--primary" disabled={busy}>
            {busy ? t("form.submitting") : t("proposal.publish")}
          </button>
          <button type="submit" name="publish" value="draft" className="button" disabled={busy}>
            {t("proposal.saveDraft")}
          </button>
        </div>
      </Form>
    </div>
  );
}
