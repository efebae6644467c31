import { sql } from "drizzle-orm";
import { db, rowsOf } from "#db/client.server";
import type { DeliveryChannel } from "#db/schema/deliveries";
import { config } from "~/config.server";
import type { Locale } from "~/i18n/i18n";
import { cloudSms, logEmail, logSms, smtpEmail, type Channels } from "./channels.server";
import { afterFailure, categoryOf, defaultRetryPolicy, type RetryPolicy, type SendResult } from "./rules";
import { DIGEST_KIND, VERIFY_KIND, type Outgoing } from "./templates.server";
import { messageSecret, signUnsubscribe } from "./tokens.server";
import { serverNow } from "~/lib/clock.server";
import { expandFanouts } from "~/modules/notifications/fanout.server";

const holder = globalThis as unknown as { __gongzhiChannels?: Channels; __gongzhiPaused?: Partial<Record<DeliveryChannel, number>> };

/** The channels from the configuration (SMTP or the log; the cloud SMS API or the log), made once. */
export function channels(): Channels {
  if (!holder.__gongzhiChannels) {
    const c = config();
    holder.__gongzhiChannels = {
      email: c.smtpUrl ? smtpEmail({ url: c.smtpUrl, from: c.mailFrom }) : logEmail(),
      sms: c.sms.provider === "cloud" ? cloudSms(c.sms) : logSms(),
    };
  }
  return holder.__gongzhiChannels;
}

/** Use other channels (tests, the benchmark); undefined goes back to the configured ones. */
export function setChannels(next: Channels | undefined): void {
  holder.__gongzhiChannels = next;
  holder.__gongzhiPaused = {};
}

export async function closeChannels(): Promise<void> {
  const c = holder.__gongzhiChannels;
  holder.__gongzhiChannels = undefined;
  await Promise.all([c?.email.close?.(), c?.sms.close?.()]);
}

export interface SenderOptions {
  /** Deliveries claimed per round trip. */
  batch?: number;
  /** Attempts in flight at once. */
  concurrency?: number;
  /** Stop claiming more after this long (the scheduler's next tick goes on). */
  budgetMs?: number;
  /** How long a claim holds before another node may take the delivery over. */
  leaseMs?: number;
  policy?: RetryPolicy;
  random?: () => number;
  /** Told how long each round's claim, sending and recording took (the benchmark). */
  onRound?: (round: { claimed: number; claimMs: number; sendMs: number; recordMs: number }) => void;
  /** Told how long each chunk of a fan-out's expansion took (the benchmark). */
  onExpand?: (chunk: { recipients: number; deliveries: number; ms: number }) => void;
}

export interface SenderFigures {
  sent: number;
  retried: number;
  dead: number;
  /** Claimed but not tried because the channel's provider asked us to slow down. */
  deferred: number;
  /** Recipients of large audiences' fan-outs expanded into notifications and deliveries (ADR 0041). */
  expanded: number;
}

interface ClaimedRow {
  id: number;
  round: number;
  user_id: number;
  channel: DeliveryChannel;
  address: string;
  kind: string;
  params: Record<string, unknown>;
  link: string | null;
  locale: Locale;
  attempts: number;
}

interface Outcome {
  id: number;
  state: "sent" | "pending" | "dead";
  /** 1 when the delivery was not tried after all (its attempt is given back). */
  release: number;
  next_at: string | null;
  error: string | null;
  provider_id: string | null;
  segments: number | null;
}

/**
 * The sender (scheduler, every few seconds, on every node): claim due
 * deliveries with SKIP LOCKED and a lease, send them outside any transaction,
 * then record every outcome in one statement — sent; retried later with
 * exponential back-off; dead-lettered after a permanent error or too many
 * attempts. A node that dies mid-send leaves its claims to run out; the next
 * claim resends them with the same idempotency key (ADR 0022).
 */
