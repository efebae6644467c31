import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form-parts";
import { ClaimForm, ClaimList, CloseNeedForm } from "~/components/service-lists/claims";
import { Matches, NeedProgress, NeedStatusPill, useNeedAmount } from "~/components/service-lists/need-parts";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/service-lists";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { needIntents } from "~/modules/service-lists/intents.server";
import { needPage } from "~/modules/service-lists/queries.server";
import { useRoomReload } from "~/realtime/hooks";
import { withRooms } from "#realtime/room-log.server";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.need.title }, "lists.needs") : pageTitle(args, "lists.needs"));

export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  return withRooms([`need:${id}`], async () => needPage(await getActor(context), id)).catch(toHttpError);
}

/** Claim, say done, confirm, release, close: `modules/service-lists/intents.server.ts`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const needId = idParam(params.id);
  return performIntent(await readForm(request), needIntents, { actor: await getActor(context), needId });
}

export default function NeedPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const amount = useNeedAmount();
  const { need } = data;
  // Claims made, reported done, confirmed or released elsewhere show at once: the page reloads its own data.
  useRoomReload(data.live);
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to={`/units/${need.unitId}/lists`}>
          {need.unitName} · {t("lists.needs")}
        </Link>
      </p>
      <h1>{need.title}</h1>
      <div className="card">
        <dl className="facts">
          <dt>{t("pledge.filter.status")}</dt>
          <dd>
            <NeedStatusPill status={need.status} degree={need.degree} />
          </dd>
          <dt>{t("need.category")}</dt>
          <dd>{t(`pledge.category.${need.category}`)}</dd>
          <dt>{t("need.when")}</dt>
          <dd>{need.whenText}</dd>
          <dt>{t("need.asked")}</dt>
          <dd>{amount(need.unit, need.amount)}</dd>
          <dt>{t("need.postedBy")}</dt>
          <dd>{need.poster}</dd>
          {need.proposalId ? (
            <>
              <dt>{t("need.fromProposal")}</dt>
              <dd>
                <Link to={`/proposals/${need.proposalId}`}>{need.proposalTitle}</Link>
              </dd>
            </>
          ) : null}
        </dl>
        {need.description ? <p className="pre-line">{need.description}</p> : null}
        <NeedProgress need={need} />
        {need.closeReason ? <p className="notice notice--warn">{t("need.closedBecause", { reason: need.closeReason })}</p> : null}
      </div>
      {result?.intent === "claim" && result.ok ? <FormMessage tone="success" errors={["claim.form.claimed"]} /> : null}
      {data.claimOptions.length > 0 ? <ClaimForm data={data} result={result} /> : null}
      <ClaimList data={data} result={result} />
      {need.remaining > 0 ? (
        <section className="section" aria-labelledby="matches-title">
          <h2 id="matches-title">{t("need.matching")}</h2>
          <Matches resources={data.resources} members={data.members} />
        </section>
      ) : null}
      {data.can.startProject ? (
        <p>
          <Link className="button" to={`/projects/new?need=${need.id}`}>
            {t("need.startProject")}
          </Link>
        </p>
      ) : null}
      {data.can.close ? <CloseNeedForm result={result} /> : null}
    </div>
  );
}
