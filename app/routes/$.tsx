import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { notFound } from "~/lib/auth.server";

/**
 * Every unmatched address lands here, so the root loader still runs and the
 * 404 page speaks the reader's language.
 */
export function loader() {
  notFound();
}

export default function NotFound() {
  return <ErrorPage status={404} />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />;
}
