import type { SerializeFrom } from "@remix-run/node";
import type { whistlePage } from "~/modules/whistles/queries.server";

/** The whistle page's loader data as the page receives it (dates as strings): what its parts read. */
export type WhistlePageData = SerializeFrom<typeof whistlePage>;
