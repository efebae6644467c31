import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { disconnectSessions } from "#realtime/publish.server";
import { logout } from "~/modules/identity/commands.server";
import { blankSessionCookie } from "~/modules/identity/sessions.server";

export async function action({ context }: ActionFunctionArgs) {
  if (context.sessionId) {
    await logout(context.sessionId);
    disconnectSessions([context.sessionId]);
  }
  return redirect("/", { headers: { "Set-Cookie": blankSessionCookie(context.secure) } });
}

/** Logging out changes state, so it is a POST; a GET just goes home. */
export function loader() {
  return redirect("/");
}
