import { and, asc, eq, inArray } from "drizzle-orm";
import type { Queryable, Tx } from "#db/client.server";
import { openerShares, projectEvents, projectKeys, projectOpeners, projects, units, users } from "#db/schema";
import { CommandError, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { notifyMany } from "~/modules/notifications/commands.server";
import { authorize } from "~/modules/access";
import type { Actor } from "~/modules/identity/actor";
import { electionKeyOf, verificationKeyOf, type Hex, type Sealed, type Vault } from "~/modules/votes/crypto";

/**
 * The opening committee's key ceremony (开标小组, shared/crypto.md §1 and §5,
 * ADR 0042): the secret-ballot tellers' steps (app/modules/votes/tellers.ts,
 * run in each member's browser with the context `project:<id>`), relayed
 * and checked here. The server never holds a usable share. When every member
 * has confirmed, `project_keys.openingKey` is set: the call may be published
 * (the publish command checks `openingKeyOf`).
 */

export const DEFAULT_OPENING_THRESHOLD = 2;
export const MAX_OPENERS = 7;

const hex64 = /^[0-9a-f]{64}$/;
const isVault = (v: Vault) =>
  !!v &&
  v.kdf === "scrypt" &&
  Number.isInteger(v.N) &&
  Number.isInteger(v.r) &&
  Number.isInteger(v.p) &&
  /^[0-9a-f]+$/.test(v.salt + v.iv + v.data) &&
  v.data.length <= 4096;
const isSealed = (s: Sealed) => !!s && hex64.test(s.R) && /^[0-9a-f]{24}$/.test(s.iv) && /^[0-9a-f]{1,256}$/.test(s.data);

/**
 * Name the committee (inside the caller's transaction: the command that
 * creates or edits the call, authorised there by `project:manage`): n
 * distinct accounts, threshold t with 2 ≤ t ≤ n. Replaces a committee whose
 * ceremony has not started; refuses once a member has published keys.
 */
export async function nameCommittee(tx: Tx, projectId: number, openerIds: number[], threshold = DEFAULT_OPENING_THRESHOLD, outbox?: Outbox) {
  const ids = [...new Set(openerIds)];
  if (ids.length !== openerIds.length || ids.length < 2 || ids.length > MAX_OPENERS) throw new CommandError("bids.error.committeeSize", "openers");
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > ids.length) throw new CommandError("bids.error.committeeThreshold", "openingThreshold");
  const existing = await tx.select().from(projectOpeners).where(eq(projectOpeners.projectId, projectId));
  if (existing.some((o) => o.transportKey !== null)) throw new CommandError("bids.error.ceremonyStarted", "openers");
  const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, ids));
  const known = new Set(found.map((u) => u.id));
  if (!ids.every((id) => known.has(id))) throw new CommandError("bids.error.committeeUnknown", "openers");
  await tx.delete(projectOpeners).where(eq(projectOpeners.projectId, projectId));
  await tx.delete(projectKeys).where(eq(projectKeys.projectId, projectId));
  await tx.insert(projectKeys).values({ projectId, threshold });
  await tx.insert(projectOpeners).values(ids.map((userId, k) => ({ projectId, index: k + 1, userId })));
  if (outbox) {
    const [project] = await tx.select({ title: projects.title }).from(projects).where(eq(projects.id, projectId));
    await notifyMany(tx, outbox, ids, { kind: "notification.openerSetup", params: { title: project?.title ?? "" }, link: `/projects/${projectId}/opener` });
  }
}

/** The opening key X once the ceremony is complete, else null: the call may be published only with it. */
export async function openingKeyOf(q: Queryable, projectId: number): Promise<Hex | null> {
  const [keys] = await q.select({ openingKey: projectKeys.openingKey }).from(projectKeys).where(eq(projectKeys.projectId, projectId));
  return keys?.openingKey ?? null;
}

