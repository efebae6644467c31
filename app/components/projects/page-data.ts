import type { SerializeFrom } from "@remix-run/node";
import type { evaluatePage, manageProjectPage, newProjectPage, projectPage, projectsPage } from "~/modules/projects/queries.server";

/** The pages' loader data as the pages receive them (dates as strings): what their parts read. */
export type ProjectsPageData = SerializeFrom<typeof projectsPage>;
export type NewProjectPageData = SerializeFrom<typeof newProjectPage>;
export type ProjectPageData = SerializeFrom<typeof projectPage>;
export type ManageProjectPageData = SerializeFrom<typeof manageProjectPage>;
export type EvaluatePageData = SerializeFrom<typeof evaluatePage>;
