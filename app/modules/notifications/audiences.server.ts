import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Queryable } from "#db/client.server";
import type { Audience, AudienceKind, AudiencePart } from "./audiences";

/**
 * The registry of audience kinds (ADR 0041, amended): ONE query per kind, the
 * same text whether the event reads it in its own transaction (a small
 * audience, notified at once) or the sender reads it when it expands a
 * fan-out (a large one). Each query yields `user_id` rows, repeats allowed
 * (a person in two parts, or linked to two entries of a household); readers
 * deduplicate.
 *
 * `asOf` is the rule that fixes the audience at the event: null in the event's
 * own transaction (what it sees is the audience by definition); in the
 * sender, the fan-out's `created_at`, the database's clock when the event's
 * transaction began. What is frozen by the event itself (a vote's electorate,
 * a meeting's invitations) needs no bound. What grows afterwards without the
 * event (a proposal's followers) is cut at `asOf`: someone who follows after
 * the event does not hear of it. What has left since (an unfollow, a move out
 * of the roll, a ballot cast before the reminder goes out, a deleted
 * account) is read at expansion: those people are not notified. How a person
 * is reached (the account linked to a roll entry, their addresses and
 * choices) is read at expansion too.
 */
type PartSql<K extends AudienceKind> = (part: Extract<AudiencePart, { kind: K }>, asOf: SQL | null) => SQL;

const parts: { [K in AudienceKind]: PartSql<K> } = {
  voteElectorate: (p) => {
    const notVoted = p.notVoted
      ? sql`and not exists (select 1 from ballots b where b.vote_id = ${p.voteId} and b.elector_id = e.elector_id)
            and not exists (select 1 from participations pa where pa.vote_id = ${p.voteId} and pa.elector_id = e.elector_id)`
      : sql``;
    // The electorate is frozen at opening (vote_electors): members are accounts; residents and
    // households are roll entries (居民名册), reached through the accounts linked to them.
    if (p.electorate === "members")
      return sql`select e.elector_id as user_id from vote_electors e where e.vote_id = ${p.voteId} ${notVoted}`;
    const entry = p.electorate === "residents" ? sql`r.id = e.elector_id` : sql`r.household_id = e.elector_id`;
    return sql`select r.user_id from vote_electors e
      join roll_residents r on ${entry} and r.moved_out_at is null and r.user_id is not null
      where e.vote_id = ${p.voteId} ${notVoted}`;
  },
  proposalFollowers: (p, asOf) =>
    sql`select f.user_id from follows f where f.proposal_id = ${p.proposalId} ${asOf ? sql`and f.created_at <= ${asOf}` : sql``}`,
  meetingInvitees: (p) => sql`select i.user_id from meeting_invites i where i.meeting_id = ${p.meetingId}`,
};

const partSql = (part: AudiencePart, asOf: SQL | null): SQL => (parts[part.kind] as PartSql<AudienceKind>)(part as never, asOf);

/** The audience's rows (`user_id`, repeats allowed): the parts' queries, united, less `except`. */
export function audienceSql(audience: Audience, asOf: SQL | null): SQL {
  const union = sql.join(
    audience.of.map((p) => sql`(${partSql(p, asOf)})`),
    sql` union all `,
  );
  const except = audience.except?.length ? sql`where not (a.user_id = any(${`{${audience.except.join(",")}}`}::int[]))` : sql``;
  return sql`select a.user_id from (${union}) a ${except}`;
}

/** The audience's accounts, each once, in id order, as the event sees them now (its own transaction). */
export async function readAudience(q: Queryable, audience: Audience): Promise<number[]> {
  const rows = rowsOf<{ user_id: number }>(
    await q.execute(sql`select distinct user_id from (${audienceSql(audience, null)}) x order by user_id`),
  );
  return rows.map((r) => Number(r.user_id));
}
