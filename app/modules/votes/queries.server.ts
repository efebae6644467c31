import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { db, type Queryable } from "#db/client.server";
import { NotFoundError } from "~/lib/command.server";
import { serverNow } from "~/lib/clock.server";
import { findPaperElectors } from "~/modules/roll/queries.server";
import { voteAbilities } from "./permissions";
import { readResult } from "./rules";
import {
  ballots,
  encryptedBallots,
  halls,
  participations,
  proposals,
  rollResidents,
  tellerShares,
  users,
  voteElectors,
  voteKeys,
  votes,
  voteTellers,
} from "#db/schema";
import type { Board } from "./board";
import type { Ballot } from "./crypto";
import type { Actor } from "~/modules/identity/actor";
import { hallContext } from "~/modules/halls/queries.server";
import { countVote, electorOf, turnoutByChannel } from "./commands.server";

/** The vote page: rules, turnout, the actor's own standing, and the tally when it may be shown. */
export async function getVotePage(q: Queryable, voteId: number, actor: Actor) {
  const [row] = await q
    .select({ vote: votes, hallName: halls.name, proposalTitle: proposals.title })
    .from(votes)
    .innerJoin(halls, eq(halls.id, votes.hallId))
    .leftJoin(proposals, eq(proposals.id, votes.proposalId))
    .where(eq(votes.id, voteId));
  if (!row) return null;
  const { vote } = row;
  const electorId = electorOf(actor, vote.electorate);
  const [hall, channels, eligible, mine] = await Promise.all([
    hallContext(q, vote.hallId, actor),
    turnoutByChannel(q, vote),
    electorId === null
      ? []
      : q
          .select()
          .from(voteElectors)
          .where(and(eq(voteElectors.voteId, voteId), eq(voteElectors.electorId, electorId))),
    electorId === null
      ? []
      : vote.secret
        ? q
            .select({
              choices: participations.electorId,
              castBy: participations.electorId,
              castAt: sql<Date | null>`null`,
              channel: participations.channel,
              meeting: participations.meeting,
              castByName: sql<string | null>`null`,
            })
            .from(participations)
            .where(and(eq(participations.voteId, voteId), eq(participations.electorId, electorId)))
        : q
            .select({
              choices: ballots.choices,
              castBy: ballots.castBy,
              castAt: ballots.castAt,
              channel: ballots.channel,
              meeting: ballots.meeting,
              castByName: sql<string | null>`coalesce(${rollResidents.name}, ${users.displayName})`,
            })
            .from(ballots)
            .leftJoin(users, eq(users.id, ballots.castBy))
            // The name as the roll has it: a paper ballot may be for someone with no account.
            .leftJoin(rollResidents, eq(rollResidents.id, ballots.residentId))
            .where(and(eq(ballots.voteId, voteId), eq(ballots.electorId, electorId))),
  ]);
  const showTally = vote.state === "open" && vote.liveResults && !vote.secret;
  const [keys] = vote.secret ? await q.select({ electionKey: voteKeys.electionKey }).from(voteKeys).where(eq(voteKeys.voteId, voteId)) : [];
  return {
    ...row,
    electionKey: keys?.electionKey ?? null,
    hall: hall!,
    turnout: channels.online + channels.paper,
    /** "线上 N，纸质 M，共 T": ballots by how they were cast. */
    paper: channels.paper,
    eligible: eligible.length > 0,
    voted: mine.length > 0,
    myChoices: !vote.secret && mine[0] ? (mine[0].choices as number[]) : null,
    votedByOther: !vote.secret && mine[0] ? mine[0].castBy !== actor.userId || mine[0].channel === "paper" : false,
    votedOnPaper: mine[0]?.channel === "paper",
    /** Who of the household cast the ballot, when, and how (open ballots; a secret ballot records none of it but the channel). */
    myBallot: mine[0]
      ? {
          castAt: mine[0].castAt,
          castByName: vote.secret ? null : mine[0].castByName,
          channel: mine[0].channel,
          meeting: mine[0].meeting,
          household: vote.electorate === "households",
        }
      : null,
    tally: showTally ? await countVote(q, vote) : null,
  };
}