async function openerOf(tx: Tx, actor: Actor, projectId: number) {
  const [project] = await tx.select().from(projects).where(eq(projects.id, projectId)).for("update");
  if (!project) throw new NotFoundError("project");
  const openers = await tx.select().from(projectOpeners).where(eq(projectOpeners.projectId, projectId)).orderBy(asc(projectOpeners.index));
  authorize(actor, "project:open", { openerIds: openers.map((o) => o.userId) });
  const me = openers.find((o) => o.userId === actor.userId)!;
  const [keys] = await tx.select().from(projectKeys).where(eq(projectKeys.projectId, projectId));
  if (!keys) throw new NotFoundError("project");
  return { project, openers, me, keys };
}

function inCeremony(project: typeof projects.$inferSelect, keys: typeof projectKeys.$inferSelect) {
  if (project.status !== "planning" || keys.openingKey) throw new CommandError("bids.error.keysDone");
}

/** Step 1: a member publishes their transport key and Feldman commitments, and leaves their setup vault. */
export async function publishOpenerKeys(actor: Actor, input: { projectId: number; transportKey: Hex; commitments: Hex[]; setupVault: Vault }) {
  return runCommand(async (tx) => {
    const { project, me, keys } = await openerOf(tx, actor, input.projectId);
    inCeremony(project, keys);
    if (me.transportKey) throw new CommandError("bids.error.stepDone");
    if (!hex64.test(input.transportKey) || input.commitments.length !== keys.threshold || !input.commitments.every((c) => hex64.test(c)) || !isVault(input.setupVault))
      throw new CommandError("bids.error.badKeyMaterial");
    await tx
      .update(projectOpeners)
      .set({ transportKey: input.transportKey, commitments: input.commitments, setupVault: input.setupVault })
      .where(and(eq(projectOpeners.projectId, project.id), eq(projectOpeners.index, me.index)));
    await tx.insert(projectEvents).values({ projectId: project.id, actorId: actor.userId, kind: "opener_keys", detail: { index: me.index } });
  });
}

/** Step 2: once every member has a transport key, a member sends a sealed share to each member. */
export async function dealOpenerShares(actor: Actor, input: { projectId: number; shares: { to: number; sealed: Sealed }[] }) {
  return runCommand(async (tx) => {
    const { project, openers, me, keys } = await openerOf(tx, actor, input.projectId);
    inCeremony(project, keys);
    if (openers.some((o) => !o.transportKey)) throw new CommandError("bids.error.waitForOthers");
    if (me.dealt) throw new CommandError("bids.error.stepDone");
    const to = input.shares.map((s) => s.to).sort((a, b) => a - b);
    if (JSON.stringify(to) !== JSON.stringify(openers.map((o) => o.index)) || !input.shares.every((s) => isSealed(s.sealed)))
      throw new CommandError("bids.error.badKeyMaterial");
    await tx.insert(openerShares).values(input.shares.map((s) => ({ projectId: project.id, from: me.index, to: s.to, sealed: s.sealed })));
    await tx
      .update(projectOpeners)
      .set({ dealt: true })
      .where(and(eq(projectOpeners.projectId, project.id), eq(projectOpeners.index, me.index)));
  });
}

/**
 * Step 3: a member has checked every share they received and locked the sum
 * under their passphrase; the server checks the public half against the
 * commitments. When all have confirmed (and none complained), the opening key
 * is fixed and the shares in transit are deleted.
 */
