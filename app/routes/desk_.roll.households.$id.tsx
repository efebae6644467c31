import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { db } from "#db/client.server";
import { HouseholdForms, PersonForms, type RollReply } from "~/components/roll/household-forms";
import { PersonLine } from "~/components/roll/household-card";
import { RollHistory } from "~/components/roll/history";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/roll";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { parseId } from "~/lib/input";
import { pageTitle } from "~/lib/meta";
import { CommandError } from "~/lib/command.server";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { addResident, editHousehold, editResident, endHousehold, linkAccount, moveOutResident } from "~/modules/roll/commands.server";
import { getRollHousehold } from "~/modules/roll/queries.server";
import { editResidentSchema, householdSchema, linkSchema, moveOutSchema, residentSchema } from "~/modules/roll/schemas";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.household.address }) : pageTitle(args));

/** One household of the roll: its people, forms to keep them, and the trail of every change. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = await getActor(context);
  try {
    return await getRollHousehold(db(), actor, idParam(params.id));
  } catch (error) {
    return toHttpError(error);
  }
}

const schemas = { editHousehold: householdSchema, endHousehold: moveOutSchema, addResident: residentSchema, editResident: editResidentSchema, moveOut: moveOutSchema, link: linkSchema };
type Intent = keyof typeof schemas;

export async function action({ context, params, request }: ActionFunctionArgs): Promise<RollReply> {
  requireUser(context, request);
  const actor = await getActor(context);
  const householdId = idParam(params.id);
  const form = await readForm(request);
  const intent = String(form.get("intent")) as Intent;
  const key = String(form.get("key") ?? "");
  if (!(intent in schemas)) throw new Response("Bad Request", { status: 400 });
  const submission = parseWithZod(form, { schema: schemas[intent] });
  if (submission.status !== "success") return { intent, key, result: submission.reply() };
  const v = submission.value as z.infer<(typeof schemas)[Intent]> & Record<string, never>;
  const residentId = parseId(form.get("residentId")) ?? 0; // only the intents about one person send it
  const run = {
    editHousehold: () => editHousehold(actor, { householdId, ...(v as z.infer<typeof householdSchema>) }),
    endHousehold: () => endHousehold(actor, { householdId, ...(v as z.infer<typeof moveOutSchema>) }),
    addResident: () => addResident(actor, { householdId, ...(v as z.infer<typeof residentSchema>) }),
    editResident: () => editResident(actor, v as z.infer<typeof editResidentSchema>),
    moveOut: () => moveOutResident(actor, { residentId, ...(v as z.infer<typeof moveOutSchema>) }),
    link: () => linkAccount(actor, v as z.infer<typeof linkSchema>),
  }[intent];
  try {
    await run();
    return { intent, key, result: submission.reply({ resetForm: true }), saved: true };
  } catch (error) {
    if (error instanceof CommandError) {
      const errors = error.field ? { fieldErrors: { [error.field]: [error.messageKey] } } : { formErrors: [error.messageKey] };
      return { intent, key, result: submission.reply(errors) };
    }
    return toHttpError(error);
  }
}

export default function RollHouseholdPage() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { household } = data;
  const active = data.people.filter((p) => !p.movedOutAt);
  const gone = data.people.filter((p) => p.movedOutAt);
  return (
    <div className="page narrow">
      <p className="muted">
        <Link to={`/desk/roll?c=${household.communityId}`}>← {t("roll.back")}</Link>
      </p>
      <h1>{household.address}</h1>
      <p className="muted">
        {data.communityName}
        {household.endedAt ? ` · ${t("roll.movedOut")}` : ""}
      </p>
      {household.note ? <p>{household.note}</p> : null}
      {reply && "saved" in reply && reply.saved ? <p className="notice notice--success" role="status">{t("roll.saved")}</p> : null}
      <section className="section card" aria-labelledby="people-title">
        <h2 id="people-title">{t("roll.people")}</h2>
        {active.length === 0 ? <p className="muted">{t("roll.empty")}</p> : null}
        {active.map((p) => (
          <div key={p.id} className="roll-person" data-testid={`person-${p.id}`}>
            <PersonLine person={{ ...p, hasAccount: p.userId !== null }} />
            {p.phone ? <p className="muted">{p.phone}</p> : null}
            {p.note ? <p className="muted">{p.note}</p> : null}
            {household.endedAt ? null : <PersonForms person={p} households={data.otherHouseholds} claims={data.claims} reply={reply} />}
          </div>
        ))}
        {gone.map((p) => (
          <div key={p.id} className="roll-person">
            <PersonLine person={{ ...p, hasAccount: p.userId !== null }} />
          </div>
        ))}
      </section>
      {household.endedAt ? null : <HouseholdForms household={household} reply={reply} />}
      <RollHistory history={data.history} />
    </div>
  );
}
