import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PledgeProgress, PledgeStatusPill } from "~/components/pledges/pledge-card";
import { WithdrawForm } from "~/components/pledges/withdraw-form";
import { config } from "~/config.server";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { pageTitle } from "~/lib/meta";
import { idParam, performForm, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { withdrawPledge } from "~/modules/pledges/commands.server";
import { pledgePage } from "~/modules/pledges/queries.server";
import { hoursOf } from "~/modules/pledges/rules";
import { withdrawSchema } from "~/modules/pledges/schemas";

export const meta: MetaFunction<typeof loader> = (args) => pageTitle(args, { text: args.data?.pledge.text ?? "" }, "pledge.wall.title");

export async function loader({ context, params }: LoaderFunctionArgs) {
  return pledgePage(await getActor(context), idParam(params.id), config().timeZone).catch(toHttpError);
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const pledgeId = idParam(params.id);
  const submission = parseWithZod(await readForm(request), { schema: withdrawSchema });
  if (submission.status !== "success") return submission.reply();
  const actor = await getActor(context);
  return performForm(
    submission,
    () => withdrawPledge(actor, { pledgeId, reason: submission.value.reason }),
    () => redirect(`/pledges/${pledgeId}`),
  );
}

export default function PledgeDetail() {
  const { t, date } = useI18n();
  const { pledge, contributions, canWithdraw } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to="/pledges">{t("pledge.wall.title")}</Link>
      </p>
      <h1>{pledge.text}</h1>
      <div className="card">
        <dl className="facts">
          <dt>{pledge.organizationId ? t("pledge.byOrganization") : t("record.person")}</dt>
          <dd>{pledge.pledger}</dd>
          <dt>{t("pledge.filter.place")}</dt>
          <dd>{pledge.place}</dd>
          <dt>{t("pledge.filter.category")}</dt>
          <dd>{t(`pledge.category.${pledge.category}`)}</dd>
          <dt>{t("pledge.filter.status")}</dt>
          <dd>
            <PledgeStatusPill status={pledge.status} />
          </dd>
          <dt>{t("activity.when")}</dt>
          <dd>{t("pledge.period", { from: date(pledge.startsOn, "date"), to: date(pledge.endsOn, "date") })}</dd>
        </dl>
        <PledgeProgress pledge={pledge} />
        {pledge.withdrawReason ? <p className="notice notice--warn">{t("pledge.withdrawnBecause", { reason: pledge.withdrawReason })}</p> : null}
      </div>
      <section className="section">
        <h2>{t("pledge.detail.contributions")}</h2>
        {contributions.length === 0 ? (
          <p className="empty">{t("pledge.detail.noContributions")}</p>
        ) : (
          <ul className="list">
            {contributions.map((c, i) => (
              <li key={`${c.id}-${i}`} className="list-item list-item--row">
                <Link to={`/activities/${c.id}`} className="list-item__title">
                  {c.title}
                </Link>
                <span>{c.name}</span>
                <span className="muted">{date(c.startsAt, "date")}</span>
                <strong>{t("pledge.amount.hours", { amount: hoursOf(c.minutes) })}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>
      {canWithdraw ? <WithdrawForm lastResult={lastResult} /> : null}
    </div>
  );
}
