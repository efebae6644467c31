import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { FieldErrors, FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { HouseholdCard } from "~/components/roll/household-card";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/roll";
import { requireUser } from "~/lib/auth.server";
import { formId, queryId, readForm } from "~/lib/input.server";
import { pageTitle } from "~/lib/meta";
import { performForm, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { addHousehold } from "~/modules/roll/commands.server";
import { listRoll, rollCommunities } from "~/modules/roll/queries.server";
import { householdSchema } from "~/modules/roll/schemas";

export const meta: MetaFunction = (args) => pageTitle(args, "roll.title");

/** The roll of residents (居民名册) of one community the actor keeps: search, households, add a household. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const communities = await rollCommunities(db(), actor);
  if (communities.length === 0) throw new Response("Forbidden", { status: 403 });
  const url = new URL(request.url);
  const chosen = queryId(url, "c");
  const communityId = communities.find((c) => c.id === chosen)?.id ?? communities[0]!.id;
  const search = url.searchParams.get("q") ?? "";
  const movedOut = url.searchParams.get("out") === "1";
  try {
    const roll = await listRoll(db(), actor, { communityId, search, movedOut });
    return { communities: communities.map(({ id, name }) => ({ id, name })), search, movedOut, ...roll };
  } catch (error) {
    return toHttpError(error);
  }
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: householdSchema });
  if (submission.status !== "success") return submission.reply();
  const communityId = formId(form, "communityId");
  return performForm(
    submission,
    () => addHousehold(actor, { communityId, ...submission.value }),
    (household) => redirect(`/desk/roll/households/${household.id}`),
  );
}

export default function RollPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(householdSchema, {
    id: "household",
    lastResult,
  });
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to="/desk">← {t("desk.title")}</Link>
      </p>
      <h1>{t("roll.title")}</h1>
      <p className="muted">{t("roll.intro")}</p>
      <Form method="get" className="card form" role="search">
        {data.communities.length > 1 ? (
          <label className="field">
            <span className="field__label">{t("roll.community")}</span>
            <select name="c" defaultValue={data.community.id} className="field__input">
              {data.communities.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <input type="hidden" name="c" value={data.community.id} />
        )}
        <label className="field">
          <span className="field__label">{t("roll.searchLabel")}</span>
          <input type="search" name="q" defaultValue={data.search} className="field__input" />
        </label>
        <label className="check">
          <input type="checkbox" name="out" value="1" defaultChecked={data.movedOut} />
          <span>{t("roll.showMovedOut")}</span>
        </label>
        <button type="submit" className="button">
          {t("roll.search")}
        </button>
      </Form>
      <section className="section" aria-labelledby="roll-list">
        <h2 id="roll-list">
          {data.community.name} · <span className="muted">{t("roll.totals", data.totals)}</span>
        </h2>
        {data.households.length === 0 ? <p className="empty">{t("roll.empty")}</p> : null}
        <ul className="list">
          {data.households.map((h) => (
            <HouseholdCard key={h.id} household={h} />
          ))}
        </ul>
      </section>
      <section className="section" aria-labelledby="add-household">
        <h2 id="add-household">{t("roll.addHousehold")}</h2>
        <Form method="post" {...getFormProps(form)} className="card form">
          <input type="hidden" name="communityId" value={data.community.id} />
          <FormMessage id={form.errorId} errors={form.errors} />
          <TextField field={fields.address} label={t("roll.address")} />
          <div className="field" data-invalid={fields.note.errors ? "" : undefined}>
            <label htmlFor={fields.note.id} className="field__label">
              {t("roll.note")}
            </label>
            <textarea {...getTextareaProps(fields.note)} className="field__input" />
            <FieldErrors id={fields.note.errorId} errors={fields.note.errors} />
          </div>
          <SubmitButton>{t("roll.addHousehold")}</SubmitButton>
        </Form>
      </section>
    </div>
  );
}
