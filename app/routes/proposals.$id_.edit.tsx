import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client.server";
import { FormMessage, useSchemaForm } from "~/components/form";
import { ProposalFields } from "~/components/proposals/proposal-fields";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { pageTitle } from "~/lib/meta";
import { idParam, performForm } from "~/lib/route.server";
import { pathIds } from "~/modules/identity/actor";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/access";
import { publishDraft, updateDraft } from "~/modules/proposals/commands.server";
import { getProposalWithHall } from "~/modules/proposals/queries.server";
import { draftSchema } from "~/modules/proposals/schemas";
import { listAlleys, listCategories } from "~/modules/units/queries.server";

export const meta: MetaFunction = (args) => pageTitle(args, "draft.edit");

/** The author's draft, or 404 for anyone else; a draft already published goes back to its page. */
async function draftFor(context: LoaderFunctionArgs["context"], request: Request, id: string | undefined) {
  requireUser(context, request);
  const actor = await getActor(context);
  const found = await getProposalWithHall(db(), idParam(id), actor);
  if (!found || !can(actor, "proposal:view", found.ctx) || found.proposal.authorId !== actor.userId) throw new Response("Not Found", { status: 404 });
  if (found.proposal.state !== "draft") throw redirect(`/proposals/${found.proposal.id}`);
  return { actor, ...found };
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { actor, proposal, hall, ctx } = await draftFor(context, request, params.id);
  const subdistrictId = pathIds(hall.context.unitPath)[2];
  const [categories, alleys] = await Promise.all([listCategories(db()), subdistrictId ? listAlleys(db(), subdistrictId) : []]);
  return {
    draft: { id: proposal.id, title: proposal.title, body: proposal.body, categoryCode: proposal.categoryCode, address: proposal.address ?? "", alleyId: proposal.alleyId ?? undefined },
    hall: { id: hall.hall.id, name: hall.hall.name },
    canPublish: can(actor, "proposal:publishDraft", ctx),
    categories: categories.map((c) => ({ code: c.code, zh: c.nameZh, en: c.nameEn })),
    alleys: alleys.map((a) => ({ id: a.id, name: a.name })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { actor, proposal } = await draftFor(context, request, params.id);
  const submission = parseWithZod(await request.formData(), { schema: draftSchema });
  if (submission.status !== "success") return submission.reply();
  const { intent, ...edit } = submission.value;
  return performForm(
    submission,
    async () => {
      await updateDraft(actor, proposal.id, edit);
      if (intent === "publish") await publishDraft(actor, proposal.id);
    },
    () => redirect(`/proposals/${proposal.id}`),
  );
}

export default function EditDraft() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useSchemaForm(draftSchema, {
    id: "draft",
    lastResult,
    defaultValue: { ...data.draft, alleyId: data.draft.alleyId === undefined ? undefined : String(data.draft.alleyId) },
  });
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/proposals/${data.draft.id}`}>← {t("draft.back")}</Link>
      </p>
      <h1>{t("draft.edit")}</h1>
      <p className="notice notice--info">{t("draft.onlyYou", { hall: data.hall.name })}</p>
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <ProposalFields fields={fields} categories={data.categories} alleys={data.alleys} />
        <div className="actions">
          <button type="submit" name="intent" value="save" className="button button--primary" disabled={busy}>
            {busy ? t("form.submitting") : t("draft.save")}
          </button>
          {data.canPublish ? (
            <button type="submit" name="intent" value="publish" className="button" disabled={busy}>
              {t("draft.saveAndPublish")}
            </button>
          ) : null}
          <Link to={`/proposals/${data.draft.id}`} className="button button--quiet">
            {t("common.cancel")}
          </Link>
        </div>
      </Form>
    </div>
  );
}
