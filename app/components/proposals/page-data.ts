import type { SerializeFrom } from "@remix-run/node";
import type { proposalPage } from "~/modules/proposals/queries.server";

/** The proposal page's loader data as the page receives it (dates as strings): what its parts read. */
export type ProposalPageData = SerializeFrom<typeof proposalPage>;
