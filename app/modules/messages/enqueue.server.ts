import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Tx } from "#db/client.server";
import { config } from "~/config.server";
import { categoryOf, DEFAULT_DIGEST_AT, DEFAULT_QUIET, defaultChannels, goesOffSite, isUrgent } from "./rules";
import { serverNow } from "~/lib/clock.server";

export interface QueuedNotification {
  kind: string;
  params?: Record<string, string | number>;
  link?: string | null;
}

const pgArray = (values: readonly (string | number)[]) => `{${values.join(",")}}`;

/**
 * Queue the deliveries of one notification to many people: ONE statement,
 * inside the event's own transaction (ADR 0022), whatever the number of
 * recipients. Each recipient gets a row per verified address whose channel
 * they chose for the notification's category; its due time follows their
 * quiet hours, or their daily digest, unless it is urgent. Returns how many
 * rows it queued. (An audience of thousands is queued as one fan-out row
 * instead, by notifyMany: ADR 0041.)
 */
export async function queueDeliveries(tx: Tx, userIds: readonly number[], input: QueuedNotification, now = serverNow()): Promise<number> {
  if (userIds.length === 0) return 0;
  return insertDeliveries(tx, sql`${pgArray([...new Set(userIds)])}::int[]`, input, now, null);
}

/**
 * The one `INSERT … SELECT` behind queueDeliveries and the fan-out's
 * expansion: `audience` is an SQL expression of type int[] (an array
 * parameter, or a slice of a fan-out's recipients). With a fan-out id, a row
 * already queued for that fan-out, person and channel is left alone.
 */
export async function insertDeliveries(tx: Tx, audience: SQL, input: QueuedNotification, now: Date, fanoutId: number | null): Promise<number> {
  const params = input.params ?? {};
  const category = categoryOf(input.kind);
  if (!category || !goesOffSite(input.kind, params)) return 0;
  const urgent = isUrgent(input.kind, params);
  const { timeZone, defaultLocale } = config();
  // The local wall clock as minutes since midnight, and "the next time the clock shows minute X" as an instant.
  const local = sql`(${now.toISOString()}::timestamptz at time zone ${timeZone})`;
  const minute = sql`(extract(epoch from (${local} - date_trunc('day', ${local}))) / 60)`;
  const nextAt = (x: ReturnType<typeof sql>) =>
    sql`((date_trunc('day', ${local}) + ${x} * interval '1 minute' + case when ${x} <= ${minute} then interval '1 day' else interval '0' end) at time zone ${timeZone})`;
  const qs = sql`coalesce(p.quiet_start, ${DEFAULT_QUIET.start})`;
  const qe = sql`coalesce(p.quiet_end, ${DEFAULT_QUIET.end})`;
  const quiet = sql`(case when ${qs} = ${qe} then false when ${qs} < ${qe} then ${minute} >= ${qs} and ${minute} < ${qe} else ${minute} >= ${qs} or ${minute} < ${qe} end)`;
  const digest = sql`coalesce(p.digest, false)`;
  const onConflict = fanoutId === null ? sql`` : sql`on conflict (fanout_id, user_id, channel) where fanout_id is not null do nothing`;
  const result = await tx.execute(sql`
    with queued as (insert into deliveries (user_id, channel, address, kind, params, link, locale, urgent, state, next_attempt_at, fanout_id)
    select c.user_id, c.channel, c.address, ${input.kind}, ${JSON.stringify(params)}::jsonb, ${input.link ?? null},
      coalesce(u.locale, ${defaultLocale}), ${urgent},
      case when not ${urgent} and ${digest} then 'held' else 'pending' end,
      case
        when ${urgent} then ${now.toISOString()}::timestamptz
        when ${digest} then ${nextAt(sql`coalesce(p.digest_at, ${DEFAULT_DIGEST_AT})`)}
        when ${quiet} then ${nextAt(qe)}
        else ${now.toISOString()}::timestamptz
      end,
      ${fanoutId}::bigint
    from contact_points c
    join users u on u.id = c.user_id
    left join message_preferences p on p.user_id = c.user_id
    where c.user_id = any((${audience})::int[])
      and c.verified_at is not null
      and ${category} = any(case c.channel
        when 'email' then coalesce(p.email_categories, ${pgArray(defaultChannels.email)}::text[])
        else coalesce(p.sms_categories, ${pgArray(defaultChannels.sms)}::text[]) end)
    ${onConflict}
    returning 1)
    select count(*)::int as n from queued`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}
