import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ActivityForm } from "~/components/pledges/activity-form";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { pageTitle } from "~/lib/meta";
import { performForm, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { createActivity } from "~/modules/pledges/commands.server";
import { newActivityPage } from "~/modules/pledges/queries.server";
import { activitySchema } from "~/modules/pledges/schemas";

export const meta: MetaFunction = (args) => pageTitle(args, "activity.form.title");

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return newActivityPage(await getActor(context)).catch(toHttpError);
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const submission = parseWithZod(await readForm(request), { schema: activitySchema });
  if (submission.status !== "success") return submission.reply();
  return performForm(
    submission,
    () => createActivity(actor, submission.value),
    (activity) => redirect(`/activities/${activity.id}`),
  );
}

export default function NewActivity() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <h1>{t("activity.form.title")}</h1>
      <ActivityForm as={data.as} units={data.units} lastResult={lastResult} />
    </div>
  );
}
