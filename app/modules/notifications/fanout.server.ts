import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "#db/client.server";
import { runCommand, type Outbox } from "~/lib/command.server";
import { insertDeliveries } from "~/modules/messages/enqueue.server";
import { audienceKinds, parseAudience, type Audience } from "./audiences";
import { audienceSql } from "./audiences.server";

/**
 * Deferred fan-out (ADR 0041). A notification to an audience of at least
 * FANOUT_AT people (a district-wide vote opening: 100 000 voters) is not
 * written person by person in the event's transaction, which would make the
 * event's commit as slow as the audience is large; the transaction writes ONE
 * `delivery_fanouts` row holding the audience, and the sender expands it in
 * chunks of FANOUT_CHUNK people — their in-app notifications and their
 * deliveries — seconds later. No event, no fan-out: a rolled-back event
 * leaves nothing to expand.
 *
 * The row holds the audience either as ids (queueFanout: whatever a caller
 * computed, one `int[]`, its bytes still growing with the audience) or as a
 * stored query (queueAudienceFanout: kinds and parameters from the registry
 * in audiences.server.ts, a few bytes whatever the audience), which the
 * first chunk reads into the same `recipients` column, as of the event, and
 * which stays fixed from that commit on.
 */
export const FANOUT_AT = 1_000;
export const FANOUT_CHUNK = 4_000;

export interface FanoutInput {
  kind: string;
  params?: Record<string, string | number>;
  link?: string | null;
  /** When the event happened: quiet hours and digests are reckoned from it. */
  at: Date;
  /** Also the in-app notifications (the default), or only the messages off the site. */
  inApp?: boolean;
}

const pgIntArray = (values: readonly number[]) => `{${values.join(",")}}`;

/** Queue a fan-out: one statement, whatever the number of recipients. Returns its id. */
export async function queueFanout(tx: Tx, userIds: readonly number[], input: FanoutInput): Promise<number> {
  const recipients = [...new Set(userIds)];
  const [row] = rowsOf<{ id: number }>(
    await tx.execute(sql`
      insert into delivery_fanouts (kind, params, link, at, recipients, total, in_app)
      values (${input.kind}, ${JSON.stringify(input.params ?? {})}::jsonb, ${input.link ?? null}, ${input.at.toISOString()}::timestamptz,
        ${pgIntArray(recipients)}::int[], ${recipients.length}, ${input.inApp ?? true})
      returning id`),
  );
  return Number(row!.id);
}

/**
 * Queue a fan-out to a stored audience, if it has at least `atLeast` people
 * (FANOUT_AT), in ONE statement whose cost does not depend on the audience:
 * the condition reads at most `atLeast` rows of the audience's query (the
 * reading stops there), and the row written holds the audience's kinds and
 * parameters, not its ids. Returns the fan-out's id, or null when the
 * audience is smaller: the caller then notifies those few at once.
 */
export async function queueAudienceFanout(tx: Tx, audience: Audience, input: FanoutInput, atLeast = FANOUT_AT): Promise<number | null> {
  const [row] = rowsOf<{ id: number }>(
    await tx.execute(sql`
      insert into delivery_fanouts (kind, params, link, at, audience, in_app)
      select ${input.kind}, ${JSON.stringify(input.params ?? {})}::jsonb, ${input.link ?? null}, ${input.at.toISOString()}::timestamptz,
        ${JSON.stringify(parseAudience(audience))}::jsonb, ${input.inApp ?? true}
      where (select count(*) from (select 1 from (${audienceSql(audience, null)}) a limit ${atLeast}) probe) >= ${atLeast}
      returning id`),
  );
  return row ? Number(row.id) : null;
}

interface FanoutRow {
  id: number;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  at: Date | string;
  in_app: boolean;
  done: number;
  /** Null until a stored audience has been read. */
  total: number | null;
  audience: unknown;
  created_at: Date | string;
}

export interface ExpandOptions {
  /** Recipients per chunk (one transaction each). */
  chunk?: number;
  /** Stop after this many chunks (the sender interleaves chunks with sending; tests stop between chunks). */
  maxChunks?: number;
  /**
   * Called inside each chunk's transaction after its writes and before its
   * commit (tests throw here to play a node that dies mid-chunk).
   */
  beforeCommit?: (chunk: { fanoutId: number; from: number; to: number }) => Promise<void> | void;
}

export interface ExpandFigures {
  chunks: number;
  /** Recipients expanded (whether or not they get a delivery). */
  recipients: number;
  notifications: number;
  deliveries: number;
}

/**
 * Expand open fan-outs, one chunk per transaction (the sender calls it on
 * every node). Each chunk: lock the oldest open fan-out (SKIP LOCKED: another
 * node takes another fan-out, or waits for the next tick), write the in-app
 * notifications and deliveries of its next FANOUT_CHUNK recipients, advance
 * the cursor, commit; the live notices go out after the commit. The row lock
 * is the claim and lasts only the chunk's transaction, so a node that dies
 * mid-chunk rolls the chunk back and frees the fan-out at once (no lease to
 * wait out). A chunk written twice anyway (a cursor put back by hand, a
 * restored backup) writes nothing new: the unique keys per fan-out × person
 * (× channel) turn the repeats into no-ops.
 */