export async function runDeliveries(now = serverNow(), options: SenderOptions = {}): Promise<SenderFigures> {
  const batch = options.batch ?? 200;
  const concurrency = options.concurrency ?? 32;
  const budgetMs = options.budgetMs ?? 20_000;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const policy = options.policy ?? { ...defaultRetryPolicy, maxAttempts: config().deliveryMaxAttempts };
  const random = options.random ?? Math.random;
  const started = Date.now();
  const clock = () => new Date(now.getTime() + (Date.now() - started));
  const figures: SenderFigures = { sent: 0, retried: 0, dead: 0, deferred: 0, expanded: 0 };
  const paused = (holder.__gongzhiPaused ??= {});
  const adapters = channels();
  const base = config().baseUrl ?? `http://localhost:${config().port}`;
  const secret = await messageSecret(db());

  // Large audiences' fan-outs are expanded a chunk a round, between batches, so sending starts at once (ADR 0041).
  let fanouts = true;
  while (Date.now() - started < budgetMs) {
    if (fanouts) {
      const e0 = performance.now();
      const expanded = await expandFanouts({ maxChunks: 1 });
      figures.expanded += expanded.recipients;
      fanouts = expanded.chunks > 0;
      if (fanouts) options.onExpand?.({ recipients: expanded.recipients, deliveries: expanded.deliveries, ms: performance.now() - e0 });
    }
    const at = clock();
    const blocked = (Object.keys(paused) as DeliveryChannel[]).filter((c) => (paused[c] ?? 0) > at.getTime());
    const t0 = performance.now();
    const claimed = await claimDue(at, { batch, leaseMs, blocked });
    const t1 = performance.now();
    if (claimed.length === 0) {
      if (fanouts) continue;
      break;
    }

    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const d = claimed[next++]!;
        const pausedUntil = paused[d.channel] ?? 0;
        if (pausedUntil > clock().getTime()) {
          outcomes.push({ id: d.id, state: "pending", release: 1, next_at: new Date(pausedUntil).toISOString(), error: null, provider_id: null, segments: null });
          figures.deferred++;
          continue;
        }
        let result: SendResult;
        try {
          result = await adapters[d.channel].send(d, { baseUrl: base, unsubscribeUrl: d.channel === "email" ? unsubscribeUrl(base, secret, d) : null });
        } catch (error) {
          result = { ok: false, failure: "transient", error: `adapter: ${(error as Error).message}`.slice(0, 500) };
        }
        if (result.ok) {
          outcomes.push({ id: d.id, state: "sent", release: 0, next_at: null, error: null, provider_id: result.providerId, segments: result.segments ?? null });
          figures.sent++;
          continue;
        }
        const then = afterFailure(d.attempts, result, policy, random());
        if (then.state === "dead") {
          outcomes.push({ id: d.id, state: "dead", release: 0, next_at: null, error: result.error, provider_id: null, segments: null });
          figures.dead++;
        } else {
          const nextAt = clock().getTime() + then.delayMs;
          // The provider asked us to slow down: nothing more by this channel until then, on this node.
          if (result.failure === "rate_limited") paused[d.channel] = Math.max(paused[d.channel] ?? 0, nextAt);
          outcomes.push({ id: d.id, state: "pending", release: 0, next_at: new Date(nextAt).toISOString(), error: result.error, provider_id: null, segments: null });
          figures.retried++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    const t2 = performance.now();
    await record(outcomes, clock());
    options.onRound?.({ claimed: claimed.length, claimMs: t1 - t0, sendMs: t2 - t1, recordMs: performance.now() - t2 });
    if (claimed.length < batch && !fanouts) break;
  }
  return figures;
}

/**
 * Claim up to `batch` due deliveries (pending, or sending with a lapsed lease)
 * for this node: SKIP LOCKED, so nodes never claim the same row; the lease
 * (next_attempt_at) is how long the claim holds.
 */
export async function claimDue(at: Date, options: { batch: number; leaseMs: number; blocked?: DeliveryChannel[] }): Promise<(Outgoing & { attempts: number })[]> {
  const rows = rowsOf<ClaimedRow>(
    await db().execute(sql`
      update deliveries d set state = 'sending', attempts = d.attempts + 1,
        next_attempt_at = ${new Date(at.getTime() + options.leaseMs).toISOString()}::timestamptz
      from (
        select id from deliveries
        where state in ('pending', 'sending') and next_attempt_at <= ${at.toISOString()}::timestamptz
          and channel <> all(${`{${(options.blocked ?? []).join(",")}}`}::text[])
        order by next_attempt_at
        limit ${options.batch}
        for update skip locked
      ) due
      where d.id = due.id
      returning d.id, d.round, d.user_id, d.channel, d.address, d.kind, d.params, d.link, d.locale, d.attempts`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    round: r.round,
    userId: r.user_id,
    channel: r.channel,
    address: r.address,
    kind: r.kind,
    params: r.params,
    link: r.link,
    locale: r.locale,
    attempts: r.attempts,
  }));
}

function unsubscribeUrl(base: string, secret: string, d: Outgoing): string | null {
  if (d.kind === VERIFY_KIND) return null;
  const category = d.kind === DIGEST_KIND ? "all" : (categoryOf(d.kind) ?? "all");
  return new URL(`/unsubscribe/${signUnsubscribe(secret, d.userId, category)}`, base).toString();
}

/** Every outcome of a round in one statement. A verification code is wiped once it has gone (or never will). */
async function record(outcomes: Outcome[], at: Date): Promise<void> {
  if (outcomes.length === 0) return;
  await db().execute(sql`
    update deliveries d set
      state = r.state,
      attempts = d.attempts - r.release,
      next_attempt_at = coalesce(r.next_at, d.next_attempt_at),
      last_error = coalesce(r.error, d.last_error),
      provider_id = coalesce(r.provider_id, d.provider_id),
      segments = coalesce(r.segments, d.segments),
      sent_at = case when r.state = 'sent' then ${at.toISOString()}::timestamptz else d.sent_at end,
      params = case when d.kind = ${VERIFY_KIND} and r.state in ('sent', 'dead') then '{}'::jsonb else d.params end
    from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb)
      as r(id bigint, state text, release int, next_at timestamptz, error text, provider_id text, segments int)
    where d.id = r.id and d.state = 'sending'`);
}

/**
 * The daily digests (scheduler): fold each person's held deliveries that are
 * due into one delivery per channel, in one statement; and forget finished
 * deliveries after 90 days.
 */
export async function foldDigests(now = serverNow()): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = await db().execute(sql`
    with due as (
      select id from deliveries where state = 'held' and next_attempt_at <= ${at}
      order by id limit 20000 for update skip locked
    ), moved as (
      update deliveries d set state = 'digested' from due where d.id = due.id
      returning d.id, d.user_id, d.channel, d.address, d.kind, d.params, d.link, d.locale
    ), made as (
      insert into deliveries (user_id, channel, address, kind, params, locale, state, next_attempt_at)
      select user_id, channel, max(address), ${DIGEST_KIND},
        jsonb_build_object('items', jsonb_agg(jsonb_build_object('kind', kind, 'params', params, 'link', link) order by id)),
        max(locale), 'pending', ${at}
      from moved group by user_id, channel
      returning 1
    )
    select count(*)::int as n from made`);
  await db().execute(sql`
    delete from deliveries where id in (
      select id from deliveries where state in ('sent', 'digested', 'cancelled') and created_at < ${at} - interval '90 days' limit 10000)`);
  await db().execute(sql`delete from delivery_fanouts where finished_at < ${at} - interval '90 days'`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}
