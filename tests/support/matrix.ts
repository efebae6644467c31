import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { CommandError, ForbiddenError, NotFoundError } from "~/lib/command.server";
import { visitor, type Actor } from "~/modules/identity/actor";
import { loadActor } from "~/modules/identity/actor.server";

/**
 * The one harness of the permission matrices (tests/integration/*-permissions.test.ts):
 * every role × every action, through the real commands and queries against
 * the real database. A row is one test, named after its action: it builds a
 * fresh world, lets every role try, and compares all the outcomes at once, so
 * a failure shows each role whose outcome differs.
 *
 * allow = done; deny = 403 (ForbiddenError); refuse = a business rule said no
 * (CommandError) after the permission check passed. A pure `can()` answer goes
 * through the same table: an attempt that calls `authorize` (403 when `can` says no).
 */
export type Outcome = "allow" | "deny" | "refuse";
export type Attempt = () => Promise<unknown>;

/** Every matrix has a visitor (not signed in); the other roles are people of its world. */
type Person<R extends string> = Exclude<R, "visitor">;

export interface Row<W, R extends string> {
  /** What is tried, in words: the test's name. */
  action: string;
  /** The `can()` action (or actions) whose check this row meets, for the coverage check of the matrix's domain. */
  rule?: string | readonly string[];
  expected: Record<R, Outcome>;
  /** Make a fresh target for one role's attempt (this runs once per role) and return the attempt. */
  attempt: (world: W, actor: Actor) => Attempt | Promise<Attempt>;
}

export interface MatrixSpec<W, R extends string> {
  roles: readonly R[];
  world: () => Promise<W>;
  /** The user id behind each role but the visitor. */
  people: (world: W) => Record<Person<R>, number>;
  /** A NotFoundError is a deny: what the actor may not see does not exist for them (someone else's draft). */
  hiddenIsDenied?: boolean;
  /** A read that returns an empty list found nothing the actor may read: a deny. */
  emptyIsDenied?: boolean;
  /** A route's thrown Response: 403 is a deny, any other status a refusal. */
  responses?: boolean;
}

/**
 * The domain a matrix answers for: every one of its `can()` actions has a row
 * (a row's `rule`), or says in `elsewhere` where it is tested instead or why
 * it has no row yet. A new action with neither fails the matrix.
 */
export interface Domain {
  actions: readonly string[];
  elsewhere?: Record<string, string>;
}

/** The user ids of a world's people, by role: `people` of a matrix over tests/support/world.ts. */
export const idsOf = <P extends string>(people: Record<P, { id: number }>) =>
  Object.fromEntries(Object.entries<{ id: number }>(people).map(([role, user]) => [role, user.id])) as Record<P, number>;

export function permissionMatrix<W, R extends string>(spec: MatrixSpec<W, R>) {
  const { roles } = spec;

  /** The outcome of one attempt. Any other error is a bug, not an outcome: the test fails with it. */
  async function outcome(run: Attempt): Promise<Outcome> {
    try {
      const result = await run();
      if (spec.emptyIsDenied && Array.isArray(result) && result.length === 0) return "deny";
      return "allow";
    } catch (error) {
      if (error instanceof ForbiddenError) return "deny";
      if (error instanceof CommandError) return "refuse";
      if (spec.hiddenIsDenied && error instanceof NotFoundError) return "deny";
      if (spec.responses && error instanceof Response) return error.status === 403 ? "deny" : "refuse";
      throw error;
    }
  }

  function actorFor(world: W, role: R): Promise<Actor> {
    return role === "visitor" ? Promise.resolve(visitor) : loadActor(db(), spec.people(world)[role as Person<R>]);
  }

  /** Every role's outcome, each role trying the attempt made for it. */
  async function outcomes(world: W, attempt: Row<W, R>["attempt"]): Promise<Record<R, Outcome>> {
    const got = {} as Record<R, Outcome>;
    for (const role of roles) got[role] = await outcome(await attempt(world, await actorFor(world, role)));
    return got;
  }

  /** The roles named get their outcome; every other role gets `rest` (a deny unless said). */
  const only = (named: Partial<Record<R, Outcome>>, rest: Outcome = "deny"): Record<R, Outcome> =>
    Object.fromEntries(roles.map((r) => [r, named[r] ?? rest])) as Record<R, Outcome>;

  /** Every signed-in role gets `outcome` (but the exceptions); the visitor is denied. */
  const everyoneSignedIn = (outcome: Outcome = "allow", exceptions: Partial<Record<R, Outcome>> = {}) =>
    only({ ...(Object.fromEntries(roles.filter((r) => r !== "visitor").map((r) => [r, outcome])) as Partial<Record<R, Outcome>>), ...exceptions });

  /** One test a row, and with a domain, the test that every action of it has a row. */
  function rows(title: string, table: Row<W, R>[], domain?: Domain) {
    describe(title, () => {
      for (const row of table) {
        it(row.action, async () => {
          expect(await outcomes(await spec.world(), row.attempt)).toEqual(row.expected);
        });
      }
      if (domain) {
        it("every action of the domain has a row, or says where it is tested", () => {
          const elsewhere = domain.elsewhere ?? {};
          const inRows = new Set(table.flatMap((r) => r.rule ?? []));
          expect({ withoutRow: domain.actions.filter((a) => !inRows.has(a) && !elsewhere[a]) }).toEqual({ withoutRow: [] });
          // An exception that has since got a row, or names no action of the domain, is stale.
          expect({ stale: Object.keys(elsewhere).filter((a) => inRows.has(a) || !domain.actions.includes(a)) }).toEqual({ stale: [] });
        });
      }
    });
  }

  return { roles, outcome, outcomes, only, everyoneSignedIn, rows, actorFor };
}