export async function expandFanouts(options: ExpandOptions = {}): Promise<ExpandFigures> {
  const chunk = options.chunk ?? FANOUT_CHUNK;
  const figures: ExpandFigures = { chunks: 0, recipients: 0, notifications: 0, deliveries: 0 };
  while (figures.chunks < (options.maxChunks ?? Infinity)) {
    const step = await runCommand((tx, outbox) => expandOneChunk(tx, outbox, chunk, options));
    if (!step) break;
    figures.chunks++;
    figures.recipients += step.recipients;
    figures.notifications += step.notifications;
    figures.deliveries += step.deliveries;
  }
  return figures;
}

/**
 * A fan-out this program can expand: ids given, or a stored audience all of
 * whose kinds it knows. One written by a newer version (a kind added since,
 * during a rolling deployment) is left for a node that knows it, rather than
 * failing every round and holding up the fan-outs queued after it; the
 * administrators see it among those still to be read.
 */
const readable = sql`(audience is null or case when jsonb_typeof(audience->'of') = 'array'
  then not exists (select 1 from jsonb_array_elements(audience->'of') p where not coalesce(p->>'kind' = any(${`{${audienceKinds.join(",")}}`}::text[]), false))
  else false end)`;

async function expandOneChunk(tx: Tx, outbox: Outbox, chunk: number, options: ExpandOptions) {
  const [f] = rowsOf<FanoutRow>(
    await tx.execute(sql`
      select id, kind, params, link, at, in_app, done, total, audience, created_at from delivery_fanouts
      where finished_at is null and ${readable} order by id limit 1 for update skip locked`),
  );
  if (!f) return null;
  const id = Number(f.id);
  const total = f.total ?? (await resolveAudience(tx, id, f.audience));
  const from = f.done;
  const to = Math.min(f.done + chunk, total);
  // PostgreSQL arrays count from 1: recipients[from+1 : to] are the next `to - from` people.
  const slice = sql`(select recipients[${from + 1}::int:${to}::int] from delivery_fanouts where id = ${id})`;
  let notifications = 0;
  if (f.in_app) {
    // Dated as the event, as an immediate notification would be; an account deleted since is skipped.
    const rows = rowsOf<{ id: number; user_id: number; created_at: Date | string }>(
      await tx.execute(sql`
        insert into notifications (user_id, kind, params, link, created_at, fanout_id)
        select u.id, ${f.kind}, ${JSON.stringify(f.params)}::jsonb, ${f.link}, ${new Date(f.created_at).toISOString()}::timestamptz, ${id}::bigint
        from unnest(${slice}) as r(user_id) join users u on u.id = r.user_id
        on conflict (fanout_id, user_id) where fanout_id is not null do nothing
        returning id, user_id, created_at`),
    );
    notifications = rows.length;
    for (const row of rows) {
      outbox.emit(`user:${row.user_id}`, "notification:new", {
        id: row.id,
        kind: f.kind,
        params: f.params,
        link: f.link,
        createdAt: new Date(row.created_at).toISOString(),
      });
    }
  }
  const deliveries = await insertDeliveries(tx, slice, { kind: f.kind, params: f.params, link: f.link }, new Date(f.at), id);
  await tx.execute(sql`
    update delivery_fanouts set done = ${to}, finished_at = case when ${to} >= total then now() else null end
    where id = ${id}`);
  await options.beforeCommit?.({ fanoutId: id, from, to });
  return { recipients: to - from, notifications, deliveries };
}

/**
 * Read a stored audience into the fan-out's `recipients`, in the transaction
 * of its first chunk: each account once, in id order, as of the event (the
 * kinds' rule in audiences.server.ts, bounded by the fan-out's `created_at`,
 * compared in the database's own clock, never through JavaScript's
 * milliseconds). Committed with that chunk, the list is fixed: later chunks
 * slice it by the cursor exactly as they slice ids the event gave. Rolled
 * back with it, nothing was expanded and the next reading starts afresh.
 */
async function resolveAudience(tx: Tx, id: number, stored: unknown): Promise<number> {
  const audience = parseAudience(stored);
  const asOf = sql`(select created_at from delivery_fanouts where id = ${id})`;
  const [row] = rowsOf<{ total: number }>(
    await tx.execute(sql`
      with audience as (select array(select distinct user_id from (${audienceSql(audience, asOf)}) x order by user_id) as ids)
      update delivery_fanouts set recipients = audience.ids, total = cardinality(audience.ids), resolved_at = now()
      from audience where id = ${id}
      returning total`),
  );
  return Number(row!.total);
}
