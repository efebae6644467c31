import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ClaimerSteps, ClaimForm, StaffSteps } from "~/components/wishes/wish-actions";
import { HowToClaim, PersonCard, WishFacts } from "~/components/wishes/wish-detail";
import { useI18n } from "~/i18n/react";
import "~/i18n/scoped/wishes";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/input.server";
import { performIntent } from "~/lib/intents.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { wishIntents } from "~/modules/wishes/intents.server";
import { wishPage } from "~/modules/wishes/queries.server";
import { useRoomReload } from "~/realtime/hooks";
import { withRooms } from "#realtime/room-log.server";

export const meta: MetaFunction<typeof loader> = (args) => pageTitle(args, { text: args.data?.wish.text ?? "" }, "wish.wall.title");

/** Anyone reads a wish (the person only as 王阿姨); staff over its community also read who it is for. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  return withRooms([`wish:${id}`], async () => wishPage(await getActor(context), id)).catch(toHttpError);
}

/** Claim, give back, fulfil; confirm, send back, withdraw: `modules/wishes/intents.server.ts`. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  return performIntent(await readForm(request), wishIntents, { actor: await getActor(context), wishId: idParam(params.id) });
}

export default function WishDetail() {
  const { t } = useI18n();
  const { wish, person, released, claimOptions, signedIn, can, live } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A claim, a fulfilment or a confirmation made elsewhere shows at once: the page reloads its own data (only the id travels).
  useRoomReload(live);
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to="/wishes">{t("wish.wall.title")}</Link>
      </p>
      <h1>{wish.text}</h1>
      <WishFacts wish={wish} released={released} />
      {person ? <PersonCard person={person} /> : null}
      {claimOptions.length > 0 ? <ClaimForm options={claimOptions} result={result} /> : wish.status === "posted" && !can.seePerson ? <HowToClaim signedIn={signedIn} wishId={wish.id} /> : null}
      {can.isClaimer && wish.status === "claimed" ? <p className="notice notice--info">{t("wish.contactStaff", { name: wish.postedBy })}</p> : null}
      <ClaimerSteps fulfil={can.fulfil} release={can.release} result={result} />
      <StaffSteps confirm={can.confirm} withdraw={can.withdraw} result={result} />
    </div>
  );
}
