import { and, eq, lte, sql } from "drizzle-orm";
import { db, forgetWhenEmptied, rowsOf, type Queryable, type Tx } from "#db/client.server";
import {
  ballotHistory,
  ballots,
  hallMembers,
  halls,
  encryptedBallots,
  participations,
  proposals,
  households,
  rollResidents,
  units,
  voteElectors,
  voteEvents,
  voteKeys,
  votes,
  voteTellers,
  type Electorate,
  type Threshold,
  type VoteMethod,
  type VoteResult,
  type SystemReason,
} from "#db/schema";
import { realtimeServer } from "#realtime/publish.server";
import { publishNumbered } from "#realtime/room-log.server";
import { batcher } from "~/lib/batch.server";
import { logError } from "~/lib/log.server";
import { CommandError, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import type { Actor } from "~/modules/identity/actor";
import { authorize } from "~/modules/access";
import { hallContext } from "~/modules/halls/queries.server";
import { notifyAudience, notifyMany } from "~/modules/notifications/commands.server";
import { canTransition } from "~/modules/proposals/rules";
import { shapeOf } from "./board";
import { ballotReceipt, encryptBallot, type Ballot } from "./crypto";
import { ballotError, decide, isAbstention, YES_NO_OPTIONS, type Tally } from "./rules";
import { beginSecretTally } from "./tally.server";
import { verifyBallotAsync } from "./verify-pool.server";
import { serverNow } from "~/lib/clock.server";
import { moveProposal } from "~/modules/proposals/commands.server";

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export interface NewVote {
  hallId: number;
  proposalId?: number;
  question: string;
  method: VoteMethod;
  options: string[];
  maxChoices: number;
  electorate: Electorate;
  opensAt: Date;
  closesAt: Date;
  quorumPercent: number;
  threshold: Threshold;
  abstentionsCountForQuorum: boolean;
  secret: boolean;
  liveResults: boolean;
  /** A secret vote's tellers (user ids, in order), default the convener alone is refused: at least 2 (ADR 0016). */
  tellers?: number[];
  /** How many tellers must unlock the result (t of n; default 2). */
  tellerThreshold?: number;
}

/** A convener puts a proposal (or a standalone question) to a vote; it opens now or at its time. */
export async function createVote(actor: Actor, input: NewVote, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const found = await hallContext(tx, input.hallId, actor);
    if (!found) throw new NotFoundError("hall");
    authorize(actor, "hall:moderate", found.context);
    if (input.proposalId !== undefined) {
      const [p] = await tx.select().from(proposals).where(eq(proposals.id, input.proposalId)).for("update");
      if (!p || p.hallId !== input.hallId) throw new NotFoundError("proposal");
      if (!canTransition(p.state, "voting")) throw new CommandError("vote.error.proposalState");
    }
    if (input.closesAt <= input.opensAt) throw new CommandError("vote.error.closesBeforeOpens", "closesAt");
    if (input.closesAt <= now) throw new CommandError("vote.error.closesInPast", "closesAt");
    const options = input.method === "yes_no" ? YES_NO_OPTIONS : input.options.map((o) => o.trim()).filter(Boolean);
    if (input.method !== "yes_no" && options.length < 2) throw new CommandError("vote.error.twoOptions", "options");
    const maxChoices = input.method === "approval" ? Math.min(Math.max(1, input.maxChoices), options.length) : 1;
    const tellers = [...new Set(input.tellers ?? [])];
    const threshold = input.tellerThreshold ?? 2;
    if (input.secret && (tellers.length !== (input.tellers ?? []).length || tellers.length < 2 || tellers.length > 7))
      throw new CommandError("vote.error.tellers", "tellers");
    if (input.secret && (threshold < 2 || threshold > tellers.length))
      throw new CommandError("vote.error.tellerThreshold", "tellerThreshold");
    const { tellers: _t, tellerThreshold: _k, ...fields } = input;
    const [vote] = await tx
      .insert(votes)
      // A secret ballot never shows a live tally (the form refuses the pair; the row says what will happen).
      .values({
        ...fields,
        liveResults: input.liveResults && !input.secret,
        options,
        maxChoices,
        proposalId: input.proposalId ?? null,
        state: "scheduled",
        createdBy: actor.userId!,
      })
      .returning();
    await tx.insert(voteEvents).values({ voteId: vote!.id, actorId: actor.userId, kind: "created" });
    if (input.secret) {
      // A secret vote waits for its tellers to make its key together (ADR 0016); it opens when they have.
      await tx.insert(voteKeys).values({ voteId: vote!.id, threshold });
      await tx.insert(voteTellers).values(tellers.map((userId, k) => ({ voteId: vote!.id, index: k + 1, userId })));
      await notifyMany(tx, outbox, tellers, {
        kind: "notification.tellerSetup",
        params: { question: vote!.question },
        link: `/votes/${vote!.id}/teller`,
      });
      return vote!;
    }
    if (input.opensAt <= now) return openVote(tx, outbox, vote!, now);
    return vote!;
  });
}

