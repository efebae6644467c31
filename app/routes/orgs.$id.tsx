import { getFormProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { FieldErrors, FormMessage, SubmitButton, TextField, useSchemaForm } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { getUser, requireUser } from "~/lib/auth.server";
import { CommandError } from "~/lib/command.server";
import { idParam, performForm, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { changeMember, decideOrganization, inviteMember } from "~/modules/identity/organizations.server";
import { can } from "~/modules/access";
import { getOrganizationPage } from "~/modules/identity/queries.server";
import { decisionSchema, inviteSchema, memberChangeSchema } from "~/modules/identity/structure-schemas";
import { pageTitle } from "~/lib/meta";
import { ContractOrgRecord } from "~/components/projects/contract-org-record";
import { organizationRecord } from "~/modules/projects/contract.server";
import { readForm } from "~/lib/input.server";
import "~/i18n/scoped/projects";
import "~/i18n/scoped/structure";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.org.name }) : pageTitle(args));

export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  const page = await getOrganizationPage(db(), id);
  if (!page) throw new Response("Not Found", { status: 404 });
  const actor = await getActor(context);
  const canManage = can(actor, "organization:manage", { organizationId: id });
  const canDecide = page.org.status === "pending" && can(actor, "organization:decide", { organizationId: id, kind: page.org.kind, unitPath: page.unitPath });
  const isMember = can(actor, "organization:actFor", { organizationId: id });
  return {
    org: { id: page.org.id, name: page.org.name, kind: page.org.kind, status: page.org.status, description: page.org.description, registrationNumber: page.org.registrationNumber, serviceScope: page.org.serviceScope, reason: page.org.reason },
    unit: { id: page.unitId, name: page.unitName },
    // Members are listed to the organisation and its staff; the public sees the count.
    members: canManage || isMember ? page.members : [],
    memberCount: page.members.length,
    canManage,
    canDecide,
    me: getUser(context)?.id ?? null,
    // Service projects: bids, awards, ratings and disqualifications (public).
    record: await organizationRecord(db(), id),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const organizationId = idParam(params.id);
  const actor = await getActor(context);
  const formData = await readForm(request);
  const intent = String(formData.get("intent"));
  if (intent === "invite") {
    const submission = parseWithZod(formData, { schema: inviteSchema });
    if (submission.status !== "success") return { intent, result: submission.reply() };
    return { intent, result: await performForm(submission, () => inviteMember(actor, { organizationId, ...submission.value }), () => submission.reply({ resetForm: true })) };
  }
  try {
    if (intent === "member") {
      const parsed = memberChangeSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) throw new Response("Bad Request", { status: 400 });
      await changeMember(actor, { organizationId, ...parsed.data });
    } else if (intent === "decide") {
      const parsed = decisionSchema.safeParse({ ...Object.fromEntries(formData), id: organizationId });
      if (!parsed.success) throw new Response("Bad Request", { status: 400 });
      await decideOrganization(actor, { organizationId, decision: parsed.data.decision === "approve" ? "confirm" : "reject", reason: parsed.data.reason });
    } else throw new Response("Bad Request", { status: 400 });
    return { intent, result: undefined, error: undefined };
  } catch (error) {
    if (error instanceof CommandError) return { intent, result: undefined, error: error.messageKey };
    if (error instanceof Response) throw error;
    return toHttpError(error);
  }
}

