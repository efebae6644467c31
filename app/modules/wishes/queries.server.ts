import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "#db/client.server";
import { organizations, units, users, wishClaims, wishes, wishPeople, type WishStatus } from "#db/schema";
import { ForbiddenError, NotFoundError } from "~/lib/command.server";
import type { Actor } from "~/modules/identity/actor";
import { wishAbilities, wishRules, type WishOrgRef } from "./permissions";
import { wallSections, type WallSection } from "./rules";
import type { WishWallFilter } from "./schemas";

/**
 * One named query per page of micro-wishes. The public columns only, except
 * `wishPage`'s `person`, which it reads for staff over the wish's community
 * and for nobody else.
 */

const SECTION_SIZE = 30;

const claimer = alias(users, "claimer");

/** What anyone may see of a wish: the person as surname and honorific, never more. */
const publicColumns = {
  id: wishes.id,
  category: wishes.category,
  text: wishes.text,
  surname: wishes.surname,
  honorific: wishes.honorific,
  status: wishes.status,
  createdAt: wishes.createdAt,
  fulfilledAt: wishes.fulfilledAt,
  confirmedAt: wishes.confirmedAt,
  place: units.name,
  unitPath: units.path,
  claimedBy: sql<string | null>`coalesce(${organizations.name}, ${claimer.displayName})`,
};

function wishRows(where: SQL | undefined) {
  return db()
    .select(publicColumns)
    .from(wishes)
    .innerJoin(units, eq(units.id, wishes.unitId))
    .leftJoin(wishClaims, and(eq(wishClaims.wishId, wishes.id), eq(wishClaims.status, "active")))
    .leftJoin(claimer, eq(claimer.id, wishClaims.userId))
    .leftJoin(organizations, eq(organizations.id, wishClaims.organizationId))
    .where(where);
}

const shown = <T extends { createdAt: Date; fulfilledAt: Date | null; confirmedAt: Date | null; unitPath: string }>({ unitPath: _path, ...w }: T) => ({
  ...w,
  createdAt: w.createdAt.toISOString(),
  fulfilledAt: w.fulfilledAt?.toISOString() ?? null,
  confirmedAt: w.confirmedAt?.toISOString() ?? null,
});

/** Organisations the actor administers, as the claim rule needs them. */
async function adminOrgs(actor: Actor): Promise<(WishOrgRef & { name: string })[]> {
  const ids = Object.entries(actor.organizations)
    .filter(([, role]) => role === "admin")
    .map(([id]) => Number(id));
  if (ids.length === 0) return [];
  const rows = await db().select().from(organizations).where(inArray(organizations.id, ids));
  return rows.map((o) => ({ id: o.id, kind: o.kind, confirmed: o.status === "confirmed", name: o.name }));
}

/** Subdistricts and communities (tree order), for the place filter. */
async function places() {
  return db()
    .select({ id: units.id, name: units.name, kind: units.kind, path: units.path })
    .from(units)
    .where(inArray(units.kind, ["subdistrict", "community"]))
    .orderBy(asc(units.path));
}

/** The communities whose staff the actor is: where they may post. */
async function postableCommunities(actor: Actor) {
  if (actor.userId === null) return [];
  return (await places()).filter((p) => p.kind === "community" && wishRules["wish:post"](actor, { unitPath: p.path }));
}

/**
 * The wall: open wishes to claim, those in progress, and the fulfilled ones
 * (newest first), in a place (a community, or a subdistrict and all its
 * communities) or everywhere.
 */
export async function wishWallPage(actor: Actor, filter: WishWallFilter) {
  const [placeList, postable] = await Promise.all([places(), postableCommunities(actor)]);
  const place = filter.unit ? placeList.find((p) => p.id === filter.unit) : undefined;
  const within = place ? sql`${wishes.unitId} in (select u.id from ${units} u where u.path like ${place.path + "%"})` : undefined;
  const section = (name: WallSection) =>
    wishRows(and(inArray(wishes.status, [...wallSections[name]] as WishStatus[]), within))
      .orderBy(desc(wishes.id))
      .limit(SECTION_SIZE);
  const [open, inProgress, done] = await Promise.all([section("open"), section("inProgress"), section("done")]);
  return {
    places: placeList.map(({ id, name, kind }) => ({ id, name, kind })),
    filter,
    place: place ? { id: place.id, name: place.name } : null,
    sections: { open: open.map(shown), inProgress: inProgress.map(shown), done: done.map(shown) },
    canPost: postable.length > 0,
    mayClaim: actor.partyMember,
  };
}