export { openVote as openVoteNow };

/**
 * Open a scheduled vote: freeze its electorate (set-based) and move its
 * proposal to voting. Residents and households come from the roll of the
 * communities under the hall's unit (居民名册, ADR 0020), accounts or not:
 * everyone on it who has not moved out, and every household with someone
 * still in it. Hall members are accounts.
 */
async function openVote(tx: Tx, outbox: Outbox, vote: typeof votes.$inferSelect, now: Date) {
  const [hall] = await tx
    .select({ path: units.path })
    .from(halls)
    .innerJoin(units, eq(units.id, halls.unitId))
    .where(eq(halls.id, vote.hallId));
  const within = sql`u.path like ${hall!.path + "%"}`;
  const electorate =
    vote.electorate === "members"
      ? sql`select distinct user_id from ${hallMembers} where hall_id = ${vote.hallId} and status = 'active' and user_id is not null`
      : vote.electorate === "residents"
        ? sql`select r.id from ${rollResidents} r join ${units} u on u.id = r.community_id where r.moved_out_at is null and ${within}`
        : sql`select distinct r.household_id from ${rollResidents} r join ${households} h on h.id = r.household_id join ${units} u on u.id = r.community_id
            where r.moved_out_at is null and h.ended_at is null and ${within}`;
  await tx.execute(sql`insert into ${voteElectors} (vote_id, elector_id) select ${vote.id}, e.* from (${electorate}) e`);
  const [size] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from ${voteElectors} where vote_id = ${vote.id}`));
  const [opened] = await tx
    .update(votes)
    .set({ state: "open", electorateSize: size?.n ?? 0 })
    .where(eq(votes.id, vote.id))
    .returning();
  await tx.insert(voteEvents).values({ voteId: vote.id, kind: "opened", at: now });
  if (vote.proposalId) {
    // Voters hear "voting has begun" below; the proposal's followers hear its new state.
    await moveProposal(tx, outbox, {
      proposalId: vote.proposalId,
      from: "in_debate",
      to: "voting",
      actorId: null,
      data: { voteId: vote.id },
      at: now,
    });
  }
  // The electorate just frozen, as a stored audience: one small row for a district of voters (ADR 0041).
  await notifyAudience(tx, outbox, { of: [{ kind: "voteElectorate", voteId: vote.id, electorate: vote.electorate }] }, {
    kind: "notification.voteOpened",
    params: { question: vote.question },
    link: `/votes/${vote.id}`,
    at: now,
  });
  return opened!;
}

/**
 * Which elector the actor casts for (ADR 0020): their account in a members'
 * vote; their roll entry, or its household, in a residents' or households'
 * vote. Someone not (yet) matched to a roll entry is no elector there.
 */
export function electorOf(actor: Actor, electorate: Electorate): number | null {
  if (actor.userId === null) return null;
  if (electorate === "members") return actor.userId;
  const residentId = actor.residency?.residentId ?? null;
  if (residentId === null) return null;
  return electorate === "households" ? (actor.residency?.householdId ?? null) : residentId;
}

export type CastResult = { receipt: string | null; changed: boolean };

/**
 * Cast a ballot. One per elector is guaranteed by the primary key; an open
 * ballot may be changed by the same person until closing (history kept); a
 * secret ballot is final and returns the voter's receipt.
 */
export async function castBallot(
  actor: Actor,
  input: { voteId: number; choices?: number[]; ballot?: Ballot },
  now = serverNow(),
): Promise<CastResult> {
  const vote = await voteForBallot(input.voteId);
  if (!vote) throw new NotFoundError("vote");
  return cast(
    vote,
    {
      electorId: electorOf(actor, vote.electorate),
      castBy: actor.userId,
      residentId: vote.electorate === "members" ? null : (actor.residency?.residentId ?? null),
      choices: input.choices ?? null,
      ballot: input.ballot,
      channel: "online",
    },
    now,
  );
}

type VoteRow = typeof votes.$inferSelect;

/**
 * The vote a ballot is cast in. An open vote's rules and electorate are frozen,
 * so its row is kept for a second (per database): thousands of ballots a
 * second need not read it each time. Its state is not trusted from here: the
 * statement that stores a ballot re-checks, under a share lock, that the vote
 * is still open. Votes in any other state are read afresh. Ids are never
 * reused, but tests empty the tables: the copies are forgotten then.
 */
async function voteForBallot(voteId: number): Promise<VoteWithKey | undefined> {
  const kept = openVotes.get(voteId);
  if (kept && kept.until > Date.now()) return kept.vote;
  const [row] = await db()
    .select({ vote: votes, electionKey: voteKeys.electionKey })
    .from(votes)
    .leftJoin(voteKeys, eq(voteKeys.voteId, votes.id))
    .where(eq(votes.id, voteId));
  const vote = row ? { ...row.vote, electionKey: row.electionKey } : undefined;
  if (vote?.state === "open") {
    if (openVotes.size >= 1_000) openVotes.clear();
    openVotes.set(voteId, { vote, until: Date.now() + OPEN_VOTE_KEPT_MS });
  } else openVotes.delete(voteId);
  return vote;
}
const OPEN_VOTE_KEPT_MS = 1_000;
const openVotes = new Map<number, { vote: VoteWithKey; until: number }>();
/** A vote with its election key (secret votes; null otherwise). */
type VoteWithKey = VoteRow & { electionKey: string | null };
forgetWhenEmptied(() => openVotes.clear());

interface NewBallot {
  voteId: number;
  electorId: number;
  /** The account that cast it (online), or the roll entry's account on paper; null on paper for someone without one. */
  castBy: number | null;
  residentId: number | null;
  choices: number[];
  channel: "online" | "paper";
  recordedBy: number | null;
  meeting: string | null;
}

/**
 * Store open ballots, many voters' in one statement (group commit, ADR 0015),
 * each only if its vote is still open (share-locked, so closing waits for
 * them) and its voter is in the frozen electorate: a first ballot is
 * inserted; an existing online ballot of the same person is changed, its old
 * choice kept in the history. Per ballot: "first", "changed", or null when
 * nothing was stored (the caller's full path then finds out why: a paper
 * ballot, another member of the household, a ballot cast at the same moment).
 * A voter twice in one batch goes the full path the second time.
 */
const storeOpenBallots = batcher<NewBallot & { castAt: Date }, "first" | "changed" | null>(async (items) => {
  const { unique, isFirst } = firstOfEachElector(items);
  const rows = rowsOf<{ vote_id: number; elector_id: number; changed: boolean }>(
    await db().execute(sql`
      with i as (
        select * from jsonb_to_recordset(${JSON.stringify(unique.map(ballotRecord))}::jsonb)
          as i(vote_id int, elector_id int, choices smallint[], cast_by int, resident_id int, channel text, recorded_by int, meeting text, cast_at timestamptz)
      ), ok as (
        select * from i where ${allowedSql}
      ), inserted as (
        insert into ${ballots} (vote_id, elector_id, choices, cast_by, resident_id, channel, recorded_by, meeting, cast_at)
        select vote_id, elector_id, choices, cast_by, resident_id, channel, recorded_by, meeting, cast_at from ok
        on conflict do nothing
        returning vote_id, elector_id
      ), current as (
        -- Ballots that existed before this statement (its snapshot cannot see the rows just inserted).
        select b.vote_id, b.elector_id, b.choices, b.cast_at from ${ballots} b join ok using (vote_id, elector_id)
        where b.cast_by = ok.cast_by and b.channel = 'online' and ok.channel = 'online'
        for update of b
      ), kept as (
        insert into ${ballotHistory} (vote_id, elector_id, choices, cast_at) select vote_id, elector_id, choices, cast_at from current
      ), changed as (
        update ${ballots} b set choices = ok.choices, cast_at = ok.cast_at from current join ok using (vote_id, elector_id)
        where b.vote_id = current.vote_id and b.elector_id = current.elector_id
        returning b.vote_id, b.elector_id
      )
      select vote_id, elector_id, false as changed from inserted
      union all select vote_id, elector_id, true from changed`),
  );
  const stored = new Map(rows.map((r) => [`${r.vote_id}:${r.elector_id}`, r.changed]));
  return items.map((b, k) => {
    const changed = isFirst[k] ? stored.get(`${b.voteId}:${b.electorId}`) : undefined;
    return changed === undefined ? null : changed ? "changed" : "first";
  });
});

/**
 * Secret first ballots in one statement: the participation, and the
 * encrypted ballot under its receipt (ADR 0016: no choice in plain form
 * reaches the database). Per ballot: its receipt, or null as above.
 */
const storeSecretBallots = batcher<SecretBallot, string | null>(async (items) => {
  const { unique, isFirst } = firstOfEachElector(items);
  const records = unique.map((b) => ({ ...ballotRecord({ ...b, choices: [] }), choices: undefined, ballot: b.ballot }));
  const rows = rowsOf<{ vote_id: number; receipt: string }>(
    await db().execute(sql`
      with i as (
        select * from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
          as i(vote_id int, elector_id int, receipt text, ballot jsonb, channel text, recorded_by int, meeting text)
      ), took as (
        insert into ${participations} (vote_id, elector_id, channel, recorded_by, meeting)
        select i.vote_id, i.elector_id, i.channel, i.recorded_by, i.meeting from i where ${allowedSql}
        on conflict do nothing
        returning vote_id, elector_id
      )
      insert into ${encryptedBallots} (vote_id, receipt, ballot)
      select i.vote_id, i.receipt, i.ballot from took join i using (vote_id, elector_id) order by i.receipt
      returning vote_id, receipt`),
  );
  const stored = new Set(rows.map((r) => `${r.vote_id}:${r.receipt}`));
  return items.map((b, k) => (isFirst[k]! && stored.has(`${b.voteId}:${b.receipt}`) ? b.receipt : null));
});

type SecretBallot = Omit<NewBallot, "choices"> & { receipt: string; ballot: Ballot };

/** The row `i` may be stored: its vote is open (share-locked) and its elector in the frozen electorate. */
const allowedSql = sql`exists (select 1 from ${votes} v where v.id = i.vote_id and v.state = 'open' for share)
  and exists (select 1 from ${voteElectors} e where e.vote_id = i.vote_id and e.elector_id = i.elector_id)`;

function ballotRecord(b: NewBallot & { castAt?: Date; receipt?: string }) {
  return {
    vote_id: b.voteId,
    elector_id: b.electorId,
    // Checked whole numbers (ballotError) in a smallint column.
    choices: b.choices.map((c) => Math.trunc(c)),
    cast_by: b.castBy,
    resident_id: b.residentId,
    channel: b.channel,
    recorded_by: b.recordedBy,
    meeting: b.meeting,
    cast_at: b.castAt?.toISOString(),
    receipt: b.receipt,
  };
}

/** A batch's ballots without an elector's second one (which must not race the first inside one statement). */
function firstOfEachElector<B extends { voteId: number; electorId: number }>(items: B[]) {
  const seen = new Set<string>();
  const isFirst = items.map((b) => {
    const key = `${b.voteId}:${b.electorId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { unique: items.filter((_, k) => isFirst[k]), isFirst };
}

/**
 * The common cases, stored with other ballots arriving at once: a first ballot
 * of an eligible voter in an open vote, or a changed open ballot. Null when
 * not stored.
 */
async function castTogether(vote: VoteRow, b: NewBallot, sealed: Ballot | null, now: Date): Promise<CastResult | null> {
  if (sealed) {
    const receipt = await storeSecretBallots({ ...b, receipt: ballotReceipt(sealed), ballot: sealed });
    return receipt ? { receipt, changed: false } : null;
  }
  const stored = await storeOpenBallots({ ...b, castAt: now });
  return stored ? { receipt: null, changed: stored === "changed" } : null;
}

/**
 * A secret ballot as it will be stored: the browser's, once its proofs hold;
 * or, without scripts and for paper, the choice encrypted here at once
 * (the plain choice goes no further than this function).
 */
async function sealedBallot(vote: VoteWithKey, choices: number[] | null, ballot: Ballot | undefined): Promise<Ballot> {
  if (!vote.electionKey) throw new CommandError("vote.error.notOpen");
  if (ballot) {
    if (!(await verifyBallotAsync(vote.id, vote.electionKey, shapeOf(vote), ballot)))
      throw new CommandError("vote.error.badBallot", "choices");
    return { ciphertexts: ballot.ciphertexts, proofs: ballot.proofs, sumProof: ballot.sumProof };
  }
  const invalid = ballotError(vote, choices ?? []);
  if (invalid) throw new CommandError(invalid, "choices");
  return encryptBallot(vote.id, vote.electionKey, shapeOf(vote), choices ?? []);
}

async function cast(
  vote: VoteWithKey,
  b: {
    electorId: number | null;
    castBy: number | null;
    residentId: number | null;
    choices: number[] | null;
    ballot?: Ballot;
    channel: "online" | "paper";
    recordedBy?: number;
    meeting?: string;
  },
  now: Date,
): Promise<CastResult> {
  if (vote.state !== "open" || now < vote.opensAt) throw new CommandError("vote.error.notOpen");
  if (now >= vote.closesAt) throw new CommandError("vote.error.closed");
  const choices = b.choices ?? [];
  let sealed: Ballot | null = null;
  if (vote.secret) sealed = await sealedBallot(vote, b.choices, b.ballot);
  else {
    const invalid = ballotError(vote, choices);
    if (invalid) throw new CommandError(invalid, "choices");
  }
  if (b.electorId === null || (b.channel === "online" && b.castBy === null)) throw new CommandError("vote.error.notEligible");
  const electorId = b.electorId;
  // The common cases (a first ballot, a changed open ballot) are one statement shared with others.
  const first = await castTogether(
    vote,
    {
      voteId: vote.id,
      electorId,
      castBy: b.castBy,
      residentId: b.residentId,
      choices,
      channel: b.channel,
      recordedBy: b.recordedBy ?? null,
      meeting: b.meeting ?? null,
    },
    sealed,
    now,
  );
  if (first) {
    announceTurnout(vote, b.channel === "paper");
    return first;
  }
  // Anything else (a refusal to explain, a race) takes the full path, which decides afresh.
  const result = await runCommand(async (tx) => {
    // A shared lock: ballots never wait for each other, but closing waits for them and they for closing.
    const [current] = await tx.select({ state: votes.state }).from(votes).where(eq(votes.id, vote.id)).for("share");
    if (current?.state !== "open") throw new CommandError(current?.state === "closed" ? "vote.error.closed" : "vote.error.notOpen");
    const [eligible] = await tx
      .select()
      .from(voteElectors)
      .where(and(eq(voteElectors.voteId, vote.id), eq(voteElectors.electorId, electorId)));
    if (!eligible) throw new CommandError("vote.error.notEligible");
    if (sealed) {
      const [took] = await tx
        .insert(participations)
        .values({ voteId: vote.id, electorId, channel: b.channel, recordedBy: b.recordedBy ?? null, meeting: b.meeting ?? null })
        .onConflictDoNothing()
        .returning({ electorId: participations.electorId });
      if (!took) {
        // Who took part, and how, says why (the participation holds no choice).
        const [earlier] = await tx
          .select({ channel: participations.channel })
          .from(participations)
          .where(and(eq(participations.voteId, vote.id), eq(participations.electorId, electorId)));
        throw new CommandError(alreadyVotedKey(vote.electorate, earlier?.channel ?? "online", b.channel, true));
      }
      const receipt = ballotReceipt(sealed);
      await tx.insert(encryptedBallots).values({ voteId: vote.id, receipt, ballot: sealed });
      return { receipt, changed: false };
    }
    const [inserted] = await tx
      .insert(ballots)
      .values({
        voteId: vote.id,
        electorId,
        choices,
        castBy: b.castBy,
        residentId: b.residentId,
        channel: b.channel,
        recordedBy: b.recordedBy ?? null,
        meeting: b.meeting ?? null,
        castAt: now,
      })
      .onConflictDoNothing()
      .returning({ electorId: ballots.electorId });
    if (inserted) return { receipt: null, changed: false };
    // A ballot exists: only its own voter may change it, online, until closing.
    const [existing] = await tx
      .select()
      .from(ballots)
      .where(and(eq(ballots.voteId, vote.id), eq(ballots.electorId, electorId)))
      .for("update");
    if (existing!.channel === "paper" || b.channel === "paper" || existing!.castBy !== b.castBy) {
      throw new CommandError(alreadyVotedKey(vote.electorate, existing!.channel, b.channel, false));
    }
    await tx.insert(ballotHistory).values({ voteId: vote.id, electorId, choices: existing!.choices, castAt: existing!.castAt });
    await tx
      .update(ballots)
      .set({ choices, castAt: now })
      .where(and(eq(ballots.voteId, vote.id), eq(ballots.electorId, electorId)));
    return { receipt: null, changed: true };
  });
  announceTurnout(vote, b.channel === "paper");
  return result;
}

/**
 * Why a second ballot for the same elector is refused, in words for whoever
 * is trying: a resident online whose household (or who) voted on paper or
 * online, or staff recording paper for someone who already voted.
 */
function alreadyVotedKey(electorate: Electorate, earlier: "online" | "paper", now: "online" | "paper", secret: boolean): string {
  if (now === "paper")
    return earlier === "paper"
      ? "vote.error.votedOnPaper"
      : electorate === "households"
        ? "vote.error.householdVotedOnline"
        : "vote.error.votedOnline";
  if (earlier === "paper") return electorate === "households" ? "vote.error.householdVotedOnPaper" : "vote.error.youVotedOnPaper";
  if (electorate === "households") return "vote.error.householdVoted";
  return secret ? "vote.error.alreadyVotedSecret" : "vote.error.householdVoted";
}

/**
 * Staff record a ballot cast on paper or in person at a meeting, for someone
 * on the roll (居民名册), with or without an account, chosen from the roll:
 * a person (`residentId`), or in a households' vote the household itself
 * (`householdId`). In a members' vote the person's roll entry must be linked
 * to a member's account. Staff must moderate the hall and keep that roll.
 */
export async function recordPaperBallot(
  actor: Actor,
  input: { voteId: number; residentId?: number; householdId?: number; choices: number[]; meeting: string },
  now = serverNow(),
) {
  const vote = await voteForBallot(input.voteId);
  if (!vote) throw new NotFoundError("vote");
  const found = await hallContext(db(), vote.hallId, actor);
  authorize(actor, "hall:moderate", found!.context);
  const voter = await paperVoter(vote, input);
  authorize(actor, "roll:read", { communityPath: voter.communityPath });
  if (!input.meeting.trim()) throw new CommandError("vote.error.meetingRequired", "meeting");
  return cast(
    vote,
    {
      electorId: voter.electorId,
      castBy: voter.userId,
      residentId: voter.residentId,
      choices: input.choices,
      channel: "paper",
      recordedBy: actor.userId!,
      meeting: input.meeting.trim(),
    },
    now,
  );
}

/** The roll entry (or household) a paper ballot is for, and the elector it is in this vote. */
async function paperVoter(vote: VoteRow, input: { residentId?: number; householdId?: number }) {
  if (input.residentId !== undefined) {
    const [r] = await db()
      .select({ id: rollResidents.id, householdId: rollResidents.householdId, userId: rollResidents.userId, communityPath: units.path })
      .from(rollResidents)
      .innerJoin(units, eq(units.id, rollResidents.communityId))
      .where(eq(rollResidents.id, input.residentId));
    if (!r) throw new CommandError("vote.error.chooseFromRoll", "elector");
    const electorId = vote.electorate === "members" ? r.userId : vote.electorate === "households" ? r.householdId : r.id;
    return { electorId, userId: r.userId, residentId: r.id, communityPath: r.communityPath };
  }
  if (input.householdId !== undefined && vote.electorate === "households") {
    const [h] = await db()
      .select({ id: households.id, communityPath: units.path })
      .from(households)
      .innerJoin(units, eq(units.id, households.communityId))
      .where(eq(households.id, input.householdId));
    if (!h) throw new CommandError("vote.error.chooseFromRoll", "elector");
    return { electorId: h.id, userId: null, residentId: null, communityPath: h.communityPath };
  }
  throw new CommandError("vote.error.chooseFromRoll", "elector");
}

// Turnout goes out at most every 300 ms per vote: thousands of ballots a second must not mean thousands of broadcasts.
const pending = new Map<number, ReturnType<typeof setTimeout>>();
const paperPending = new Set<number>();
function announceTurnout(vote: typeof votes.$inferSelect, paper = false) {
  if (!realtimeServer()) return;
  // Paper ballots are few: their count is fetched only when one was recorded (the page keeps the last one it knew).
  if (paper) paperPending.add(vote.id);
  if (pending.has(vote.id)) return;
  pending.set(
    vote.id,
    setTimeout(async () => {
      pending.delete(vote.id);
      try {
        const t = await countVote(db(), vote);
        const paper = paperPending.delete(vote.id) ? (await turnoutByChannel(db(), vote)).paper : undefined;
        await publishNumbered({
          room: `vote:${vote.id}`,
          event: "vote:changed",
          // Abstentions only where the tally is public anyway: they are part of it (the turnout bar leaves them out when the quorum does).
          args: [
            {
              voteId: vote.id,
              state: "open",
              ballots: t.ballots,
              paper,
              ...(vote.liveResults && !vote.secret ? { counts: t.counts, abstentions: t.abstentions } : { counts: null }),
            },
          ],
        });
      } catch {
        // a missed turnout update is repaired by the next one or a reload
      }
    }, 300),
  );
}

/**
 * Count a vote in the database: one grouped query over the ballots (or the
 * secret ballots and the pool). Tallies 100 000 ballots in tens of milliseconds.
 */
export async function countVote(
  q: Queryable,
  vote: Pick<typeof votes.$inferSelect, "id" | "method" | "options" | "secret">,
): Promise<Tally> {
  // The vote's id written into the statement, not bound: a prepared statement's generic plan cannot
  // tell a vote holding every ballot in the table from one holding a few, and picked an index walk
  // over a sequential scan (the tally took 32 ms instead of 21 on 100 000 ballots). An integer is safe to inline.
  const voteId = sql.raw(String(Math.trunc(Number(vote.id))));
  if (vote.secret) {
    // A secret vote's choices are encrypted: only its turnout can be counted here (ADR 0016).
    const [n] = rowsOf<{ n: number }>(await q.execute(sql`select count(*)::int as n from ${participations} where vote_id = ${voteId}`));
    return { counts: new Array<number>(vote.options.length).fill(0), ballots: n?.n ?? 0, abstentions: 0 };
  }
  const table = sql`(select choice_mask, choices from ${ballots} where vote_id = ${voteId})`;
  // One scan: ballots grouped by their choices as bits (a handful of distinct integers; hashing 100 000
  // arrays took twice as long), summed up here. The rare ballot without a mask is grouped by its array.
  const groups = rowsOf<{ mask: number | null; choices: number[] | string | null; n: number }>(
    await q.execute(
      sql`select choice_mask as mask, case when choice_mask is null then choices::int[] end as choices, count(*)::int as n from ${table} t group by 1, 2`,
    ),
  );
  const counts = new Array<number>(vote.options.length).fill(0);
  let ballotsCast = 0;
  let abstentions = 0;
  for (const g of groups) {
    const choices = g.mask === null ? parseIntArray(g.choices ?? []) : maskChoices(Number(g.mask));
    ballotsCast += g.n;
    if (isAbstention(vote.method, choices)) abstentions += g.n;
    for (const c of choices) if (c >= 0 && c < counts.length) counts[c]! += g.n;
  }
  return { counts, ballots: ballotsCast, abstentions };
}

/** Ballots cast online and on paper ("线上 N，纸质 M"): from the ballots, or a secret vote's participations. */
export async function turnoutByChannel(q: Queryable, vote: Pick<VoteRow, "id" | "secret">): Promise<{ online: number; paper: number }> {
  const table = vote.secret ? participations : ballots;
  const rows = rowsOf<{ channel: string; n: number }>(
    await q.execute(sql`select channel, count(*)::int as n from ${table} where vote_id = ${vote.id} group by channel`),
  );
  const of = (c: string) => Number(rows.find((r) => r.channel === c)?.n ?? 0);
  return { online: of("online"), paper: of("paper") };
}

/** The options a `choice_mask` holds (bit k = option k), in order. */
export function maskChoices(mask: number): number[] {
  const choices: number[] = [];
  for (let k = 0; k <= 30; k++) if (mask & (1 << k)) choices.push(k);
  return choices;
}

/** An int[] as a driver hands it back: an array, or Postgres' text form "{1,2}". */
function parseIntArray(value: number[] | string): number[] {
  if (Array.isArray(value)) return value.map(Number);
  const inner = value.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",").map(Number) : [];
}