export async function confirmOpenerShare(actor: Actor, input: { projectId: number; shareVault: Vault; verificationKey: Hex }) {
  return runCommand(async (tx) => {
    const { project, openers, me, keys } = await openerOf(tx, actor, input.projectId);
    inCeremony(project, keys);
    if (openers.some((o) => !o.dealt)) throw new CommandError("bids.error.waitForOthers");
    if (me.shareVault) throw new CommandError("bids.error.stepDone");
    const all = openers.map((o) => o.commitments!);
    if (!isVault(input.shareVault) || input.verificationKey !== verificationKeyOf(all, me.index)) throw new CommandError("bids.error.badKeyMaterial");
    await tx
      .update(projectOpeners)
      .set({ shareVault: input.shareVault, verificationKey: input.verificationKey, setupVault: null })
      .where(and(eq(projectOpeners.projectId, project.id), eq(projectOpeners.index, me.index)));
    await tx.insert(projectEvents).values({ projectId: project.id, actorId: actor.userId, kind: "opener_confirmed", detail: { index: me.index } });
    const pending = openers.filter((o) => o.index !== me.index && !o.shareVault);
    if (pending.length > 0 || openers.some((o) => o.complaint)) return { ready: false };
    const openingKey = electionKeyOf(all);
    await tx.update(projectKeys).set({ openingKey }).where(eq(projectKeys.projectId, project.id));
    await tx.delete(openerShares).where(eq(openerShares.projectId, project.id));
    await tx.insert(projectEvents).values({ projectId: project.id, actorId: null, kind: "opening_key", detail: { threshold: keys.threshold, members: openers.length } });
    return { ready: true };
  });
}

/** A member says a share they received does not match its dealer's commitments: the key cannot be made (staff name the committee again). */
export async function complainOpener(actor: Actor, input: { projectId: number; against: number }) {
  return runCommand(async (tx) => {
    const { project, openers, me, keys } = await openerOf(tx, actor, input.projectId);
    inCeremony(project, keys);
    if (!openers.some((o) => o.index === input.against)) throw new CommandError("bids.error.badKeyMaterial");
    await tx
      .update(projectOpeners)
      .set({ complaint: `against:${input.against}` })
      .where(and(eq(projectOpeners.projectId, project.id), eq(projectOpeners.index, me.index)));
    await tx.insert(projectEvents).values({ projectId: project.id, actorId: actor.userId, kind: "opener_complaint", detail: { against: input.against } });
  });
}

/** What one committee member's browser needs for their next step (null when they are not a member). */
export async function getOpenerWork(q: Queryable, projectId: number, userId: number) {
  const [keys] = await q.select().from(projectKeys).where(eq(projectKeys.projectId, projectId));
  if (!keys) return null;
  const openers = await q
    .select({ o: projectOpeners, name: users.displayName })
    .from(projectOpeners)
    .innerJoin(users, eq(users.id, projectOpeners.userId))
    .where(eq(projectOpeners.projectId, projectId))
    .orderBy(asc(projectOpeners.index));
  const me = openers.find((x) => x.o.userId === userId)?.o;
  if (!me) return null;
  const received = await q
    .select({ from: openerShares.from, sealed: openerShares.sealed })
    .from(openerShares)
    .where(and(eq(openerShares.projectId, projectId), eq(openerShares.to, me.index)));
  return {
    threshold: keys.threshold,
    openingKey: keys.openingKey,
    me: {
      index: me.index,
      setupVault: me.setupVault,
      shareVault: me.shareVault,
      dealt: me.dealt,
      published: me.transportKey !== null,
      confirmed: me.verificationKey !== null,
      opened: me.partials !== null,
    },
    peers: openers.map(({ o }) => ({ index: o.index, transportKey: o.transportKey, commitments: o.commitments, dealt: o.dealt })),
    members: openers.map(({ o, name }) => ({
      index: o.index,
      name,
      step: o.partials ? "opened" : o.complaint ? "complained" : o.verificationKey ? "confirmed" : o.dealt ? "dealt" : o.transportKey ? "published" : "none",
    })),
    received,
  };
}
export type OpenerWork = NonNullable<Awaited<ReturnType<typeof getOpenerWork>>>;

/** The buyer's unit path, for the permission rules that need it. */
export async function unitPathOf(q: Queryable, unitId: number): Promise<string> {
  const [unit] = await q.select({ path: units.path }).from(units).where(eq(units.id, unitId));
  return unit?.path ?? "";
}

