import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db, rowsOf, statementsSent } from "#db/client.server";
import { halls, meetings, proposals, votes } from "#db/schema";
import { runCommand } from "~/lib/command.server";
import { notifyAudience, notifyMany } from "~/modules/notifications/commands.server";
import { expandFanouts, FANOUT_AT } from "~/modules/notifications/fanout.server";
import type { Audience, AudienceElectorate } from "~/modules/notifications/audiences";
import { readAudience } from "~/modules/notifications/audiences.server";
import { buildWorld } from "../support/world";

/**
 * A fan-out's audience stored as a query (ADR 0041, amended): each kind of
 * the registry (audiences.server.ts) gives, on the same data, exactly the ids
 * its caller used to compute itself — read in the event's transaction for a
 * small audience, and read by the sender for a large one — and the expanded
 * notifications and deliveries are those of the same ids given explicitly.
 * The audience is fixed as of the event; expansion stays exactly-once.
 */
const N = 1_500; // people per block: every large audience below is above FANOUT_AT
const NOON = new Date("2026-12-01T04:00:00Z");
const NOTICE = { kind: "notification.voteOpened", params: { question: "东四街道垃圾分类驿站选址" }, link: "/votes/1", at: NOON };

const n = async (query: ReturnType<typeof sql>) => Number(rowsOf<{ n: number }>(await db().execute(query))[0]!.n);
const sorted = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);

/**
 * 4·N accounts, each with a verified email address (every second one a verified mobile too), and around them:
 * a members' vote, a residents' vote and a households' vote (their electorates frozen), a proposal with
 * followers and a meeting with invitees, with ballots, unlinked and moved-out roll entries on the way.
 * Returns the audiences and the ids each one's caller computed before stored audiences (the reference).
 */
