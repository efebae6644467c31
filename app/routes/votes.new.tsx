import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { proposals, users } from "#db/schema";
import { DateTimeField, FieldErrors, FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { punctuation } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { performForm } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/access";
import { hallContext } from "~/modules/halls/queries.server";
import { createVote } from "~/modules/votes/commands.server";
import { accountIds } from "~/modules/votes/queries.server";
import { voteFormSchema as voteSchema } from "~/modules/votes/schemas";
import { defaultQuestion, thresholdKey } from "~/modules/votes/rules";
import "~/i18n/scoped/vote-page";
import "~/i18n/scoped/votes";
import { pageTitle } from "~/lib/meta";
import { queryId, readForm } from "~/lib/input.server";
import { serverNow, timeZone } from "~/lib/clock.server";
import { localToInstant } from "~/lib/time";

export const meta: MetaFunction = (args) => pageTitle(args, "vote.new");

/** The hall (and proposal) the vote belongs to, for a person who may moderate it; otherwise 403/404. */
async function target(request: Request, actor: Awaited<ReturnType<typeof getActor>>) {
  const url = new URL(request.url);
  const proposalId = queryId(url, "proposal");
  let hallId = queryId(url, "hall");
  let title: string | null = null;
  if (proposalId) {
    const [p] = await db().select().from(proposals).where(eq(proposals.id, proposalId));
    if (!p) throw new Response("Not Found", { status: 404 });
    hallId = p.hallId;
    title = p.title;
  }
  const found = hallId ? await hallContext(db(), hallId, actor) : null;
  if (!found) throw new Response("Not Found", { status: 404 });
  if (!can(actor, "hall:moderate", found.context)) throw new Response("Forbidden", { status: 403 });
  return { hallId: found.hall.id, hallName: found.hall.name, unitName: found.unitName, proposalId, title };
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const [me] = await db().select({ username: users.username }).from(users).where(eq(users.id, user.id));
  return { ...(await target(request, await getActor(context))), username: me?.username ?? "" };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const t = await target(request, actor);
  const submission = parseWithZod(await readForm(request), { schema: voteSchema });
  if (submission.status !== "success") return submission.reply();
  const v = submission.value;
  const closesAt = localToInstant(v.closesAt, timeZone());
  const opensAt = v.opensAt ? localToInstant(v.opensAt, timeZone()) : serverNow();
  if (!closesAt || !opensAt) return submission.reply({ fieldErrors: { closesAt: ["vote.error.time"] } });
  const tellers = v.secret ? await accountIds(db(), v.tellers.split(/[\s,，、]+/)) : { ids: [], missing: [] };
  if (tellers.missing.length) return submission.reply({ fieldErrors: { tellers: [`vote.error.noSuchTeller|${JSON.stringify({ name: punctuation(context.locale).join(tellers.missing) })}`] } });
  return performForm(
    submission,
    () =>
      createVote(actor, {
        ...v,
        hallId: t.hallId,
        proposalId: t.proposalId,
        options: v.options.split("\n"),
        opensAt,
        closesAt,
        tellers: v.secret ? tellers.ids : undefined,
      }),
    (vote) => redirect(`/votes/${vote.id}`),
  );
}

export default function NewVote() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [method, setMethod] = useState("yes_no");
  const [secret, setSecret] = useState(false);
  const [form, fields] = useSchemaForm(voteSchema, {
    id: "vote",
    lastResult,
    defaultValue: { tellers: `${data.username}\n`, tellerThreshold: "2", question: data.title ? defaultQuestion(t, data.title) : "", quorumPercent: "50", threshold: "simple_majority", electorate: "households", method: "yes_no" },
  });
  return (
    <div className="page narrow">
      <p className="muted">{data.proposalId ? <Link to={`/proposals/${data.proposalId}`}>← {data.title}</Link> : <Link to={`/halls/${data.hallId}`}>← {data.hallName}</Link>}</p>
      <h1>{t("vote.new")}</h1>
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <TextField field={fields.question} label={t("vote.question")} />
        <div className="field">
          <label htmlFor={fields.method.id} className="field__label">
            {t("vote.method")}
          </label>
          <select {...getSelectProps(fields.method)} key={fields.method.key} className="field__input" onChange={(e) => setMethod(e.target.value)}>
            <option value="yes_no">{t("vote.method.yes_no")}</option>
            <option value="single">{t("vote.method.single")}</option>
            <option value="approval">{t("vote.method.approval")}</option>
          </select>
        </div>
        {method !== "yes_no" ? (
          <div className="field" data-invalid={fields.options.errors ? "" : undefined}>
            <label htmlFor={fields.options.id} className="field__label">
              {t("vote.options")}
            </label>
            <p className="field__hint">{t("vote.optionsHint")}</p>
            <textarea {...getTextareaProps(fields.options)} key={fields.options.key} className="field__input" rows={4} />
            <FieldErrors id={fields.options.errorId} errors={fields.options.errors} />
          </div>
        ) : null}
        {method === "approval" ? <TextField field={fields.maxChoices} label={t("vote.maxChoices")} type="number" inputMode="numeric" /> : null}
        <div className="field">
          <label htmlFor={fields.electorate.id} className="field__label">
            {t("vote.electorate")}
          </label>
          <select {...getSelectProps(fields.electorate)} key={fields.electorate.key} className="field__input">
            <option value="households">{t("vote.electorate.households")}</option>
            <option value="residents">{t("vote.electorate.residents", { unit: data.unitName })}</option>
            <option value="members">{t("vote.electorate.members")}</option>
          </select>
        </div>
        <DateTimeField field={fields.opensAt} label={t("vote.opensAt")} hint={t("vote.opensAtHint")} />
        <DateTimeField field={fields.closesAt} label={t("vote.closesAt")} />
        <TextField field={fields.quorumPercent} label={t("vote.quorum")} hint={t("vote.quorumHint")} type="number" inputMode="numeric" />
        <div className="field">
          <label htmlFor={fields.threshold.id} className="field__label">
            {t("vote.threshold")}
          </label>
          <select {...getSelectProps(fields.threshold)} key={fields.threshold.key} className="field__input">
            {(["simple_majority", "majority_of_participants", "two_thirds_cast", "two_thirds_electorate"] as const).map((th) => (
              <option key={th} value={th}>
                {t(thresholdKey(method === "yes_no" ? "yes_no" : "single", th))}
              </option>
            ))}
          </select>
        </div>
        <label className="check">
          <input {...getInputProps(fields.abstentionsCountForQuorum, { type: "checkbox" })} key={fields.abstentionsCountForQuorum.key} />
          <span>{t("vote.abstentionsCount")}</span>
        </label>
        <label className="check">
          <input {...getInputProps(fields.secret, { type: "checkbox" })} key={fields.secret.key} onChange={(e) => setSecret(e.target.checked)} />
          <span>{t("vote.secret")}</span>
        </label>
        {/* Only read for a secret ballot; opened when "secret" is ticked (the <details> works without scripts too). */}
        <details className="field" open={secret}>
          <summary className="field__label">{t("vote.tellers")}</summary>
          <label htmlFor={fields.tellers.id} className="field__label">
            {t("vote.tellerAccounts")}
          </label>
          <p className="field__hint">{t("vote.tellersHint")}</p>
          <textarea {...getTextareaProps(fields.tellers)} key={fields.tellers.key} className="field__input" rows={3} autoCapitalize="off" />
          <FieldErrors id={fields.tellers.errorId} errors={fields.tellers.errors} />
          <TextField field={fields.tellerThreshold} label={t("vote.tellerThreshold")} type="number" inputMode="numeric" />
        </details>
        <div className="field" data-invalid={fields.liveResults.errors ? "" : undefined}>
          <label className="check">
            <input {...getInputProps(fields.liveResults, { type: "checkbox", ariaDescribedBy: `${fields.liveResults.id}-hint` })} key={fields.liveResults.key} />
            <span>{t("vote.liveResults")}</span>
          </label>
          <p className="field__hint" id={`${fields.liveResults.id}-hint`}>
            {t("voteForm.liveResultsHint")}
          </p>
          <FieldErrors id={fields.liveResults.errorId} errors={fields.liveResults.errors} />
        </div>
        <p className="notice notice--info">{t("vote.frozenWarning")}</p>
        <SubmitButton>{t("vote.create")}</SubmitButton>
      </Form>
    </div>
  );
}