/** Close a vote: count once from the database, freeze the result with its rule, and move the proposal on. */
async function closeVote(tx: Tx, outbox: Outbox, vote: typeof votes.$inferSelect, now: Date) {
  // A secret vote's sums wait for its tellers (ADR 0016); the result is settled when t of them unlock.
  if (vote.secret) return beginSecretTally(tx, outbox, vote, now);
  const t = await countVote(tx, vote);
  const result = decide(vote, t, vote.electorateSize ?? 0);
  return settleVote(tx, outbox, vote, result, now);
}

/** The clock: a secret vote whose tellers did not come within the window is recorded as not tallied, with the reason. */
async function recordUntallied(tx: Tx, outbox: Outbox, vote: typeof votes.$inferSelect, now: Date) {
  const [keys] = await tx.select().from(voteKeys).where(eq(voteKeys.voteId, vote.id));
  const [came] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from ${voteTellers} where vote_id = ${vote.id} and partial is not null`),
  );
  const reason = `vote.notTallied.tooFewTellers|${JSON.stringify({ came: came?.n ?? 0, needed: keys!.threshold })}`;
  await tx.update(voteKeys).set({ notTallied: reason }).where(eq(voteKeys.voteId, vote.id));
  await settleVote(tx, outbox, vote, null, now, reason);
}

/**
 * Freeze a vote's result with its rule and move its proposal on. With no
 * result (a secret vote its tellers did not unlock in time), the vote is
 * recorded as not tallied with the reason, and the proposal goes back to debate.
 */
export async function settleVote(
  tx: Tx,
  outbox: Outbox,
  vote: typeof votes.$inferSelect,
  result: VoteResult | null,
  now: Date,
  reason?: string,
) {
  await tx
    .update(votes)
    .set({ state: "closed", result, closedAt: vote.closedAt ?? now })
    .where(eq(votes.id, vote.id));
  await tx
    .insert(voteEvents)
    .values({ voteId: vote.id, kind: result ? "closed" : "not_tallied", at: now, reason: result?.outcome ?? reason ?? null });
  if (vote.proposalId && !result) {
    await moveProposal(tx, outbox, {
      proposalId: vote.proposalId,
      from: "voting",
      to: "in_debate",
      actorId: null,
      reason: "not_tallied" satisfies SystemReason,
      data: { voteId: vote.id },
      at: now,
      notifyFollowers: false,
    });
  }
  if (vote.proposalId && result) {
    const to = result.outcome === "passed" ? "decided_passed" : "decided_failed";
    // Followers and voters hear the result in one notice below.
    await moveProposal(tx, outbox, {
      proposalId: vote.proposalId,
      from: "voting",
      to,
      actorId: null,
      reason: result.outcome satisfies SystemReason,
      data: { voteId: vote.id },
      at: now,
      notifyFollowers: false,
    });
  }
  // The result goes to everyone who could vote and to the proposal's followers (ADR 0022: voters hear the result).
  const voters = { kind: "voteElectorate", voteId: vote.id, electorate: vote.electorate } as const;
  const audience = vote.proposalId ? [voters, { kind: "proposalFollowers", proposalId: vote.proposalId } as const] : [voters];
  await notifyAudience(tx, outbox, { of: audience }, {
    kind: "notification.voteClosed",
    params: { question: vote.question },
    link: `/votes/${vote.id}`,
    at: now,
  });
  outbox.emit(`vote:${vote.id}`, "vote:changed", {
    voteId: vote.id,
    state: "closed",
    ballots: result?.ballots ?? 0,
    counts: result?.counts ?? null,
  });
  return result;
}

/**
 * Votes due a reminder at `now`: within the last 24 hours before closing and
 * not yet closed, and only votes that run longer than 24 hours (a shorter one
 * would be "reminded" as it opens, which tells nobody anything).
 */
const remindDueSql = (now: Date) =>
  sql`${votes.closesAt} - interval '24 hours' <= ${ts(now)} and ${votes.closesAt} > ${ts(now)} and ${votes.closesAt} - ${votes.opensAt} > interval '24 hours'`;

/** Scheduler: open due votes, remind voters 24 hours before closing, close due votes, mix secret pools. */
export async function runVoteClock(now = serverNow()) {
  // Each step stands alone: one failing vote must not stop the others from closing on time.
  const step = async <T>(name: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      logError(`vote clock: ${name} failed`, error);
      return fallback;
    }
  };
  const opened = await step(
    "open",
    () =>
      runCommand(async (tx, outbox) => {
        // A secret vote opens only once its tellers have made its key (ADR 0016).
        const due = await tx
          .select()
          .from(votes)
          .where(
            and(
              eq(votes.state, "scheduled"),
              lte(votes.opensAt, now),
              sql`(not ${votes.secret} or exists (select 1 from ${voteKeys} k where k.vote_id = ${votes.id} and k.election_key is not null))`,
            ),
          )
          .for("update", { skipLocked: true })
          .limit(20);
        for (const v of due) await openVote(tx, outbox, v, now);
        return due.length;
      }),
    0,
  );
  await step(
    "remind",
    () =>
      runCommand(async (tx, outbox) => {
        const soon = await tx
          .select()
          .from(votes)
          .where(and(eq(votes.state, "open"), eq(votes.reminded, false), remindDueSql(now)))
          .for("update", { skipLocked: true })
          .limit(20);
        for (const v of soon) {
          await tx.update(votes).set({ reminded: true }).where(eq(votes.id, v.id));
          await notifyAudience(tx, outbox, { of: [{ kind: "voteElectorate", voteId: v.id, electorate: v.electorate, notVoted: true }] }, {
            kind: "notification.voteClosing",
            params: { question: v.question },
            link: `/votes/${v.id}`,
            at: now,
          });
        }
      }),
    undefined,
  );
  const closed = await step(
    "close",
    () =>
      runCommand(async (tx, outbox) => {
        const due = await tx
          .select()
          .from(votes)
          .where(and(eq(votes.state, "open"), lte(votes.closesAt, now)))
          .for("update", { skipLocked: true })
          .limit(20);
        for (const v of due) await closeVote(tx, outbox, v, now);
        return due.length;
      }),
    0,
  );
  await step(
    "keys missed",
    () =>
      runCommand(async (tx, outbox) => {
        // A secret vote whose tellers never finished its key cannot be held: cancelled at its closing time, with the reason.
        const missed = await tx
          .select()
          .from(votes)
          .where(and(eq(votes.state, "scheduled"), eq(votes.secret, true), lte(votes.closesAt, now)))
          .for("update", { skipLocked: true })
          .limit(20);
        for (const v of missed) {
          await tx.update(votes).set({ state: "cancelled", cancelReason: "vote.keysMissed" }).where(eq(votes.id, v.id));
          await tx.insert(voteEvents).values({ voteId: v.id, kind: "cancelled", reason: "vote.keysMissed", at: now });
          outbox.emit(`vote:${v.id}`, "vote:changed", { voteId: v.id, state: "cancelled", ballots: 0, counts: null });
        }
      }),
    undefined,
  );
  await step(
    "not tallied",
    () =>
      runCommand(async (tx, outbox) => {
        const late = await tx
          .select({ vote: votes })
          .from(votes)
          .innerJoin(voteKeys, eq(voteKeys.voteId, votes.id))
          .where(and(eq(votes.state, "tallying"), lte(voteKeys.tallyDeadline, now)))
          .for("update", { of: votes, skipLocked: true })
          .limit(20);
        for (const { vote } of late) await recordUntallied(tx, outbox, vote, now);
      }),
    undefined,
  );
  return { opened, closed };
}

/** Cancel with a public reason (the only way to change a vote's rules: cancel and open a new one). */
export async function cancelVote(actor: Actor, input: { voteId: number; reason: string }) {
  return runCommand(async (tx, outbox) => {
    const [vote] = await tx.select().from(votes).where(eq(votes.id, input.voteId)).for("update");
    if (!vote) throw new NotFoundError("vote");
    const found = await hallContext(tx, vote.hallId, actor);
    authorize(actor, "hall:moderate", found!.context);
    if (vote.state === "closed" || vote.state === "cancelled") throw new CommandError("vote.error.notOpen");
    if (!input.reason.trim()) throw new CommandError("validation.reasonRequired", "reason");
    await tx.update(votes).set({ state: "cancelled", cancelReason: input.reason.trim() }).where(eq(votes.id, vote.id));
    await tx.insert(voteEvents).values({ voteId: vote.id, actorId: actor.userId, kind: "cancelled", reason: input.reason.trim() });
    if (vote.proposalId) {
      await moveProposal(tx, outbox, {
        proposalId: vote.proposalId,
        from: "voting",
        to: "in_debate",
        actorId: actor.userId,
        reason: input.reason.trim(),
      });
    }
    outbox.emit(`vote:${vote.id}`, "vote:changed", { voteId: vote.id, state: "cancelled", ballots: 0, counts: null });
  });
}