/** A wish's page: what anyone sees, who claimed it, the person for staff only, and what the viewer may do. */
export async function wishPage(actor: Actor, wishId: number) {
  const [wish] = await wishRows(eq(wishes.id, wishId));
  if (!wish) throw new NotFoundError("wish");
  const [row] = await db()
    .select({ fulfilmentNote: wishes.fulfilmentNote, staffNote: wishes.staffNote, postedBy: users.displayName })
    .from(wishes)
    .innerJoin(users, eq(users.id, wishes.postedBy))
    .where(eq(wishes.id, wishId));
  const [claim] = await db()
    .select({ userId: wishClaims.userId, organizationId: wishClaims.organizationId, createdAt: wishClaims.createdAt })
    .from(wishClaims)
    .where(and(eq(wishClaims.wishId, wishId), eq(wishClaims.status, "active")));
  const orgs = await adminOrgs(actor);
  const can = wishAbilities(actor, { status: wish.status, unitPath: wish.unitPath, claim: claim ?? null }, orgs);
  // A withdrawn wish is off the wall (its person may have taken back their consent): only staff and those who claimed it still open it.
  if (wish.status === "withdrawn" && !can.seePerson && !(actor.userId !== null && (await claimedBefore(actor.userId, wishId)))) throw new NotFoundError("wish");
  // Who the wish is for: read only for those who may see it, so it is never in anyone else's page data.
  const person = can.seePerson
    ? ((await db()
        .select({ fullName: wishPeople.fullName, address: wishPeople.address, phone: wishPeople.phone, consentBy: wishPeople.consentBy, consentAt: wishPeople.consentAt, recordedBy: users.displayName })
        .from(wishPeople)
        .innerJoin(users, eq(users.id, wishPeople.consentRecordedBy))
        .where(eq(wishPeople.wishId, wishId)))[0] ?? null)
    : null;
  // Earlier claims given back, with their reasons (public: a claim and its release are the claimer's own acts).
  const released = await db()
    .select({ name: sql<string>`coalesce(${organizations.name}, ${users.displayName})`, reason: wishClaims.releaseReason, at: wishClaims.releasedAt })
    .from(wishClaims)
    .innerJoin(users, eq(users.id, wishClaims.userId))
    .leftJoin(organizations, eq(organizations.id, wishClaims.organizationId))
    .where(and(eq(wishClaims.wishId, wishId), eq(wishClaims.status, "released")))
    .orderBy(desc(wishClaims.id))
    .limit(10);
  return {
    wish: { ...shown(wish), fulfilmentNote: row!.fulfilmentNote, staffNote: row!.staffNote, postedBy: row!.postedBy, claimedAt: claim?.createdAt.toISOString() ?? null },
    person: person ? { ...person, consentAt: person.consentAt.toISOString() } : null,
    released: released.map((r) => ({ ...r, at: r.at?.toISOString() ?? null })),
    claimOptions: can.claimAs.map((value) => ({ value, label: value === "self" ? null : (orgs.find((o) => String(o.id) === value)?.name ?? null) })),
    signedIn: actor.userId !== null,
    can,
  };
}

async function claimedBefore(userId: number, wishId: number) {
  const [row] = await db()
    .select({ id: wishClaims.id })
    .from(wishClaims)
    .where(and(eq(wishClaims.wishId, wishId), eq(wishClaims.userId, userId)))
    .limit(1);
  return row !== undefined;
}

/** The form to post a wish: the communities the actor is staff of, and a one-time key against double posting. */
export async function newWishPage(actor: Actor) {
  const communities = await postableCommunities(actor);
  if (communities.length === 0) throw new ForbiddenError("wish:post");
  return { communities: communities.map(({ id, name }) => ({ id, name })), clientKey: crypto.randomUUID() };
}

/** The wishes a person has claimed (themselves or for an organisation they run) and not yet seen confirmed: for /me. */
export async function myClaimedWishes(actor: Actor) {
  if (actor.userId === null) return [];
  const rows = await wishRows(and(eq(wishClaims.userId, actor.userId), inArray(wishes.status, ["claimed", "fulfilled"])))
    .orderBy(desc(wishes.id))
    .limit(20);
  return rows.map(shown);
}