async function town() {
  const w = await buildWorld();
  const [hall] = await db().insert(halls).values({ unitId: w.c.id, name: "东四街道议事厅" }).returning();
  await db().execute(sql`insert into users (display_name, username, password_hash)
    select '居民' || i, 'aud_' || i, 'x' from generate_series(1, ${4 * N}) i`);
  const ids = rowsOf<{ id: number }>(await db().execute(sql`select id from users where username like 'aud_%' order by id`)).map((r) =>
    Number(r.id),
  );
  await db().execute(sql`insert into contact_points (user_id, channel, address, verified_at)
    select id, 'email', 'r' || id || '@aud.test', ${NOON.toISOString()}::timestamptz from users where username like 'aud_%'`);
  await db().execute(sql`insert into contact_points (user_id, channel, address, verified_at)
    select id, 'sms', (13000000000 + id)::text, ${NOON.toISOString()}::timestamptz from users where username like 'aud_%' and id % 2 = 0`);
  const author = ids[0]!;
  const vote = async (electorate: AudienceElectorate) => {
    const [v] = await db()
      .insert(votes)
      .values({
        hallId: hall!.id,
        question: `${electorate}?`,
        method: "yes_no",
        options: ["赞成", "反对"],
        electorate,
        opensAt: NOON,
        closesAt: new Date(NOON.getTime() + 72 * 3_600_000),
        quorumPercent: 0,
        threshold: "simple_majority",
        state: "open",
        createdBy: author,
      })
      .returning();
    return v!.id;
  };

  // Members: block 0 are the electors; 100 have cast a ballot, 50 more a (secret) participation.
  const members = await vote("members");
  await db().execute(
    sql`insert into vote_electors (vote_id, elector_id) select ${members}, u from unnest(${`{${ids.slice(0, N).join(",")}}`}::int[]) u`,
  );
  const balloted = ids.slice(0, 100);
  const participated = ids.slice(100, 150);
  await db().execute(
    sql`insert into ballots (vote_id, elector_id, choices) select ${members}, u, '{0}' from unnest(${`{${balloted.join(",")}}`}::int[]) u`,
  );
  await db().execute(
    sql`insert into participations (vote_id, elector_id) select ${members}, u from unnest(${`{${participated.join(",")}}`}::int[]) u`,
  );

  // Residents: block 1 on the roll (one household); every 10th entry has no account, every 7th has moved out since the vote opened.
  const residents = await vote("residents");
  const [hh] = rowsOf<{ id: number }>(
    await db().execute(sql`insert into households (community_id, address) values (${w.c.id}, '东四北大街1号') returning id`),
  );
  const block1 = ids.slice(N, 2 * N);
  await db().execute(sql`insert into roll_residents (community_id, household_id, name, user_id, moved_out_at)
    select ${w.c.id}, ${hh!.id}, 'r' || u, case when (i - 1) % 10 <> 0 then u end, case when (i - 1) % 7 = 0 then ${NOON.toISOString()}::timestamptz end
    from unnest(${`{${block1.join(",")}}`}::int[]) with ordinality t(u, i)`);
  const entryOf = new Map(
    rowsOf<{ id: number; name: string }>(await db().execute(sql`select id, name from roll_residents where household_id = ${hh!.id}`)).map(
      (r) => [r.name, Number(r.id)],
    ),
  );
  const entries = block1.map((user, i) => ({ entry: entryOf.get("r" + user)!, user, linked: i % 10 !== 0, movedOut: i % 7 === 0 }));
  await db().execute(
    sql`insert into vote_electors (vote_id, elector_id) select ${residents}, id from roll_residents where household_id = ${hh!.id}`,
  );

  // Households: block 2, three roll entries a household; every 9th entry without an account, every 11th moved out;
  // the last 10 households are not in the electorate (they arrived after the vote opened).
  const householdsVote = await vote("households");
  const block2 = ids.slice(2 * N, 3 * N);
  const homeIds = rowsOf<{ id: number }>(
    await db().execute(
      sql`insert into households (community_id, address) select ${w.c.id}, '东四三条' || h || '号' from generate_series(0, ${N / 3 - 1}) h returning id`,
    ),
  )
    .map((r) => Number(r.id))
    .sort((a, b) => a - b);
  await db().execute(sql`insert into roll_residents (community_id, household_id, name, user_id, moved_out_at)
    select ${w.c.id}, (${`{${homeIds.join(",")}}`}::int[])[(i - 1) / 3 + 1], 'h' || u,
      case when (i - 1) % 9 <> 0 then u end, case when (i - 1) % 11 = 0 then ${NOON.toISOString()}::timestamptz end
    from unnest(${`{${block2.join(",")}}`}::int[]) with ordinality t(u, i)`);
  const homes = homeIds.map((home, h) => ({
    home,
    users: block2.slice(3 * h, 3 * h + 3).map((user, k) => ({ user, reached: (3 * h + k) % 9 !== 0 && (3 * h + k) % 11 !== 0 })),
  }));
  const electorHomes = homes.slice(0, -10);
  await db().execute(
    sql`insert into vote_electors (vote_id, elector_id) select ${householdsVote}, u from unnest(${`{${electorHomes.map((h) => h.home).join(",")}}`}::int[]) u`,
  );

  // A proposal followed by blocks 0 (second half) and 3 (first half): overlapping the members' electorate.
  const [proposal] = await db()
    .insert(proposals)
    .values({
      hallId: hall!.id,
      authorId: author,
      title: "垃圾分类驿站",
      body: "选址",
      categoryCode: "parking",
      state: "voting",
      secondsRequired: 3,
      clientKey: "k1",
    })
    .returning();
  const followers = [...ids.slice(N / 2, N), ...ids.slice(3 * N, 3 * N + N / 2)];
  await db().execute(
    sql`insert into follows (proposal_id, user_id) select ${proposal!.id}, u from unnest(${`{${followers.join(",")}}`}::int[]) u`,
  );

  // A meeting inviting block 3.
  const [meeting] = await db()
    .insert(meetings)
    .values({
      hallId: hall!.id,
      title: "居民议事会",
      startsAt: NOON,
      minutes: 90,
      place: "社区活动室",
      invitees: "members",
      quorum: 10,
      speakingSeconds: 180,
      timesPerItem: 2,
      alternate: false,
      proxies: false,
      codeSecret: "s",
      clientKey: "m1",
      createdBy: author,
    })
    .returning();
  const invitees = ids.slice(3 * N, 4 * N);
  await db().execute(
    sql`insert into meeting_invites (meeting_id, user_id) select ${meeting!.id}, u from unnest(${`{${invitees.join(",")}}`}::int[]) u`,
  );

  const votersOfMembers = { kind: "voteElectorate", voteId: members, electorate: "members" } as const;
  // Each case: a stored audience, and the ids its caller computed before (from how the data was made, not from SQL).
  const cases: Record<string, { audience: Audience; expected: number[] }> = {
    "a members' vote opens": { audience: { of: [votersOfMembers] }, expected: sorted(ids.slice(0, N)) },
    "a members' vote closes soon (those who have not voted)": {
      audience: { of: [{ ...votersOfMembers, notVoted: true }] },
      expected: sorted(ids.slice(150, N)),
    },
    "a residents' vote opens": {
      audience: { of: [{ kind: "voteElectorate", voteId: residents, electorate: "residents" }] },
      expected: sorted(entries.filter((e) => e.linked && !e.movedOut).map((e) => e.user)),
    },
    "a households' vote opens": {
      audience: { of: [{ kind: "voteElectorate", voteId: householdsVote, electorate: "households" }] },
      expected: sorted(electorHomes.flatMap((h) => h.users.filter((u) => u.reached).map((u) => u.user))),
    },
    "a proposal's followers, but those who acted": {
      audience: { of: [{ kind: "proposalFollowers", proposalId: proposal!.id }], except: [followers[0]!, followers[1]!, ids[0]!] },
      expected: sorted(followers.slice(2)),
    },
    "a meeting's invitees, but the chair": {
      audience: { of: [{ kind: "meetingInvitees", meetingId: meeting!.id }], except: [invitees[0]!] },
      expected: sorted(invitees.slice(1)),
    },
    "a vote's result: its voters and its proposal's followers, each once": {
      audience: { of: [votersOfMembers, { kind: "proposalFollowers", proposalId: proposal!.id }] },
      expected: sorted([...ids.slice(0, N), ...followers]),
    },
  };
  return { ids, cases, entries, members, residents, proposal: proposal!, hallId: hall!.id };
}