/** A secret vote's tellers (in order, with their public names) and its key and tally state. */
/** The vote page as its viewer may see it; `who` is a moderator's search of the roll for a paper ballot. */
export async function votePage(actor: Actor, voteId: number, who: string) {
  const page = await getVotePage(db(), voteId, actor);
  if (!page) throw new NotFoundError("vote");
  const { vote } = page;
  const can = voteAbilities(actor, page.hall.context);
  const [paperMatches, secretState] = await Promise.all([
    can.recordPaper && vote.state === "open" && who.trim() ? findPaperElectors(db(), actor, vote, who) : [],
    vote.secret ? getSecretState(db(), vote.id) : null,
  ]);
  return {
    secretState,
    electionKey: page.electionKey,
    myUserId: actor.userId,
    vote: {
      id: vote.id,
      question: vote.question,
      method: vote.method,
      options: vote.options,
      maxChoices: vote.maxChoices,
      electorate: vote.electorate,
      /** Whose residents vote when the electorate is "residents": the hall's community (or subdistrict), by name. */
      unitName: page.hall.unitName,
      opensAt: vote.opensAt,
      closesAt: vote.closesAt,
      quorumPercent: vote.quorumPercent,
      threshold: vote.threshold,
      abstentionsCountForQuorum: vote.abstentionsCountForQuorum,
      secret: vote.secret,
      liveResults: vote.liveResults,
      state: vote.state,
      electorateSize: vote.electorateSize ?? 0,
      result: readResult(vote.result, vote),
      cancelReason: vote.cancelReason,
      proposalId: vote.proposalId,
      hallId: vote.hallId,
    },
    hallName: page.hallName,
    proposalTitle: page.proposalTitle,
    turnout: page.turnout,
    paper: page.paper,
    votedOnPaper: page.votedOnPaper,
    canRecordPaper: can.recordPaper,
    paperMatches,
    eligible: page.eligible,
    voted: page.voted,
    myChoices: page.myChoices,
    votedByOther: page.votedByOther,
    myBallot: page.myBallot,
    tally: page.tally,
    canModerate: can.moderate,
    signedIn: actor.userId !== null,
    now: serverNow().toISOString(),
  };
}

export async function getSecretState(q: Queryable, voteId: number) {
  const [keys] = await q.select().from(voteKeys).where(eq(voteKeys.voteId, voteId));
  if (!keys) return null;
  const tellers = await q
    .select({
      index: voteTellers.index,
      userId: voteTellers.userId,
      name: users.displayName,
      username: users.username,
      keysPublished: voteTellers.transportKey,
      dealt: voteTellers.dealt,
      confirmed: voteTellers.verificationKey,
      complaint: voteTellers.complaint,
      unlocked: voteTellers.partial,
    })
    .from(voteTellers)
    .innerJoin(users, eq(users.id, voteTellers.userId))
    .where(eq(voteTellers.voteId, voteId))
    .orderBy(asc(voteTellers.index));
  return {
    threshold: keys.threshold,
    ready: keys.electionKey !== null,
    tallyDeadline: keys.tallyDeadline,
    notTallied: keys.notTallied,
    tellers: tellers.map((t) => ({
      index: t.index,
      userId: t.userId,
      name: t.name,
      username: t.username,
      step: t.complaint
        ? "complaint"
        : t.unlocked
          ? "unlocked"
          : t.confirmed
            ? "confirmed"
            : t.dealt
              ? "dealt"
              : t.keysPublished
                ? "keys"
                : "none",
    })),
  };
}

/** What a teller's browser needs for its next step: its own row, the others' public halves, the shares sealed to it, the sums. */
export async function getTellerWork(q: Queryable, voteId: number, userId: number) {
  const [keys] = await q.select().from(voteKeys).where(eq(voteKeys.voteId, voteId));
  if (!keys) return null;
  const tellers = await q.select().from(voteTellers).where(eq(voteTellers.voteId, voteId)).orderBy(asc(voteTellers.index));
  const me = tellers.find((t) => t.userId === userId);
  if (!me) return null;
  const received = await q
    .select({ from: tellerShares.from, sealed: tellerShares.sealed })
    .from(tellerShares)
    .where(and(eq(tellerShares.voteId, voteId), eq(tellerShares.to, me.index)));
  return {
    threshold: keys.threshold,
    sums: keys.sums,
    me: {
      index: me.index,
      setupVault: me.setupVault,
      shareVault: me.shareVault,
      dealt: me.dealt,
      published: me.transportKey !== null,
      confirmed: me.verificationKey !== null,
      unlocked: me.partial !== null,
    },
    peers: tellers.map((t) => ({ index: t.index, transportKey: t.transportKey, commitments: t.commitments, dealt: t.dealt })),
    received,
  };
}

