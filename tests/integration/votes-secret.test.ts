import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db, rowsOf } from "#db/client.server";
import { encryptedBallots, participations, rollResidents, voteKeys, votes } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { verifyBoard } from "~/modules/votes/board";
import { castBallot, createVote, recordPaperBallot, runVoteClock, type NewVote } from "~/modules/votes/commands.server";
import { encryptBallot, scalarHex } from "~/modules/votes/crypto";
import { getBoard } from "~/modules/votes/queries.server";
import { ABSTAIN, NO, YES } from "~/modules/votes/rules";
import { submitPartialDecryption } from "~/modules/votes/secret-commands.server";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { runKeyCeremony, unlockTally } from "../support/tellers";

const actor = (id: number) => loadActor(db(), id);
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

function secretVote(w: HallWorld, o: Partial<NewVote> = {}): NewVote {
  return {
    hallId: w.hall.id,
    question: "是否同意把垃圾桶站挪到胡同东口？",
    method: "yes_no",
    options: [],
    maxChoices: 1,
    // The seven verified residents of community C: convener, author, m1–m4 and "eligible".
    electorate: "residents",
    opensAt: new Date(),
    closesAt: minutes(30),
    quorumPercent: 20,
    threshold: "simple_majority",
    abstentionsCountForQuorum: true,
    secret: true,
    liveResults: false,
    tellers: [w.convener.id, w.members[0]!.id, w.eligible.id],
    ...o,
  };
}
const tellersOf = (w: HallWorld) => [w.convener.id, w.members[0]!.id, w.eligible.id];