/** A fan-out's expansion as rows to compare: who got a notification, and every delivery as its caller would see it. */
async function expansionOf(fanoutId: number) {
  const notified = rowsOf<{ user_id: number }>(
    await db().execute(sql`select user_id from notifications where fanout_id = ${fanoutId} order by user_id`),
  ).map((r) => Number(r.user_id));
  const deliveries = rowsOf<{ d: string }>(
    await db()
      .execute(sql`select user_id || ' ' || channel || ' ' || address || ' ' || state || ' ' || next_attempt_at || ' ' || urgent || ' ' || locale as d
      from deliveries where fanout_id = ${fanoutId} order by user_id, channel`),
  ).map((r) => r.d);
  return { notified, deliveries };
}

const fanoutRows = async () =>
  rowsOf<{
    id: number;
    audience: unknown;
    recipients: number[] | null;
    total: number | null;
    done: number;
    resolved: boolean;
    finished: boolean;
  }>(
    await db().execute(
      sql`select id, audience, recipients, total, done, resolved_at is not null as resolved, finished_at is not null as finished from delivery_fanouts order by id`,
    ),
  ).map((r) => ({ ...r, id: Number(r.id) }));

const cases = [
  "a members' vote opens",
  "a members' vote closes soon (those who have not voted)",
  "a residents' vote opens",
  "a households' vote opens",
  "a proposal's followers, but those who acted",
  "a meeting's invitees, but the chair",
  "a vote's result: its voters and its proposal's followers, each once",
];

