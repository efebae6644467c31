import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "~/lib/route.server";

/** The old receipts list (ADR 0009) is now the vote's public bulletin board (ADR 0016). */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/votes/${idParam(params.id)}/board`, 301);
}
