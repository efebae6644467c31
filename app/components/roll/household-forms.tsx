import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { FieldErrors, FormMessage, SubmitButton, TextField } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { editResidentSchema, householdSchema, linkSchema, moveOutSchema, residentSchema } from "~/modules/roll/schemas";
import { localDate } from "~/lib/time";

/** What the household page's action answers: which form (intent and key), Conform's result, and whether it was saved. */
export type RollReply = { intent: string; key: string; result: SubmissionResult<string[]>; saved?: boolean };

type Schema = z.ZodTypeAny;

/** One small form of the roll page, with its own Conform state: errors next to fields, what was typed kept. */
function useRollForm<S extends Schema>(schema: S, intent: string, key: string, reply: RollReply | undefined, defaultValue?: Record<string, unknown>) {
  return useForm<z.input<S>>({
    id: `${intent}-${key}`,
    lastResult: reply && reply.intent === intent && reply.key === key ? reply.result : undefined,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: defaultValue as never,
  });
}

function Hidden({ intent, formKey }: { intent: string; formKey: string }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="key" value={formKey} />
    </>
  );
}

function Fold({ summary, children, open }: { summary: string; children: ReactNode; open?: boolean }) {
  return (
    <details open={open}>
      <summary className="button button--small">{summary}</summary>
      {children}
    </details>
  );
}

interface Person {
  id: number;
  householdId: number;
  name: string;
  birthYear: number | null;
  phone: string | null;
  isHead: boolean;
  note: string | null;
  userId: number | null;
}

/** The fields a person has on the roll (add and edit share them). */
function PersonFields({ fields }: { fields: ReturnType<typeof useRollForm>[1] }) {
  const { t } = useI18n();
  const f = fields as Record<"name" | "birthYear" | "phone" | "note" | "isHead", Parameters<typeof TextField>[0]["field"]>;
  return (
    <>
      <TextField field={f.name} label={t("roll.name")} />
      <TextField field={f.birthYear} label={t("roll.birthYear")} inputMode="numeric" />
      <TextField field={f.phone} label={t("roll.phone")} type="tel" inputMode="tel" />
      <TextField field={f.note} label={t("roll.note")} />
      <label className="check">
        <input {...getInputProps(f.isHead as never, { type: "checkbox" })} />
        <span>{t("roll.isHead")}</span>
      </label>
    </>
  );
}

/** Edit, move out and link one person. */
export function PersonForms({
  person,
  households,
  claims,
  reply,
}: {
  person: Person;
  households: { id: number; address: string }[];
  claims: { id: number; displayName: string; status: string; address: string }[];
  reply?: RollReply;
}) {
  const { t, timeZone } = useI18n();
  const key = String(person.id);
  const mine = (intent: string) => reply?.intent === intent && reply.key === key && !reply.saved;
  const [edit, e] = useRollForm(editResidentSchema, "editResident", key, reply, {
    ...person,
    birthYear: person.birthYear ?? undefined,
    phone: person.phone ?? undefined,
    note: person.note ?? undefined,
    residentId: person.id,
    isHead: person.isHead ? "on" : undefined,
  });
  const [out, o] = useRollForm(moveOutSchema, "moveOut", key, reply, { date: localDate(new Date(), timeZone) });
  const [link, l] = useRollForm(linkSchema, "link", key, reply, { residentId: person.id });
  return (
    <div className="decision">
      <Fold summary={t("roll.edit")} open={mine("editResident")}>
        <Form method="post" {...getFormProps(edit)} className="form">
          <Hidden intent="editResident" formKey={key} />
          <input type="hidden" name="residentId" value={person.id} />
          <FormMessage id={edit.errorId} errors={edit.errors} />
          <PersonFields fields={e} />
          <div className="field">
            <label htmlFor={e.householdId.id} className="field__label">
              {t("roll.moveTo")}
            </label>
            <select {...getSelectProps(e.householdId)} className="field__input">
              {households.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.address}
                </option>
              ))}
            </select>
            <FieldErrors id={e.householdId.errorId} errors={e.householdId.errors} />
          </div>
          <SubmitButton intent="editResident" className="button button--primary">
            {t("roll.save")}
          </SubmitButton>
        </Form>
      </Fold>
      <Fold summary={t("roll.moveOut")} open={mine("moveOut")}>
        <Form method="post" {...getFormProps(out)} className="form">
          <Hidden intent="moveOut" formKey={key} />
          <input type="hidden" name="residentId" value={person.id} />
          <FormMessage id={out.errorId} errors={out.errors} />
          <TextField field={o.date} label={t("roll.moveOutDate")} type="date" />
          <TextField field={o.reason} label={t("roll.moveOutReason")} />
          <SubmitButton intent="moveOut" className="button">
            {t("roll.confirmMoveOut")}
          </SubmitButton>
        </Form>
      </Fold>
      {person.userId === null ? (
        <Fold summary={t("roll.link")} open={mine("link")}>
          <Form method="post" {...getFormProps(link)} className="form">
            <Hidden intent="link" formKey={key} />
            <input type="hidden" name="residentId" value={person.id} />
            <p className="muted">{t("roll.linkHint")}</p>
            <FormMessage id={link.errorId} errors={link.errors} />
            {claims.length === 0 ? <p className="muted">{t("roll.noClaims")}</p> : null}
            <fieldset className="choices">
              <legend className="field__label">{t("roll.chooseClaim")}</legend>
              {claims.map((c) => (
                <label key={c.id} className="check">
                  <input type="radio" name={l.claimId.name} value={c.id} />
                  <span>
                    <strong>{c.displayName}</strong> · {c.address} · {t(c.status === "pending" ? "roll.claimPending" : "roll.claimVerified")}
                  </span>
                </label>
              ))}
              <FieldErrors id={l.claimId.errorId} errors={l.claimId.errors} />
            </fieldset>
            <SubmitButton intent="link" className="button">
              {t("roll.confirmLink")}
            </SubmitButton>
          </Form>
        </Fold>
      ) : null}
    </div>
  );
}

