import type { ScheduledTask } from "~/lib/scheduler.server";
import { runProjectClock } from "./commands.server";

/**
 * The service projects' clock (ADR 0010): calls close at their bid deadline
 * (to evaluation, or unsuccessful with no bid), awards become final when the
 * notice period is over and every objection answered. Every few seconds, so
 * a deadline is kept to the second as bidders see it.
 */
export const projectTasks: ScheduledTask[] = [{ name: "project clock", everyMs: 5_000, run: (now) => runProjectClock(now) }];
