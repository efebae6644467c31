import { data as withStatus, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { useEffect, useState } from "react";
import { db } from "#db/client.server";
import { departments, units } from "#db/schema";
import type { Satisfaction, WhistleKind } from "#db/schema/whistles";
import { EvidencePhotos } from "~/components/evidence-photos";
import { FieldErrors, FormMessage, SubmitButton } from "~/components/form";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { CommandError } from "~/lib/command.server";
import { idParam, toHttpError } from "~/lib/route.server";
import { photosOf } from "~/lib/uploads.server";
import { readPhotoForm } from "~/lib/images.server";
import { servesSubdistrict } from "~/modules/workbench/rules";
import { pathIds } from "~/modules/identity/actor";
import { getActor } from "~/modules/identity/actor.server";
import { can } from "~/modules/identity/permissions";
import { blowWhistle, confirmAssignment, decideExtension, decideUnreasonableClosure, requestUnreasonableClosure, raisersOf, rateWhistle, redispatch, reopenWhistle, requestExtension, suggestDepartments, supervise, workAssignment, type WorkAction } from "~/modules/whistles/commands.server";
import { getWhistlePage } from "~/modules/whistles/queries.server";
import { emergencyElapsed, nextStep, overdueBy } from "~/modules/whistles/rules";
import { evidenceProblem, workSchema } from "~/modules/whistles/schemas";
import { WorkForms } from "~/components/whistles/work-forms";
import { RatingsSummary } from "~/components/whistles/ratings-summary";
import { useRoom, useSocketEvent } from "~/realtime/hooks";
import { pageTitle } from "~/lib/meta";
import { badRequest, checkForm, formId, readForm } from "~/lib/input.server";
import { parseId } from "~/lib/input";
import { serverNow, timeZone } from "~/lib/clock.server";
import { StaffBadge } from "~/components/staff-badge";
import { localToInstant } from "~/lib/time";

export const meta: MetaFunction<typeof loader> = (args) => (args.data ? pageTitle(args, { text: args.data.whistle.title }, "home.loop.whistle") : pageTitle(args));

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = await getActor(context);
  const page = await getWhistlePage(db(), idParam(params.id));
  if (!page) throw new Response("Not Found", { status: 404 });
  const w = page.w;
  const [sub] = await db().select({ path: units.path }).from(units).where(eq(units.id, w.subdistrictId));
  // A community's whistle to stations (社区吹哨) is the community's to follow up as well.
  const [community] = w.communityId ? await db().select({ path: units.path, name: units.name }).from(units).where(eq(units.id, w.communityId)) : [];
  const whistler = { subdistrictPath: sub!.path, communityPath: community?.path ?? null };
  const canBlow = can(actor, "whistle:blow", whistler);
  const raisers = await raisersOf(db(), w);
  const myRating = page.ratings.find((r) => r.userId === actor.userId && r.round === w.round) ?? null;
  const allDepartments = canBlow ? await db().select({ id: departments.id, name: departments.name, level: departments.level, servesUnitId: departments.servesUnitId }).from(departments).where(eq(departments.districtId, pathIds(sub!.path)[1]!)) : [];
  const districtDepartments = w.communityId ? allDepartments.filter((d) => d.level === "station" && d.servesUnitId === w.subdistrictId) : allDepartments.filter((d) => servesSubdistrict(d, w.subdistrictId));
  return {
    whistle: { id: w.id, title: w.title, description: w.description, address: w.address, kind: w.kind, state: w.state, instructions: w.instructions, round: w.round, ratingClosesAt: w.ratingClosesAt, proposalId: w.proposalId, createdAt: w.createdAt, dispatchedAt: w.dispatchedAt, elapsedMs: emergencyElapsed(w, serverNow()) },
    subdistrict: page.subdistrictName,
    community: community?.name ?? null,
    category: { zh: page.categoryZh, en: page.categoryEn },
    assignments: page.assignments.map(({ a, departmentName, parentId }) => ({
      id: a.id,
      departmentName,
      role: a.role,
      round: a.round,
      state: a.state,
      dueSignAt: a.dueSignAt,
      dueOnSiteAt: a.dueOnSiteAt,
      dueResolveAt: a.dueResolveAt,
      resultText: a.resultText,
      overdueMs: overdueBy(a, serverNow()),
      next: nextStep(a),
      mine: can(actor, "assignment:work", { departmentId: a.departmentId, parentDepartmentId: parentId }),
    })),
    photos: page.photos.map((p) => ({ id: p.id, eventId: p.eventId, url: `/uploads/${p.fileName}` })),
    // Staff act in public; residents who rate or ask for a redo stay unnamed on this public page.
    events: page.events.map(({ e, actorName, staffAccount, departmentName }) => ({ id: e.id, kind: e.kind, at: e.at, publicText: e.publicText, ...(["rated", "reopened"].includes(e.kind) ? { actorName: null, staffAccount: null } : { actorName, staffAccount }), departmentName, people: typeof e.data?.people === "number" ? e.data.people : null, noEvidenceReason: typeof e.data?.noEvidenceReason === "string" ? e.data.noEvidenceReason : null })),
    pendingClosure: page.pendingClosure ? { id: page.pendingClosure.id, reason: page.pendingClosure.reason, at: page.pendingClosure.createdAt } : null,
    closure: w.closure,
    pendingExtensions: page.pendingExtensions.map((r) => ({ id: r.id, assignmentId: r.assignmentId, newDueAt: r.newDueAt, reason: r.reason })),
    // In aggregate only: how many said what, never who.
    ratings: { count: page.ratings.filter((r) => r.round === w.round).length, mine: myRating, tally: ratingTally(page.ratings.filter((r) => r.round === w.round)) },
    can: {
      blow: canBlow,
      supervise: can(actor, "whistle:supervise", { subdistrictPath: sub!.path }),
      confirm: can(actor, "assignment:confirm", whistler),
      requestUnreasonable:
        w.state !== "closed" &&
        !page.pendingClosure &&
        can(actor, "whistle:requestUnreasonable", { subdistrictPath: sub!.path, departments: page.assignments.map(({ a, parentId }) => ({ departmentId: a.departmentId, parentDepartmentId: parentId })) }),
      decideUnreasonable: page.pendingClosure !== null && can(actor, "whistle:decideUnreasonable", { subdistrictPath: sub!.path, requestedBy: page.pendingClosure.requestedBy }),
      rate: can(actor, "whistle:rate", { raisers }),
    },
    suggestion: canBlow && w.state === "requested" ? onlyListed(await suggestDepartments(db(), w.subdistrictId, w.categoryCode), districtDepartments) : null,
    departments: districtDepartments,
    now: serverNow().toISOString(),
  };
}

