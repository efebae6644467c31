import type { SerializeFrom } from "@remix-run/node";
import type { homePage } from "~/modules/home/queries.server";

/** The home page's loader data, as the page parts receive it. */
export type HomeData = SerializeFrom<Awaited<ReturnType<typeof homePage>>>;
export type DistrictNow = HomeData["district"];
export type ResidentHome = NonNullable<HomeData["mine"]>;
