import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import type { RoomEvent } from "#realtime/events";
import { FormMessage } from "~/components/form-parts";
import { ActivityRoles } from "~/components/pledges/activity-roles";
import { MyPlace } from "~/components/pledges/my-place";
import { OrganiserDesk } from "~/components/pledges/organiser-desk";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/pledges";
import { useApiSubmit } from "~/lib/api-submit";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { parseId } from "~/lib/input";
import { pageTitle } from "~/lib/meta";
import { idParam, performForm, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { performActivityIntent } from "~/modules/pledges/intents.server";
import { activityPage } from "~/modules/pledges/queries.server";
import { activityIntentSchema } from "~/modules/pledges/schemas";
import { useLiveState } from "~/realtime/hooks";
import { withRooms } from "#realtime/room-log.server";
import { serverNow } from "~/lib/clock.server";

export const meta: MetaFunction<typeof loader> = (args) => pageTitle(args, { text: args.data?.activity.title ?? "" }, "activity.list.title");

export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  return withRooms([`activity:${id}`], async () => activityPage(await getActor(context), id, serverNow())).catch(toHttpError);
}

/** Every intent of the page (sign up, cancel, venue code, attendance, verification, correction): parse → command. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const activityId = idParam(params.id);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const signupId = parseId(formData.get("signupId"));
  const submission = parseWithZod(formData, { schema: activityIntentSchema });
  if (submission.status !== "success") return { intent, signupId, reply: submission.reply() };
  const actor = await getActor(context);
  const reply = await performForm(
    submission,
    () => performActivityIntent(actor, activityId, submission.value),
    () => submission.reply({ resetForm: true }),
  );
  return { intent, signupId, reply: reply as SubmissionResult<string[]> };
}

/** A place just taken through the API, before the page's data says more about it. */
/** An event of the activity's room applied to its roles' slot counts. */
function applyActivityEvent<R extends { id: number; signedUp: number; waitlisted: number }>(roles: R[], event: RoomEvent): R[] {
  if (event.event !== "activity:changed") return roles;
  const counts = event.args[0].roles;
  return roles.map((r) => {
    const c = counts.find((l) => l.roleId === r.id);
    return c ? { ...r, signedUp: c.signedUp, waitlisted: c.waitlisted } : r;
  });
}

const blankPlace = { checkedInAt: null, checkedOutAt: null, attendance: "pending", minutes: null, correctionRequest: null, correctionAnswer: null } as const;

export default function ActivityPage() {
  const { t, date } = useI18n();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { activity } = data;
  // What the JSON write API answered (ADR 0013): the place taken, until the page's data is loaded again.
  const api = useApiSubmit<{ signup?: { roleId: number; status: "signed_up" | "waitlisted" }; promoted?: boolean }>();
  const [placed, setPlaced] = useState<{ roleId: number; status: "signed_up" | "waitlisted" | "cancelled" } | null>(null);
  useEffect(() => setPlaced(null), [data]);
  // Slot counts heard live, applied in order onto the loaded ones (ADR 0046).
  const room = `activity:${activity.id}`;
  const roles = useLiveState(room, data.live[room] ?? 0, data.roles, applyActivityEvent, () => {
    // The organiser's roster follows every change: a sign-up or cancellation as well as attendance.
    if (data.organiser) revalidator.revalidate();
  });
  const replies = result ? { [result.intent]: result.reply } : {};
  const apiError = api.reply && !api.reply.ok ? [api.reply.error] : [];
  const pageErrors = result && ["signUp", "cancel", "checkIn", "checkOut", "noShow"].includes(result.intent) ? Object.values(result.reply.error ?? {}).flat() : apiError;
  // Scripts send sign-up and cancel to the JSON write API; without them the forms post to this route's action.
  async function send(event: FormEvent<HTMLFormElement>, what: "signup" | "cancel") {
    event.preventDefault();
    const reply = await api.submit(`/api/activities/${activity.id}/${what}`, event.currentTarget);
    if (!reply.ok) return;
    if (reply.signup) setPlaced(reply.signup);
    else if (what === "cancel" && data.mine) setPlaced({ roleId: data.mine.roleId, status: "cancelled" });
    revalidator.revalidate();
  }
  const mine = placed && (data.mine?.status !== placed.status || data.mine.roleId !== placed.roleId) ? { ...blankPlace, ...placed } : data.mine;
  const active = mine && mine.status !== "cancelled";
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to="/activities">{t("activity.list.title")}</Link>
      </p>
      <h1>{activity.title}</h1>
      <FormMessage errors={pageErrors.filter((e): e is string => typeof e === "string")} />
      <div className="card">
        <dl className="facts">
          <dt>{t("activity.when")}</dt>
          <dd>
            {date(activity.startsAt)} – {date(activity.endsAt, "time")}
          </dd>
          <dt>{t("activity.where")}</dt>
          <dd>
            {activity.unitName} · {activity.place}
          </dd>
          <dt>{t("activity.organiser")}</dt>
          <dd>{activity.organiser}</dd>
          <dt>{t("pledge.filter.category")}</dt>
          <dd>{t(`pledge.category.${activity.category}`)}</dd>
          <dt>{t("activity.who")}</dt>
          <dd>{t(`activity.eligibility.${activity.eligibility}`)}</dd>
        </dl>
        {activity.description ? <p className="pre-line">{activity.description}</p> : null}
        <p className="actions">
          <a href={`/activities/${activity.id}/calendar.ics`} className="button button--small" download>
            {t("activity.addToCalendar")}
          </a>
          <a href={`/units/${activity.unitId}/activities.ics`} className="button button--small button--quiet">
            {t("activity.calendarFeed", { unit: activity.unitName })}
          </a>
        </p>
      </div>
      {mine ? <MyPlace mine={mine} roles={roles} signupOpen={data.signupOpen} replies={replies} onCancel={(e) => void send(e, "cancel")} busy={api.busy} /> : null}
      <section className="section">
        <h2>{t("activity.roles")}</h2>
        <ActivityRoles roles={roles} canSignUp={data.canSignUp && !active} busy={navigation.state === "submitting" || api.busy} onSignUp={(e) => void send(e, "signup")} />
        {!data.signupOpen ? <p className="muted">{t("activity.signupClosed")}</p> : null}
        {data.signupOpen && !data.signedIn ? (
          <Link to={`/login?redirectTo=/activities/${activity.id}`} className="button button--primary">
            {t("activity.loginToSignUp")}
          </Link>
        ) : null}
        {data.signupOpen && data.signedIn && !data.canSignUp && !active ? <p className="muted">{t("activity.notEligible")}</p> : null}
      </section>
      {data.organiser ? (
        <OrganiserDesk
          code={data.organiser.code}
          codeChangesAt={data.organiser.codeChangesAt}
          roster={data.organiser.roster}
          roles={roles}
          started={data.started}
          verifyReply={result?.intent === "verify" ? { signupId: result.signupId, reply: result.reply } : undefined}
        />
      ) : null}
    </div>
  );
}