/** Add a person, edit the household, or end it (everyone moves out). */
export function HouseholdForms({ household, reply }: { household: { id: number; address: string; note: string | null }; reply?: RollReply }) {
  const { t, timeZone } = useI18n();
  const key = String(household.id);
  const mine = (intent: string) => reply?.intent === intent && !reply.saved;
  const [add, a] = useRollForm(residentSchema, "addResident", key, reply);
  const [edit, e] = useRollForm(householdSchema, "editHousehold", key, reply, { address: household.address, note: household.note ?? undefined });
  const [end, n] = useRollForm(moveOutSchema, "endHousehold", key, reply, { date: localDate(new Date(), timeZone) });
  return (
    <>
      <section className="section card" aria-labelledby="add-person">
        <h2 id="add-person">{t("roll.addPerson")}</h2>
        <Form method="post" {...getFormProps(add)} className="form">
          <Hidden intent="addResident" formKey={key} />
          <FormMessage id={add.errorId} errors={add.errors} />
          <PersonFields fields={a} />
          <SubmitButton intent="addResident">{t("roll.addPerson")}</SubmitButton>
        </Form>
      </section>
      <div className="decision">
        <Fold summary={t("roll.editHousehold")} open={mine("editHousehold")}>
          <Form method="post" {...getFormProps(edit)} className="form">
            <Hidden intent="editHousehold" formKey={key} />
            <FormMessage id={edit.errorId} errors={edit.errors} />
            <TextField field={e.address} label={t("roll.address")} />
            <TextField field={e.note} label={t("roll.note")} />
            <SubmitButton intent="editHousehold" className="button button--primary">
              {t("roll.save")}
            </SubmitButton>
          </Form>
        </Fold>
        <Fold summary={t("roll.endHousehold")} open={mine("endHousehold")}>
          <Form method="post" {...getFormProps(end)} className="form">
            <Hidden intent="endHousehold" formKey={key} />
            <p className="muted">{t("roll.endHouseholdHint")}</p>
            <FormMessage id={end.errorId} errors={end.errors} />
            <TextField field={n.date} label={t("roll.moveOutDate")} type="date" />
            <TextField field={n.reason} label={t("roll.moveOutReason")} />
            <SubmitButton intent="endHousehold" className="button">
              {t("roll.confirmMoveOut")}
            </SubmitButton>
          </Form>
        </Fold>
      </div>
    </>
  );
}