describe("each audience kind gives the ids its caller computed, on the same data", () => {
  it.each(cases)("%s: read in the event's transaction", async (name) => {
    const { cases: all } = await town();
    const c = all[name]!;
    expect(c.expected.length).toBeGreaterThanOrEqual(FANOUT_AT);
    expect(await readAudience(db(), c.audience)).toEqual(c.expected);
  });

  it.each(cases)("%s: as a fan-out, expanded into the same notifications and deliveries as the ids given explicitly", async (name) => {
    const { cases: all } = await town();
    const c = all[name]!;
    await runCommand((tx, outbox) => notifyAudience(tx, outbox, c.audience, NOTICE));
    await runCommand((tx, outbox) => notifyMany(tx, outbox, c.expected, NOTICE));
    const [byQuery, byIds] = await fanoutRows();
    expect(byQuery).toMatchObject({ recipients: null, total: null, done: 0 });
    expect(byQuery!.audience).toEqual(c.audience);
    expect(byIds).toMatchObject({ audience: null, total: c.expected.length });
    await expandFanouts({ chunk: 700 });
    const [a, b] = [await expansionOf(byQuery!.id), await expansionOf(byIds!.id)];
    expect(a.notified).toEqual(c.expected);
    expect(a).toEqual(b);
    expect(a.deliveries.length).toBe(c.expected.length + c.expected.filter((id) => id % 2 === 0).length);
    expect((await fanoutRows())[0]).toMatchObject({ total: c.expected.length, done: c.expected.length, resolved: true, finished: true });
  });

  it("a small audience is notified at once from the same query, as the explicit ids were", async () => {
    const { ids, hallId } = await town();
    const [v] = await db()
      .insert(votes)
      .values({
        hallId,
        question: "小",
        method: "yes_no",
        options: ["赞成", "反对"],
        electorate: "members",
        opensAt: NOON,
        closesAt: NOON,
        quorumPercent: 0,
        threshold: "simple_majority",
        state: "open",
        createdBy: ids[0]!,
      })
      .returning();
    const few = ids.slice(0, FANOUT_AT - 1);
    await db().execute(
      sql`insert into vote_electors (vote_id, elector_id) select ${v!.id}, u from unnest(${`{${few.join(",")}}`}::int[]) u`,
    );
    const live = await runCommand(async (tx, outbox) => {
      await notifyAudience(tx, outbox, { of: [{ kind: "voteElectorate", voteId: v!.id, electorate: "members" }] }, NOTICE);
      return outbox.messages.length;
    });
    expect(live).toBe(FANOUT_AT - 1);
    expect(await n(sql`select count(*)::int as n from delivery_fanouts`)).toBe(0);
    const notified = rowsOf<{ user_id: number }>(await db().execute(sql`select user_id from notifications order by user_id`)).map((r) =>
      Number(r.user_id),
    );
    expect(notified).toEqual(sorted(few));
    expect(await n(sql`select count(*)::int as n from deliveries`)).toBe(few.length + few.filter((id) => id % 2 === 0).length);
  });
});

describe("the event's commit", () => {
  it("writes one row in one statement, whatever the audience, and nothing per person", async () => {
    const { cases: all } = await town();
    const before = statementsSent();
    const live = await runCommand(async (tx, outbox) => {
      await notifyAudience(tx, outbox, all["a vote's result: its voters and its proposal's followers, each once"]!.audience, NOTICE);
      return outbox.messages.length;
    });
    // BEGIN and COMMIT are not drizzle statements; the one statement is the conditional insert.
    expect(statementsSent() - before).toBe(1);
    expect(live).toBe(0);
    expect(await n(sql`select count(*)::int as n from delivery_fanouts`)).toBe(1);
    expect(await n(sql`select count(*)::int as n from notifications`)).toBe(0);
    expect(await n(sql`select count(*)::int as n from deliveries`)).toBe(0);
    expect(await n(sql`select octet_length(audience::text) as n from delivery_fanouts`)).toBeLessThan(200);
  });
});

