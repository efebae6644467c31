import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { StatePill } from "~/components/proposal-state";
import { ConvenerTools } from "~/components/proposals/convener-tools";
import { Debate } from "~/components/proposals/debate";
import { ProposalBody } from "~/components/proposals/proposal-body";
import { DeclineNotice, History, MinutesCard, VoteLink, WhistleSummary } from "~/components/proposals/sections";
import { StepBar } from "~/components/proposals/step-bar";
import { useLiveProposal } from "~/components/proposals/use-live-proposal";
import { ProposalNeeds } from "~/components/service-lists/proposal-needs";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/whistles";
import "~/i18n/scoped/service-lists";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import type { IntentReply } from "~/lib/intents";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { proposalIntents } from "~/modules/proposals/intents.server";
import { proposalPage } from "~/modules/proposals/queries.server";

/**
 * A new comment, an edit or a report arrives through the socket already: do
 * not refetch the whole debate after posting one (it is the page's largest data).
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, actionResult, defaultShouldRevalidate }) => {
  const intent = formData?.get("intent");
  if ((intent === "comment" || intent === "edit" || intent === "report") && (actionResult as IntentReply | undefined)?.ok) return false;
  return defaultShouldRevalidate;
};

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, { text: args.data.proposal.title }) : pageTitle(args);

export async function loader({ context, params }: LoaderFunctionArgs) {
  return proposalPage(await getActor(context), idParam(params.id)).catch(toHttpError);
}

/** Every form of the page (second, follow, debate, convener's tools…): `modules/proposals/intents.server.ts`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const proposalId = idParam(params.id);
  const form = await readForm(request);
  return performIntent(form, proposalIntents, { actor: await getActor(context), proposalId });
}

export default function ProposalPage() {
  const data = useLoaderData<typeof loader>();
  const { locale, date, punct } = useI18n();
  const result = useActionData<typeof action>();
  const { debate, setDebate, live, fresh } = useLiveProposal(data);
  const { proposal } = data;
  return (
    <div className="page proposal-page">
      <p className="muted">
        <Link to={`/halls/${data.hall.id}`}>← {data.hall.name}</Link>
      </p>
      <header className="card proposal-head">
        <div className="proposal-row__meta">
          <StatePill state={live.state} />
          <span className="pill pill--info">{locale === "en" ? data.category.en : data.category.zh}</span>
        </div>
        <h1>{proposal.title}</h1>
        <p className="muted">
          {data.organizationName ? `${data.organizationName}${punct.parens(data.authorName)}` : data.authorName} ·{" "}
          {date(proposal.createdAt)}
          {proposal.address ? ` · ${proposal.address}` : ""}
          {data.alleyName ? ` · ${data.alleyName}` : ""}
        </p>
        <StepBar state={live.state} whistle={data.whistle?.state ?? null} />
      </header>
      {data.minutes ? <MinutesCard minutes={data.minutes} /> : null}
      {live.state === "declined" && proposal.declineText ? <DeclineNotice proposal={proposal} /> : null}
      <ProposalBody data={data} live={live} result={result} />
      {data.vote && data.vote.state !== "cancelled" ? <VoteLink vote={data.vote} /> : null}
      {data.whistle ? <WhistleSummary whistle={data.whistle} /> : null}
      <ProposalNeeds proposalId={proposal.id} needs={data.needs} raise={data.raiseNeed} startProject={data.startProject} />
      {data.can.moderate ? <ConvenerTools data={data} state={live.state} /> : null}
      {live.state === "draft" ? null : <Debate data={data} debate={debate} setDebate={setDebate} state={live.state} fresh={fresh} />}
      <History events={data.events} />
    </div>
  );
}