export type Reply = { ok: boolean; intent: string; error?: string; field?: string; assignmentId?: number };

function ratingTally(rows: { solved: boolean; satisfaction: Satisfaction }[]) {
  const n = (s: Satisfaction) => rows.filter((r) => r.satisfaction === s).length;
  return { satisfied: n("satisfied"), basically: n("basically_satisfied"), dissatisfied: n("dissatisfied"), solved: rows.filter((r) => r.solved).length, notSolved: rows.filter((r) => !r.solved).length };
}

/** Keep the suggestions the form may send (a community whistles to stations only). */
function onlyListed(s: Awaited<ReturnType<typeof suggestDepartments>>, listed: { id: number }[]) {
  const ids = new Set(listed.map((d) => d.id));
  return { ...s, lead: s.lead.filter((id) => ids.has(id)), cooperate: s.cooperate.filter((id) => ids.has(id)) };
}

function badRequestOf(): never {
  throw badRequest();
}

export async function action({ context, params, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const whistleId = idParam(params.id);
  const actor = await getActor(context);
  // The on-site and resolve forms carry evidence photos (multipart); the others are plain forms.
  const multipart = request.headers.get("content-type")?.startsWith("multipart/form-data") ?? false;
  const read = multipart ? await readPhotoForm(request) : { formData: await readForm(request), tooLarge: false };
  const f = checkForm(read.formData);
  const intent = String(f.get("intent"));
  const assignmentId = parseId(f.get("assignmentId")) ?? undefined;
  const need = (id: number | undefined) => id ?? badRequestOf();
  if (read.tooLarge) return withStatus<Reply>({ ok: false, intent, error: "photo.error.tooLarge", field: "photos", assignmentId }, { status: 413 });
  const text = (k: string) => String(f.get(k) ?? "");
  try {
    if (intent === "blow") {
      const due = text("keyTaskDueAt") ? localToInstant(text("keyTaskDueAt"), timeZone()) : null;
      await blowWhistle(actor, { whistleId, kind: text("kind") as WhistleKind, leadIds: f.getAll("lead").map((v) => parseId(v) ?? badRequestOf()), cooperateIds: f.getAll("cooperate").map((v) => parseId(v) ?? badRequestOf()), instructions: text("instructions"), keyTaskDueAt: due ?? undefined });
    } else if (["sign", "on_site", "progress", "resolve", "return"].includes(intent)) {
      const parsed = workSchema.safeParse({ intent, assignmentId, people: text("people").trim() === "" ? undefined : Number(text("people")), note: text("note") || undefined, resultText: text("resultText"), noEvidenceReason: text("noEvidenceReason") || undefined, reason: text("reason") });
      if (!parsed.success) return { ok: false, intent, error: parsed.error.issues[0]!.message, field: String(parsed.error.issues[0]!.path[0] ?? ""), assignmentId };
      const checked = await photosOf(f, "photos", { documents: true });
      if (!checked.ok) return { ok: false, intent, error: checked.error, field: "photos", assignmentId };
      const missing = evidenceProblem(parsed.data, checked.photos.length);
      if (missing) return { ok: false, intent, error: missing.message, field: missing.field, assignmentId };
      // Written by the command once it has authorised and checked everything: a refusal leaves no file (ADR 0017).
      const v = parsed.data;
      await workAssignment(actor, { assignmentId: v.assignmentId, action: v.intent as WorkAction, note: "note" in v ? v.note : undefined, people: "people" in v ? v.people : undefined, resultText: "resultText" in v ? v.resultText : undefined, noEvidenceReason: "noEvidenceReason" in v ? v.noEvidenceReason : undefined, reason: "reason" in v ? v.reason : undefined, photos: checked.photos });
    } else if (intent === "request-unreasonable") {
      await requestUnreasonableClosure(actor, { whistleId, reason: text("reason") });
    } else if (intent === "approve-unreasonable" || intent === "refuse-unreasonable") {
      await decideUnreasonableClosure(actor, { requestId: formId(f, "requestId"), approve: intent === "approve-unreasonable", note: text("note") });
    } else if (intent === "confirm") {
      await confirmAssignment(actor, { assignmentId: need(assignmentId) });
    } else if (intent === "redispatch") {
      await redispatch(actor, { assignmentId: need(assignmentId), departmentId: formId(f, "departmentId") });
    } else if (intent === "extension") {
      const due = localToInstant(text("newDueAt"), timeZone());
      if (!due) return { ok: false, intent, error: "vote.error.time", field: "newDueAt", assignmentId };
      await requestExtension(actor, { assignmentId: need(assignmentId), newDueAt: due, reason: text("reason") });
    } else if (intent === "approve-extension" || intent === "deny-extension") {
      await decideExtension(actor, { requestId: formId(f, "requestId"), approve: intent === "approve-extension" });
    } else if (intent === "supervise") {
      await supervise(actor, { whistleId, message: text("message") });
    } else if (intent === "rate") {
      await rateWhistle(actor, { whistleId, solved: text("solved") === "yes", satisfaction: text("satisfaction") as Satisfaction, comment: text("comment") });
    } else if (intent === "reopen") {
      await reopenWhistle(actor, whistleId);
    } else throw new Response("Bad Request", { status: 400 });
    return { ok: true, intent, assignmentId };
  } catch (error) {
    if (error instanceof CommandError) return { ok: false, intent, error: error.params ? `${error.messageKey}|${JSON.stringify(error.params)}` : error.messageKey, field: error.field, assignmentId };
    if (error instanceof Response) throw error;
    return toHttpError(error);
  }
}

export default function WhistlePage() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t, date, locale } = useI18n();
  const revalidator = useRevalidator();
  const { whistle } = data;
  useRoom(`whistle:${whistle.id}`);
  useSocketEvent("whistle:changed", (e) => e.whistleId === whistle.id && revalidator.revalidate());
  const error = reply && !reply.ok ? reply : undefined;
  return (
    <div className="page narrow whistle-page">
      {whistle.proposalId ? (
        <p className="muted">
          <Link to={`/proposals/${whistle.proposalId}`}>← {t("whistle.backToProposal")}</Link>
        </p>
      ) : null}
      <header className="card">
        <span className={`pill pill--${whistle.state === "resolved" || whistle.state === "closed" ? "ok" : whistle.state === "requested" ? "warn" : "accent"}`} data-testid="whistle-state">
          {t(`whistle.state.${whistle.state}`)}
        </span>{" "}
        <span className="pill pill--info">{t(`whistle.kind.${whistle.kind}`)}</span> <span className="pill pill--info">{locale === "en" ? data.category.en : data.category.zh}</span>
        <h1>{whistle.title}</h1>
        <p className="muted">
          {data.community ? `${t("whistle.byCommunity", { community: data.community })} · ` : ""}
          {data.subdistrict}
          {whistle.address ? ` · ${whistle.address}` : ""} · {date(whistle.createdAt)}
        </p>
        <p className="pre-line">{whistle.description}</p>
        {whistle.instructions ? <p className="notice notice--info">{t("whistle.instructions")}：{whistle.instructions}</p> : null}
        {whistle.elapsedMs !== null && whistle.dispatchedAt ? <Elapsed since={whistle.dispatchedAt} initialMs={whistle.elapsedMs} /> : null}
      </header>

      {error && !error.assignmentId ? <FormMessage errors={[error.error!]} /> : null}

      {data.suggestion && whistle.state === "requested" ? <BlowForm data={data} /> : null}

      {data.assignments.length ? (
        <section aria-labelledby="assignments-title">
          <h2 id="assignments-title">{t("whistle.assignments")}</h2>
          <ul className="list">
            {data.assignments.map((a) => (
              <li key={a.id} className={`list-item assignment${a.overdueMs ? " assignment--overdue" : ""}`} data-testid={`assignment-${a.id}`}>
                <div className="assignment__head">
                  <strong>{a.departmentName}</strong>
                  <span className="pill pill--info">{t(`whistle.role.${a.role}`)}</span>
                  <span className={`pill pill--${a.state === "resolved" || a.state === "confirmed" ? "ok" : a.state === "returned" ? "bad" : "warn"}`} data-testid="assignment-state">
                    {t(`assignment.state.${a.state}`)}
                  </span>
                  {a.round > 0 ? <span className="pill pill--info">{t("whistle.redo")}</span> : null}
                </div>
                {a.next ? (
                  <p className={a.overdueMs ? "overdue" : "muted"}>
                    {a.overdueMs ? "⚠ " : ""}
                    {t(`whistle.step.${a.next.step}`)}：{a.next.due ? (a.overdueMs ? t("whistle.overdueBy", { time: duration(a.overdueMs, t) }) : t("whistle.dueIn", { time: duration(new Date(a.next.due).getTime() - new Date(data.now).getTime(), t), at: date(a.next.due) })) : t("whistle.untilConfirmed")}
                  </p>
                ) : null}
                {a.resultText ? (
                  <p>
                    {t("whistle.result")}：{a.resultText}
                  </p>
                ) : null}
                {a.mine ? <WorkForms a={a} reply={reply} /> : null}
                {a.state === "resolved" && whistle.kind === "emergency" ? <p className="muted">{t("whistle.awaitingConfirmation")}</p> : null}
                {data.can.confirm && a.state === "resolved" ? (
                  <Form method="post" className="actions">
                    <input type="hidden" name="assignmentId" value={a.id} />
                    {error?.assignmentId === a.id && error.intent === "confirm" ? <FieldErrors errors={[error.error!]} /> : null}
                    <SubmitButton intent="confirm" className="button button--primary">
                      {t("whistle.confirm")}
                    </SubmitButton>
                  </Form>
                ) : null}
                {data.can.blow && a.state === "returned" ? (
                  <Form method="post" className="inline-form-row">
                    <input type="hidden" name="assignmentId" value={a.id} />
                    <label className="field">
                      <span className="field__label">{t("whistle.redispatchTo")}</span>
                      <select name="departmentId" className="field__input" required>
                        {data.departments.map((d) => (
                          <option key={d.id} value={d.id}>
                            {d.name}
                          </option>
                        ))}
                      </select>
                    </label>
                    <SubmitButton intent="redispatch" className="button">
                      {t("whistle.redispatch")}
                    </SubmitButton>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {data.can.blow && data.pendingExtensions.length ? (
        <section className="card">
          <h2>{t("whistle.extensions")}</h2>
          {data.pendingExtensions.map((r) => (
            <Form method="post" key={r.id} className="actions">
              <input type="hidden" name="requestId" value={r.id} />
              <p>
                {t("whistle.extensionAsk", { at: date(r.newDueAt) })}：{r.reason}
              </p>
              <SubmitButton intent="approve-extension" className="button button--primary button--small">
                {t("hall.approve")}
              </SubmitButton>
              <SubmitButton intent="deny-extension" className="button button--small">
                {t("desk.reject")}
              </SubmitButton>
            </Form>
          ))}
        </section>
      ) : null}

      {data.can.supervise && ["dispatched", "reopened"].includes(whistle.state) ? (
        <details className="card">
          <summary className="button">{t("whistle.supervise")}</summary>
          <Form method="post" className="form">
            <label className="field">
              <span className="field__label">{t("whistle.superviseMessage")}</span>
              <textarea name="message" className="field__input" required />
            </label>
            <SubmitButton intent="supervise">{t("whistle.sendSupervision")}</SubmitButton>
          </Form>
        </details>
      ) : null}

      {data.closure === "unreasonable" ? <p className="notice notice--info">{t("whistle.closedUnreasonable")}</p> : null}

      {data.pendingClosure ? (
        <section className="card" aria-labelledby="closure-title" data-testid="pending-closure">
          <h2 id="closure-title">{t("whistle.unreasonableTitle")}</h2>
          <p>
            {t("whistle.unreasonableAsked", { at: date(data.pendingClosure.at) })}：{data.pendingClosure.reason}
          </p>
          {data.can.decideUnreasonable ? (
            <Form method="post" className="form">
              <input type="hidden" name="requestId" value={data.pendingClosure.id} />
              <div className="field" data-invalid={error?.field === "note" ? "" : undefined}>
                <label htmlFor="closure-note" className="field__label">
                  {t("whistle.unreasonableNote")}
                </label>
                <textarea id="closure-note" name="note" className="field__input" />
                {error?.field === "note" ? <FieldErrors errors={[error.error!]} /> : null}
              </div>
              <div className="actions">
                <SubmitButton intent="approve-unreasonable" className="button button--primary">
                  {t("whistle.unreasonableApprove")}
                </SubmitButton>
                <SubmitButton intent="refuse-unreasonable" className="button">
                  {t("whistle.unreasonableRefuse")}
                </SubmitButton>
              </div>
            </Form>
          ) : (
            <p className="muted">{t("whistle.unreasonableWaiting")}</p>
          )}
        </section>
      ) : null}

      {data.can.requestUnreasonable ? (
        <details className="card" open={error?.intent === "request-unreasonable" || undefined}>
          <summary className="button button--quiet">{t("whistle.unreasonableRequest")}</summary>
          <Form method="post" className="form">
            <p className="field__hint">{t("whistle.unreasonableHint")}</p>
            <div className="field" data-invalid={error?.intent === "request-unreasonable" && error.field === "reason" ? "" : undefined}>
              <label htmlFor="unreasonable-reason" className="field__label">
                {t("whistle.unreasonableReason")}
              </label>
              <textarea id="unreasonable-reason" name="reason" className="field__input" required />
              {error?.intent === "request-unreasonable" && error.field === "reason" ? <FieldErrors errors={[error.error!]} /> : null}
            </div>
            <SubmitButton intent="request-unreasonable" className="button">
              {t("whistle.unreasonableSend")}
            </SubmitButton>
          </Form>
        </details>
      ) : null}

      {data.can.rate && whistle.state === "resolved" ? <RateForm data={data} reply={reply} /> : null}

      {["resolved", "closed"].includes(whistle.state) || data.ratings.count > 0 ? <RatingsSummary count={data.ratings.count} tally={data.ratings.tally} /> : null}

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("whistle.timeline")}</h2>
        <ol className="timeline" data-testid="timeline">
          {data.events.map((e) => (
            <li key={e.id}>
              <time dateTime={String(e.at)}>{date(e.at)}</time>
              <span>
                {t(`whistle.event.${e.kind as "dispatched"}`)}
                {e.departmentName ? ` · ${e.departmentName}` : ""}
                {e.actorName ? ` · ${e.actorName}` : ""}
                {e.actorName ? <> <StaffBadge account={e.staffAccount} /></> : null}
                {e.publicText ? `：${e.publicText}` : ""}
                {e.people !== null ? ` · ${t("whistle.peopleOnSite", { n: e.people })}` : ""}
                {e.noEvidenceReason ? ` · ${t("whistle.noEvidence")}：${e.noEvidenceReason}` : ""}
              </span>
              <EvidencePhotos photos={data.photos.filter((p) => p.eventId === e.id)} />
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

/** Time since an open emergency was dispatched, ticking each half minute (事不完、人不撤). */
function Elapsed({ since, initialMs }: { since: string | Date; initialMs: number }) {
  const { t } = useI18n();
  const [ms, setMs] = useState(initialMs);
  useEffect(() => {
    const tick = () => setMs(Date.now() - new Date(since).getTime());
    const id = setInterval(tick, 30_000);
    return () => clearInterval(id);
  }, [since]);
  return (
    <p className="notice notice--warn" data-testid="emergency-elapsed">
      {t("whistle.elapsed", { time: duration(ms, t) })}
    </p>
  );
}

function duration(ms: number, t: ReturnType<typeof useI18n>["t"]) {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes >= 1440) return t("time.daysHours", { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) });
  if (minutes >= 60) return t("time.hoursMinutes", { h: Math.floor(minutes / 60), m: minutes % 60 });
  return t("time.minutes", { m: minutes });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function BlowForm({ data }: { data: Data }) {
  const { t } = useI18n();
  const s = data.suggestion!;
  return (
    <section className="card" aria-labelledby="blow-title">
      <h2 id="blow-title">{t("whistle.blow")}</h2>
      <Form method="post" className="form">
        <label className="field">
          <span className="field__label">{t("whistle.kindLabel")}</span>
          <select name="kind" className="field__input" defaultValue={data.whistle.kind}>
            {(["resident_request", "enforcement", "key_task", "emergency"] as const).map((k) => (
              <option key={k} value={k}>
                {t(`whistle.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <legend className="field__label">{t("whistle.departments")}</legend>
          <p className="field__hint">{t("whistle.suggested")}</p>
          <table className="table dept-table">
            <thead>
              <tr>
                <th scope="col">{t("whistle.department")}</th>
                <th scope="col">{t("whistle.role.lead")}</th>
                <th scope="col">{t("whistle.role.cooperate")}</th>
              </tr>
            </thead>
            <tbody>
              {data.departments.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.name}
                    {s.rostered.includes(d.id) ? <span className="muted"> · 1+5+N</span> : null}
                  </td>
                  <td>
                    <input type="checkbox" name="lead" value={d.id} defaultChecked={s.lead.includes(d.id)} aria-label={`${d.name} ${t("whistle.role.lead")}`} />
                  </td>
                  <td>
                    <input type="checkbox" name="cooperate" value={d.id} defaultChecked={s.cooperate.includes(d.id)} aria-label={`${d.name} ${t("whistle.role.cooperate")}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        <label className="field">
          <span className="field__label">{t("whistle.keyTaskDue")}</span>
          <input type="datetime-local" name="keyTaskDueAt" className="field__input" />
        </label>
        <label className="field">
          <span className="field__label">{t("whistle.instructions")}</span>
          <textarea name="instructions" className="field__input" />
        </label>
        <SubmitButton intent="blow">{t("whistle.blowButton")}</SubmitButton>
      </Form>
    </section>
  );
}

function RateForm({ data, reply }: { data: Data; reply: Reply | undefined }) {
  const { t, date } = useI18n();
  const mine = data.ratings.mine;
  if (mine) {
    return (
      <section className="card" data-testid="my-rating">
        <p>
          {t("whistle.youRated", { solved: mine.solved ? t("whistle.solved") : t("whistle.notSolved"), satisfaction: t(`whistle.satisfaction.${mine.satisfaction}`) })}
        </p>
        {(!mine.solved || mine.satisfaction === "dissatisfied") && data.whistle.round === 0 ? (
          <Form method="post">
            <SubmitButton intent="reopen" className="button">
              {t("whistle.reopen")}
            </SubmitButton>
          </Form>
        ) : null}
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="rate-title">
      <h2 id="rate-title">{t("whistle.rateTitle")}</h2>
      {data.whistle.ratingClosesAt ? <p className="muted">{t("whistle.rateUntil", { at: date(data.whistle.ratingClosesAt) })}</p> : null}
      <Form method="post" className="form">
        <fieldset className="stance-picker">
          <legend className="field__label">{t("whistle.solvedQuestion")}</legend>
          <label className="stance-option stance-option--support">
            <input type="radio" name="solved" value="yes" required />
            <span>{t("whistle.solved")}</span>
          </label>
          <label className="stance-option stance-option--oppose">
            <input type="radio" name="solved" value="no" />
            <span>{t("whistle.notSolved")}</span>
          </label>
        </fieldset>
        <fieldset className="stance-picker">
          <legend className="field__label">{t("whistle.satisfactionQuestion")}</legend>
          {(["satisfied", "basically_satisfied", "dissatisfied"] as const).map((s) => (
            <label key={s} className={`stance-option stance-option--${s === "dissatisfied" ? "oppose" : "support"}`}>
              <input type="radio" name="satisfaction" value={s} required />
              <span>{t(`whistle.satisfaction.${s}`)}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span className="field__label">{t("whistle.comment")}</span>
          <textarea name="comment" className="field__input" maxLength={500} />
        </label>
        {reply && !reply.ok && reply.intent === "rate" ? <FieldErrors errors={[reply.error!]} /> : null}
        <SubmitButton intent="rate">{t("whistle.sendRating")}</SubmitButton>
      </Form>
    </section>
  );
}