describe("the audience is fixed as of the event", () => {
  it("who follows after the event does not hear of it; who left since (unfollowed, moved out) does not either; an elector's account linked since does", async () => {
    const t = await town();
    const followersAudience: Audience = {
      of: [
        { kind: "voteElectorate", voteId: t.residents, electorate: "residents" },
        { kind: "proposalFollowers", proposalId: t.proposal.id },
      ],
    };
    const expectedAtEvent = await readAudience(db(), followersAudience);
    // The event commits, then the world moves on before the sender reads the audience.
    await runCommand((tx, outbox) => notifyAudience(tx, outbox, followersAudience, NOTICE));
    const lateFollower = t.ids[4 * N - 1]!; // not a follower at the event
    await db().execute(sql`insert into follows (proposal_id, user_id) values (${t.proposal.id}, ${lateFollower})`);
    const unfollower = t.ids[3 * N]!;
    await db().execute(sql`delete from follows where proposal_id = ${t.proposal.id} and user_id = ${unfollower}`);
    const unlinked = t.entries.find((e) => !e.linked && !e.movedOut)!; // an elector (roll entry) without an account at the event
    await db().execute(sql`update roll_residents set user_id = ${t.ids[4 * N - 2]} where id = ${unlinked.entry}`);
    const mover = t.entries.find((e) => e.linked && !e.movedOut)!;
    await db().execute(sql`update roll_residents set moved_out_at = now() where id = ${mover.entry}`);
    expect(expectedAtEvent).toContain(unfollower);
    expect(expectedAtEvent).toContain(mover.user);

    await expandFanouts({ chunk: 1_000 });
    const { notified } = await expansionOf((await fanoutRows())[0]!.id);
    expect(notified).not.toContain(lateFollower);
    expect(notified).not.toContain(unfollower);
    expect(notified).not.toContain(mover.user);
    expect(notified).toContain(t.ids[4 * N - 2]);
    expect(notified).toEqual(sorted([...expectedAtEvent.filter((id) => id !== unfollower && id !== mover.user), t.ids[4 * N - 2]!]));
  });

  it("the reminder skips a voter who voted between the event and its expansion", async () => {
    const t = await town();
    const reminder: Audience = { of: [{ kind: "voteElectorate", voteId: t.members, electorate: "members", notVoted: true }] };
    await runCommand((tx, outbox) => notifyAudience(tx, outbox, reminder, { ...NOTICE, kind: "notification.voteClosing" }));
    const voter = t.ids[N - 1]!;
    await db().execute(sql`insert into ballots (vote_id, elector_id, choices) values (${t.members}, ${voter}, '{0}')`);
    await expandFanouts();
    const { notified } = await expansionOf((await fanoutRows())[0]!.id);
    expect(notified).toEqual(sorted(t.ids.slice(150, N - 1)));
  });

  // PostgreSQL's clock has microseconds (PGlite's, milliseconds): a bound taken through a JavaScript Date would miss this follow there.
  it("a follow made in the event's own transaction is in (the bound is the database's clock, to the microsecond)", async () => {
    const t = await town();
    const newcomer = t.ids[4 * N - 1]!;
    await runCommand(async (tx, outbox) => {
      await tx.execute(sql`insert into follows (proposal_id, user_id) values (${t.proposal.id}, ${newcomer})`);
      await notifyAudience(tx, outbox, { of: [{ kind: "proposalFollowers", proposalId: t.proposal.id }] }, NOTICE);
    });
    await expandFanouts();
    expect((await expansionOf((await fanoutRows())[0]!.id)).notified).toContain(newcomer);
  });

  it("once the first chunk has committed, the list is fixed: the later chunks slice it, whatever changes meanwhile", async () => {
    const t = await town();
    const audience: Audience = { of: [{ kind: "proposalFollowers", proposalId: t.proposal.id }] };
    const atEvent = await readAudience(db(), audience);
    await runCommand((tx, outbox) => notifyAudience(tx, outbox, audience, NOTICE));
    await expandFanouts({ chunk: 500, maxChunks: 1 });
    const [f] = await fanoutRows();
    expect(f).toMatchObject({ total: atEvent.length, done: 500, resolved: true, finished: false });
    expect(f!.recipients).toEqual(atEvent);
    // Someone late in the list unfollows between two chunks: the list read at the first chunk stands.
    await db().execute(sql`delete from follows where proposal_id = ${t.proposal.id} and user_id = ${atEvent.at(-1)}`);
    await expandFanouts({ chunk: 500 });
    expect((await expansionOf(f!.id)).notified).toEqual(atEvent);
  });
});

