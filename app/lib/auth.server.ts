import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import type { SessionUser } from "~/modules/identity/sessions.server";

/**
 * Route guards. `require…` throws a Response the error boundary (or the
 * browser) understands; `get…` may return null.
 */
export function getUser(context: AppLoadContext): SessionUser | null {
  return context.user;
}

/**
 * The signed-in person, or: a redirect to the login page for page requests,
 * and a 401 for anything else (a fetcher or an API call).
 */
export function requireUser(context: AppLoadContext, request: Request): SessionUser & { sessionId: string } {
  if (context.user && context.sessionId) return { ...context.user, sessionId: context.sessionId };
  const url = new URL(request.url);
  if (request.method === "GET" && !url.pathname.endsWith(".data")) {
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  throw new Response("Unauthorized", { status: 401 });
}

/** Pages only for people who are not signed in (login, register). */
export function requireAnonymous(context: AppLoadContext): void {
  if (context.user) throw redirect("/");
}

export function forbidden(): never {
  throw new Response("Forbidden", { status: 403 });
}

export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}