/** Everything the process prints while `fn` runs (console and the raw streams). */
async function captureLogs(fn: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)))).join(" "));
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m).mockImplementation(keep));
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (keep(String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (keep(String(chunk)), true));
  try {
    await fn();
  } finally {
    for (const s of [...spies, out, err]) s.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe("a secret ballot is secret from the database and the logs (issue 12 §1)", () => {
  it("seven known voters, one at a time: no row written with a voter's participation, no column and no log line holds a choice; 2 of 3 tellers unlock the right result", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), secretVote(w));
    expect(vote.state).toBe("scheduled"); // it waits for its tellers
    await runKeyCeremony(vote.id, tellersOf(w));
    const [opened] = await db().select().from(votes).where(eq(votes.id, vote.id));
    expect(opened).toMatchObject({ state: "open" });

    const voters = [w.convener, w.author, ...w.members, w.eligible];
    const choices = [YES, YES, NO, YES, ABSTAIN, NO, YES];
    const receipts: string[] = [];
    const logs = await captureLogs(async () => {
      for (const [k, v] of voters.entries()) {
        // One at a time, each in its own transaction: the order the issue's tester exploited.
        receipts.push((await castBallot(await actor(v.id), { voteId: vote.id, choices: [choices[k]!] })).receipt!);
      }
    });

    // Every table and column of the database, through information_schema.
    const columns = rowsOf<{ table_name: string; column_name: string }>(
      await db().execute(sql`select table_name, column_name from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`),
    );
    const tables = [...new Set(columns.map((c) => c.table_name))];
    expect(tables).toContain("encrypted_ballots");
    // 1. No column that holds choices has a row for this vote.
    for (const c of columns.filter((c) => /^choices?(_mask)?$/i.test(c.column_name))) {
      const hasVoteId = columns.some((x) => x.table_name === c.table_name && x.column_name === "vote_id");
      const [n] = rowsOf<{ n: number }>(
        await db().execute(sql.raw(`select count(*)::int as n from "${c.table_name}" where ${hasVoteId ? `vote_id = ${vote.id} and ` : ""}"${c.column_name}" is not null`)),
      );
      expect({ column: `${c.table_name}.${c.column_name}`, rows: n!.n }).toEqual({ column: `${c.table_name}.${c.column_name}`, rows: 0 });
    }
    // 2. The attack from the issue: every row written in the same transaction as a voter's
    //    participation (same xmin), in every table, every column's text. None holds a number or
    //    an option's name beyond ids: the ballot is hex ciphertexts and proofs only.
    const idColumn = /(^|_)(id|index)$/;
    for (const [k, v] of voters.entries()) {
      const [p] = rowsOf<{ x: string }>(
        // A residents' vote's electors are entries of the roll (居民名册, ADR 0020).
        await db().execute(sql`select p.xmin::text as x from ${participations} p join ${rollResidents} r on r.id = p.elector_id where p.vote_id = ${vote.id} and r.user_id = ${v.id}`),
      );
      const linked: Record<string, unknown>[] = [];
      for (const table of tables)
        linked.push(...rowsOf<{ row: Record<string, unknown> }>(await db().execute(sql.raw(`select to_jsonb(t) as row from "${table}" t where t.xmin::text = '${p!.x}'`))).map((r) => ({ table, ...(typeof r.row === "string" ? (JSON.parse(r.row) as object) : r.row) })));
      expect(linked.map((r) => r.table).sort()).toEqual(["encrypted_ballots", "participations"]);
      for (const row of linked)
        for (const [column, value] of Object.entries(row)) {
          if (idColumn.test(column) || column === "table") continue;
          const text = JSON.stringify(value);
          expect({ voter: k, column, plain: /(^|[^0-9a-f])\d+([^0-9a-f]|$)/.test(text) || /yes|no"|abstain|赞成|反对|弃权/.test(text) }).toEqual({ voter: k, column, plain: false });
        }
    }
    // 3. No log line speaks of a choice.
    for (const line of logs) expect(line).not.toMatch(/choice|"yes"|"no"|abstain|赞成|反对|弃权/i);

    // Closing fixes the sums; nothing is decrypted until the tellers come.
    await runVoteClock(minutes(31));
    const [tallying] = await db().select().from(votes).where(eq(votes.id, vote.id));
    expect(tallying).toMatchObject({ state: "tallying", result: null });
    const [first] = await unlockTally(vote.id, [w.eligible.id], minutes(32));
    expect(first).toEqual({ tallied: false });
    await unlockTally(vote.id, [w.convener.id], minutes(33));
    const [closed] = await db().select().from(votes).where(eq(votes.id, vote.id));
    expect(closed).toMatchObject({ state: "closed" });
    expect(closed!.result).toMatchObject({ outcome: "passed", counts: [4, 2, 1], ballots: 7, abstentions: 1, electorateSize: opened!.electorateSize });

    // The board: every receipt on it, and the verifier agrees from it alone.
    const board = (await getBoard(db(), vote.id))!;
    expect(board.ballots.map((b) => b.receipt).sort()).toEqual([...receipts].sort());
    const check = verifyBoard(JSON.parse(JSON.stringify(board)));
    expect(check.problems).toEqual([]);
    expect(check.result?.counts).toEqual([4, 2, 1]);
    const altered = JSON.parse(JSON.stringify(board)) as typeof board;
    altered.ballots[0]!.ballot.ciphertexts[0] = altered.ballots[1]!.ballot.ciphertexts[0]!;
    expect(verifyBoard(altered).ok).toBe(false);
  }, 120_000);
});

describe("secret votes and their tellers", () => {
  it("does not open until every teller has confirmed, even when its time has come", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), secretVote(w, { opensAt: minutes(-1) }));
    await runVoteClock(minutes(1));
    expect((await db().select().from(votes).where(eq(votes.id, vote.id)))[0]!.state).toBe("scheduled");
    await expect(castBallot(await actor(w.author.id), { voteId: vote.id, choices: [YES] })).rejects.toMatchObject({ messageKey: "vote.error.notOpen" });
    await runKeyCeremony(vote.id, tellersOf(w));
    expect((await db().select().from(votes).where(eq(votes.id, vote.id)))[0]!.state).toBe("open");
  }, 60_000);

  it("needs at least two distinct tellers and a threshold of at least two", async () => {
    const w = await buildHallWorld();
    const convener = await actor(w.convener.id);
    await expect(createVote(convener, secretVote(w, { tellers: [w.convener.id] }))).rejects.toMatchObject({ messageKey: "vote.error.tellers" });
    await expect(createVote(convener, secretVote(w, { tellers: [w.convener.id, w.convener.id] }))).rejects.toMatchObject({ messageKey: "vote.error.tellers" });
    await expect(createVote(convener, secretVote(w, { tellerThreshold: 4 }))).rejects.toMatchObject({ messageKey: "vote.error.tellerThreshold" });
    await expect(createVote(convener, secretVote(w, { tellerThreshold: 1 }))).rejects.toMatchObject({ messageKey: "vote.error.tellerThreshold" });
  });

  it("refuses a browser ballot whose proof is forged, or that was made for another vote", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), secretVote(w));
    await runKeyCeremony(vote.id, tellersOf(w));
    const [keys] = await db().select().from(voteKeys).where(eq(voteKeys.voteId, vote.id));
    const shape = { method: "yes_no" as const, optionCount: 3, maxChoices: 1 };
    const forged = encryptBallot(vote.id, keys!.electionKey!, shape, [YES]);
    forged.proofs[1]![0]!.s = scalarHex(BigInt("0x" + forged.proofs[1]![0]!.s) + 1n);
    await expect(castBallot(await actor(w.author.id), { voteId: vote.id, ballot: forged })).rejects.toMatchObject({ messageKey: "vote.error.badBallot" });
    const elsewhere = encryptBallot(vote.id + 1, keys!.electionKey!, shape, [YES]);
    await expect(castBallot(await actor(w.author.id), { voteId: vote.id, ballot: elsewhere })).rejects.toMatchObject({ messageKey: "vote.error.badBallot" });
    // A ballot encrypting "yes" and "no" at once: each slot is 0 or 1, but the sum is 2.
    const a = encryptBallot(vote.id, keys!.electionKey!, shape, [YES]);
    const b = encryptBallot(vote.id, keys!.electionKey!, shape, [NO]);
    const both = { ciphertexts: [a.ciphertexts[0]!, b.ciphertexts[1]!, a.ciphertexts[2]!], proofs: [a.proofs[0]!, b.proofs[1]!, a.proofs[2]!], sumProof: a.sumProof };
    await expect(castBallot(await actor(w.author.id), { voteId: vote.id, ballot: both })).rejects.toMatchObject({ messageKey: "vote.error.badBallot" });
    expect(await db().select().from(encryptedBallots).where(eq(encryptedBallots.voteId, vote.id))).toHaveLength(0);
    // The honest one is accepted, and is final.
    const honest = encryptBallot(vote.id, keys!.electionKey!, shape, [NO]);
    expect((await castBallot(await actor(w.author.id), { voteId: vote.id, ballot: honest })).receipt).toMatch(/^[0-9a-f]{64}$/);
    await expect(castBallot(await actor(w.author.id), { voteId: vote.id, choices: [YES] })).rejects.toMatchObject({ messageKey: "vote.error.alreadyVotedSecret" });
  }, 60_000);

  it("encrypts a paper ballot the same way, and refuses a forged partial decryption", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), secretVote(w));
    await runKeyCeremony(vote.id, tellersOf(w));
    // Community staff choose the voter from the roll (居民名册, ADR 0020).
    const m3 = (await db().select().from(rollResidents).where(eq(rollResidents.userId, w.members[2]!.id)))[0]!.id;
    await recordPaperBallot(await actor(w.staff.id), { voteId: vote.id, residentId: m3, choices: [NO], meeting: "12月1日居民会议" });
    const [p] = await db().select().from(participations).where(eq(participations.voteId, vote.id));
    expect(p).toMatchObject({ channel: "paper", recordedBy: w.staff.id });
    expect(await db().select().from(encryptedBallots).where(eq(encryptedBallots.voteId, vote.id))).toHaveLength(1);
    await runVoteClock(minutes(31));
    const board = (await getBoard(db(), vote.id))!;
    const wrong = { shares: board.sums!.map((s) => s.b), proofs: board.sums!.map(() => ({ c: "00".repeat(32), s: "00".repeat(32) })) };
    await expect(submitPartialDecryption(await actor(w.convener.id), { voteId: vote.id, partial: wrong })).rejects.toMatchObject({ messageKey: "vote.error.badPartial" });
    await unlockTally(vote.id, [w.members[0]!.id, w.eligible.id]);
    const [closed] = await db().select().from(votes).where(eq(votes.id, vote.id));
    expect(closed!.result).toMatchObject({ counts: [0, 1, 0], ballots: 1 });
  }, 60_000);

  it("records the vote as not tallied, with the reason, when too few tellers come within the window", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), secretVote(w));
    await runKeyCeremony(vote.id, tellersOf(w));
    await castBallot(await actor(w.author.id), { voteId: vote.id, choices: [YES] });
    await runVoteClock(minutes(31));
    await unlockTally(vote.id, [w.convener.id]);
    await runVoteClock(minutes(31 + 47 * 60));
    expect((await db().select().from(votes).where(eq(votes.id, vote.id)))[0]!.state).toBe("tallying");
    await runVoteClock(minutes(31 + 48 * 60 + 1));
    const [closed] = await db().select().from(votes).where(eq(votes.id, vote.id));
    expect(closed).toMatchObject({ state: "closed", result: null });
    const [keys] = await db().select().from(voteKeys).where(eq(voteKeys.voteId, vote.id));
    expect(keys!.notTallied).toBe('vote.notTallied.tooFewTellers|{"came":1,"needed":2}');
    // Nobody can shortcut it afterwards.
    await expect(unlockTally(vote.id, [w.eligible.id])).rejects.toMatchObject({ messageKey: "vote.error.notTallying" });
  }, 60_000);

  it("cancels a secret vote whose tellers never finished its key, at its closing time", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), secretVote(w));
    await runVoteClock(minutes(31));
    expect((await db().select().from(votes).where(eq(votes.id, vote.id)))[0]).toMatchObject({ state: "cancelled", cancelReason: "vote.keysMissed" });
  });
});