describe("exactly once, with stored audiences", () => {
  const repeats = () =>
    n(sql`select count(*)::int as n from (select fanout_id, user_id from notifications group by 1, 2 having count(*) > 1) x`).then(
      async (a) =>
        a +
        (await n(
          sql`select count(*)::int as n from (select fanout_id, user_id, channel from deliveries group by 1, 2, 3 having count(*) > 1) x`,
        )),
    );

  it("a node that dies in the first chunk leaves the audience unread; the next run reads it and writes each person once", async () => {
    const { cases: all } = await town();
    const c = all["a residents' vote opens"]!;
    await runCommand((tx, outbox) => notifyAudience(tx, outbox, c.audience, NOTICE));
    await expect(
      expandFanouts({
        chunk: 400,
        beforeCommit: () => {
          throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect((await fanoutRows())[0]).toMatchObject({ recipients: null, total: null, done: 0, resolved: false });
    expect(await n(sql`select count(*)::int as n from notifications`)).toBe(0);
    await expandFanouts({ chunk: 400 });
    expect((await expansionOf((await fanoutRows())[0]!.id)).notified).toEqual(c.expected);
    expect(await repeats()).toBe(0);
  });

  it("a stale worker that repeats chunks adds nothing, and two nodes expanding at once write each person once", async () => {
    const { cases: all } = await town();
    const a = all["a households' vote opens"]!;
    const b = all["a vote's result: its voters and its proposal's followers, each once"]!;
    await runCommand((tx, outbox) => notifyAudience(tx, outbox, a.audience, NOTICE));
    await runCommand((tx, outbox) => notifyAudience(tx, outbox, b.audience, NOTICE));
    const [x, y] = await Promise.all([expandFanouts({ chunk: 300 }), expandFanouts({ chunk: 300 })]);
    expect(x!.recipients + y!.recipients).toBe(a.expected.length + b.expected.length);
    await db().execute(sql`update delivery_fanouts set done = 0, finished_at = null`);
    expect(await expandFanouts({ chunk: 500 })).toMatchObject({
      recipients: a.expected.length + b.expected.length,
      notifications: 0,
      deliveries: 0,
    });
    const [fa, fb] = await fanoutRows();
    expect((await expansionOf(fa!.id)).notified).toEqual(a.expected);
    expect((await expansionOf(fb!.id)).notified).toEqual(b.expected);
    expect(await repeats()).toBe(0);
  });

  it("a stored audience of a kind this version does not know is left for a node that knows it; the fan-outs behind it go on", async () => {
    const { cases: all } = await town();
    await db().execute(
      sql`insert into delivery_fanouts (kind, params, at, audience) values ('notification.voteOpened', '{}', now(), '{"of":[{"kind":"everyone"}]}')`,
    );
    const c = all["a meeting's invitees, but the chair"]!;
    await runCommand((tx, outbox) => notifyAudience(tx, outbox, c.audience, NOTICE));
    expect(await expandFanouts()).toMatchObject({ recipients: c.expected.length });
    const [unknown, known] = await fanoutRows();
    expect(unknown).toMatchObject({ recipients: null, done: 0, finished: false });
    expect(known).toMatchObject({ finished: true });
    expect(await expandFanouts()).toMatchObject({ chunks: 0 });
  });

  it("a stored audience of a known kind with parameters that are not valid stops with a message naming it, and nothing is written", async () => {
    await town();
    await db().execute(
      sql`insert into delivery_fanouts (kind, params, at, audience) values ('notification.voteOpened', '{}', now(), '{"of":[{"kind":"voteElectorate","voteId":"1"}]}')`,
    );
    await expect(expandFanouts()).rejects.toThrow(/voteElectorate needs a voteId/);
    expect((await fanoutRows())[0]).toMatchObject({ recipients: null, done: 0, finished: false });
    expect(await n(sql`select count(*)::int as n from notifications`)).toBe(0);
  });

  it("an audience that is not valid is refused when the event queues it, and the event with it", async () => {
    await town();
    const bad = { of: [{ kind: "proposalFollowers", proposalId: 0 }] } as unknown as Audience;
    await expect(runCommand((tx, outbox) => notifyAudience(tx, outbox, bad, NOTICE))).rejects.toThrow(
      /proposalFollowers needs a proposalId/,
    );
    expect(await n(sql`select count(*)::int as n from delivery_fanouts`)).toBe(0);
  });
});
