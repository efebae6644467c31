import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PledgeForm } from "~/components/pledges/pledge-form";
import { config } from "~/config.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { pageTitle } from "~/lib/meta";
import { performForm, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { createPledge } from "~/modules/pledges/commands.server";
import { newPledgePage } from "~/modules/pledges/queries.server";
import { pledgeSchema } from "~/modules/pledges/schemas";
import { serverNow } from "~/lib/clock.server";

export const meta: MetaFunction = (args) => pageTitle(args, "pledge.form.title");

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return newPledgePage(await getActor(context), serverNow(), config().timeZone).catch(toHttpError);
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const submission = parseWithZod(await readForm(request), { schema: pledgeSchema });
  if (submission.status !== "success") return submission.reply();
  return performForm(
    submission,
    () => createPledge(actor, submission.value),
    (pledge) => redirect(`/pledges/${pledge.id}`),
  );
}

export default function NewPledge() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <h1>{t("pledge.form.title")}</h1>
      <PledgeForm options={data.options} today={data.today} yearEnd={data.yearEnd} lastResult={lastResult} />
    </div>
  );
}
