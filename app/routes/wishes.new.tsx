import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { WishForm } from "~/components/wishes/wish-form";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/wishes";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { newWishIntents } from "~/modules/wishes/intents.server";
import { newWishPage } from "~/modules/wishes/queries.server";

export const meta: MetaFunction = (args) => pageTitle(args, "wish.form.title");

/** Staff post a wish for a resident of their community, with the person's consent. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return newWishPage(await getActor(context)).catch(toHttpError);
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), newWishIntents, { actor: await getActor(context) });
}

export default function NewWish() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <h1>{t("wish.form.title")}</h1>
      <p className="muted">{t("wish.form.intro")}</p>
      <WishForm communities={data.communities} clientKey={data.clientKey} lastResult={result?.reply} />
    </div>
  );
}
