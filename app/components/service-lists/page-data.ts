import type { SerializeFrom } from "@remix-run/node";
import type { listsPage, needPage, newNeedPage, newResourcePage } from "~/modules/service-lists/queries.server";

/** The pages' loader data as the pages receive them (dates as strings): what their parts read. */
export type ListsPageData = SerializeFrom<typeof listsPage>;
export type NeedPageData = SerializeFrom<typeof needPage>;
export type NewNeedPageData = SerializeFrom<typeof newNeedPage>;
export type NewResourcePageData = SerializeFrom<typeof newResourcePage>;
