import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SignInCode } from "~/components/meetings/chair-console";
import { MeetingStatus } from "~/components/meetings/facts";
import { CurrentItem, Floor, QuorumMeter, Queue } from "~/components/meetings/floor";
import { useMeetingLive } from "~/components/meetings/use-meeting-live";
import { useI18n } from "~/i18n/react";
import { serverNow } from "~/lib/clock.server";
import { pageTitle } from "~/lib/meta";
import { idParam, toHttpError } from "~/lib/route.server";
import { getActor } from "~/modules/identity/actor.server";
import { screenPage } from "~/modules/meetings/queries.server";
import "~/i18n/scoped/meetings";

export const meta: MetaFunction<typeof loader> = (args) => pageTitle(args, { text: args.data?.meeting.title ?? "" }, "meeting.screen.title");

/**
 * The projector view (投屏): large type, no controls, over the whole window.
 * The sign-in code shows only on a screen opened by someone who runs the
 * meeting (the chair's laptop on the projector), not to anyone with the link.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  return screenPage(await getActor(context), idParam(params.id), serverNow()).catch(toHttpError);
}

export default function MeetingScreen() {
  const { t } = useI18n();
  const data = useLoaderData<typeof loader>();
  const { live, offset } = useMeetingLive(data.live);
  const open = live.status === "open";
  return (
    <div className="mtg-screen" data-testid="screen">
      <header className="mtg-screen__head">
        <p className="mtg-screen__hall">{data.hall.name}</p>
        <h1>
          {data.meeting.title} <MeetingStatus status={live.status} />
        </h1>
      </header>
      <div className="mtg-screen__grid">
        <div className="mtg-screen__main">
          {open ? <CurrentItem live={live} /> : null}
          {open ? <Floor live={live} offset={offset} large /> : null}
        </div>
        <div className="mtg-screen__side">
          {live.status === "open" || live.status === "scheduled" ? <QuorumMeter present={live.present} quorum={live.quorum} /> : null}
          {data.code ? <SignInCode code={data.code} /> : live.status === "scheduled" ? <p>{t("meeting.code.onScreen")}</p> : null}
          {open ? <Queue live={live} /> : null}
          {open && live.motions.some((m) => m.status === "voting") ? <p className="mtg-screen__vote">{t("meeting.motion.voting")}</p> : null}
        </div>
      </div>
    </div>
  );
}