export default function OrganizationPage() {
  const { t, punct } = useI18n();
  const { org, unit, members, memberCount, canManage, canDecide, me, record } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(inviteSchema, {
    id: "invite",
    lastResult: actionData?.intent === "invite" ? actionData.result : undefined,
  });
  const error = actionData && "error" in actionData ? actionData.error : undefined;
  return (
    <div className="page narrow">
      <header className="card">
        <span className="pill pill--info">{t(`organization.kind.${org.kind}`)}</span>{" "}
        {org.status === "confirmed" ? (
          <span className="pill pill--ok" data-testid="org-verified">
            ✓ {org.kind === "social_org" ? t("organization.verified") : t("organization.status.confirmed")}
          </span>
        ) : (
          <span className={`pill pill--${org.status === "pending" ? "warn" : "bad"}`}>{t(`organization.status.${org.status}`)}</span>
        )}
        <h1>{org.name}</h1>
        <p>
          {t("organization.reportsTo")}{punct.colon}<Link to={`/units/${unit.id}`}>{unit.name}</Link>
        </p>
        {org.registrationNumber ? <p className="muted">{t("organization.registrationNumber")}{punct.colon}{org.registrationNumber}</p> : null}
        {org.serviceScope ? <p>{t("organization.serviceScope")}{punct.colon}{org.serviceScope}</p> : null}
        {org.description ? <p>{org.description}</p> : null}
        {org.status === "rejected" && org.reason ? <p className="muted">{t("residency.reason")}{punct.colon}{org.reason}</p> : null}
        <p className="muted">{t("organization.memberCount", { count: memberCount })}</p>
        {org.kind === "unit_party_org" && org.status === "confirmed" ? (
          <p>
            <Link to={`/orgs/${org.id}/service`} className="button">
              {t("service.dash.link")}
            </Link>
          </p>
        ) : null}
      </header>

      <ContractOrgRecord record={record} />

      {error ? <FormMessage errors={[error]} /> : null}

      {canDecide ? (
        <section className="card" aria-labelledby="decide-title">
          <h2 id="decide-title">{org.kind === "social_org" ? t("desk.verifyOrg") : t("desk.confirm")}</h2>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="decide" />
            <div className="field">
              <label htmlFor="reason" className="field__label">
                {t("desk.reasonIfRejecting")}
              </label>
              <textarea id="reason" name="reason" className="field__input" maxLength={200} />
            </div>
            <div className="actions">
              <button type="submit" name="decision" value="approve" className="button button--primary">
                {org.kind === "social_org" ? t("desk.verifyOrg") : t("desk.confirm")}
              </button>
              <button type="submit" name="decision" value="reject" className="button">
                {t("desk.reject")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {members.length > 0 ? (
        <section className="card" aria-labelledby="members-title">
          <h2 id="members-title">{t("organization.members")}</h2>
          <ul className="list">
            {members.map((m) => (
              <li key={m.userId} className="list-item list-item--row">
                <span className="list-item__title">{m.displayName}</span>
                <span className="pill pill--info">{t(`organization.role.${m.role}`)}</span>
                {canManage || m.userId === me ? (
                  <Form method="post" className="actions">
                    <input type="hidden" name="intent" value="member" />
                    <input type="hidden" name="userId" value={m.userId} />
                    {canManage ? (
                      <button type="submit" name="change" value={m.role === "admin" ? "member" : "admin"} className="button button--small">
                        {m.role === "admin" ? t("organization.makeMember") : t("organization.makeAdmin")}
                      </button>
                    ) : null}
                    <button type="submit" name="change" value="remove" className="button button--small button--quiet">
                      {m.userId === me ? t("organization.leave") : t("organization.remove")}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {canManage ? (
        <section className="card" aria-labelledby="invite-title">
          <h2 id="invite-title">{t("organization.invite")}</h2>
          <Form method="post" {...getFormProps(form)} className="form">
            <input type="hidden" name="intent" value="invite" />
            <FormMessage id={form.errorId} errors={form.errors} />
            <TextField field={fields.account} label={t("organization.inviteAccount")} />
            <div className="field">
              <label htmlFor={fields.role.id} className="field__label">
                {t("organization.roleLabel")}
              </label>
              <select {...getSelectProps(fields.role)} className="field__input" defaultValue="member">
                <option value="member">{t("organization.role.member")}</option>
                <option value="admin">{t("organization.role.admin")}</option>
              </select>
              <FieldErrors id={fields.role.errorId} errors={fields.role.errors} />
            </div>
            <SubmitButton>{t("organization.sendInvite")}</SubmitButton>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