/** A secret vote's public bulletin board (ADR 0016): everything `npm run verify-vote` needs. */
export async function getBoard(q: Queryable, voteId: number): Promise<Board | null> {
  const [vote] = await q.select().from(votes).where(eq(votes.id, voteId));
  if (!vote || !vote.secret) return null;
  const [keys] = await q.select().from(voteKeys).where(eq(voteKeys.voteId, voteId));
  const tellers = await q
    .select({
      index: voteTellers.index,
      name: users.displayName,
      commitments: voteTellers.commitments,
      verificationKey: voteTellers.verificationKey,
      partial: voteTellers.partial,
    })
    .from(voteTellers)
    .innerJoin(users, eq(users.id, voteTellers.userId))
    .where(eq(voteTellers.voteId, voteId))
    .orderBy(asc(voteTellers.index));
  // Receipt order says nothing about who voted or when.
  const box = keys?.electionKey
    ? await q
        .select({ receipt: encryptedBallots.receipt, ballot: encryptedBallots.ballot })
        .from(encryptedBallots)
        .where(eq(encryptedBallots.voteId, voteId))
        .orderBy(asc(encryptedBallots.receipt))
    : [];
  return {
    format: "gongzhi-board/v1",
    voteId: vote.id,
    question: vote.question,
    method: vote.method,
    options: vote.options,
    maxChoices: vote.maxChoices,
    electorateSize: vote.electorateSize ?? 0,
    rule: { threshold: vote.threshold, quorumPercent: vote.quorumPercent, abstentionsCountForQuorum: vote.abstentionsCountForQuorum },
    state: vote.state,
    threshold: keys?.threshold ?? 0,
    electionKey: keys?.electionKey ?? null,
    tellers: tellers.map((t) => ({ index: t.index, name: t.name, commitments: t.commitments ?? [], verificationKey: t.verificationKey })),
    ballots: box.map((b) => ({ receipt: b.receipt, ballot: b.ballot as Ballot })),
    sums: keys?.sums ?? null,
    partials: tellers.filter((t) => t.partial).map((t) => ({ index: t.index, partial: t.partial! })),
    result: vote.state === "closed" ? vote.result : null,
    notTallied: keys?.notTallied ?? null,
  };
}

/** Account names → user ids, in the order given (blank lines skipped); the names that match no account. */
export async function accountIds(q: Queryable, names: string[]) {
  const wanted = names.map((n) => n.trim().toLowerCase()).filter(Boolean);
  const found = wanted.length
    ? await q.select({ id: users.id, username: users.username }).from(users).where(inArray(users.username, wanted))
    : [];
  const byName = new Map(found.map((u) => [u.username, u.id]));
  return { ids: wanted.filter((n) => byName.has(n)).map((n) => byName.get(n)!), missing: wanted.filter((n) => !byName.has(n)) };
}

/**
 * A hall's votes for its page: those running (or waiting to open or to be
 * counted), soonest closing first, then the few most recently closed; each
 * with what kind it is (secret, who votes) and, once closed, its outcome.
 */
export async function listHallVotes(q: Queryable, hallId: number, closedShown = 3) {
  const columns = {
    id: votes.id,
    question: votes.question,
    state: votes.state,
    secret: votes.secret,
    electorate: votes.electorate,
    opensAt: votes.opensAt,
    closesAt: votes.closesAt,
    result: votes.result,
    proposalId: votes.proposalId,
  };
  const [running, closed] = await Promise.all([
    q
      .select(columns)
      .from(votes)
      .where(and(eq(votes.hallId, hallId), sql`${votes.state} not in ('closed', 'cancelled')`))
      .orderBy(asc(votes.closesAt), asc(votes.id))
      .limit(20),
    q
      .select(columns)
      .from(votes)
      .where(and(eq(votes.hallId, hallId), eq(votes.state, "closed")))
      .orderBy(sql`${votes.closesAt} desc`, asc(votes.id))
      .limit(closedShown),
  ]);
  return [...running, ...closed].map(({ result, ...v }) => ({ ...v, outcome: v.state === "closed" ? (result?.outcome ?? null) : null }));
}
