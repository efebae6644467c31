import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { halls, proposals } from "./halls";
import { users } from "./identity";
import { meetingInvitees, handStances, ballotChoices, type MeetingInvitees, type HandStance, type BallotChoice } from "./values";
export { meetingInvitees, handStances, ballotChoices, type MeetingInvitees, type HandStance, type BallotChoice };

/**
 * Hall meetings under rules of procedure (议事会): a meeting in a room, with
 * its agenda, sign-in, the speaker queue, motions and minutes. Every piece of
 * the live meeting (who holds the floor since when, for how long) is a row
 * here, so a server restart loses nothing (docs/meetings.md).
 */

/** A hall's rules of procedure for its meetings (议事规则); a hall without a row uses the defaults. */
export const meetingProcedures = pgTable("meeting_procedures", {
  hallId: integer()
    .primaryKey()
    .references(() => halls.id),
  /** Each speech at most this long (default 2 minutes). */
  speakingSeconds: integer().notNull().default(120),
  /** Each person speaks at most this many times on an item (default 2). */
  timesPerItem: integer().notNull().default(2),
  /** For and against alternate where the queue allows. */
  alternate: boolean().notNull().default(true),
  /** A member who cannot come may give their place to another (委托). */
  proxies: boolean().notNull().default(false),
  /** The chair stays neutral: while chairing, no hand of their own and no motion moved or seconded. */
  neutralChair: boolean().notNull().default(true),
  updatedBy: integer().references(() => users.id),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const meetingStatuses = ["scheduled", "open", "closed", "cancelled"] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];

export const meetings = pgTable(
  "meetings",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    hallId: integer()
      .notNull()
      .references(() => halls.id),
    title: text().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    /** Planned length, for the calendar. */
    minutes: integer().notNull(),
    place: text().notNull(),
    /** How to join from elsewhere (a meeting number, a phone line); may be empty. */
    remote: text().notNull().default(""),
    /** Who was invited: all active members of the hall, or the people named (elected representatives). */
    invitees: text().$type<MeetingInvitees>().notNull(),
    /** So many signed in make the meeting quorate. */
    quorum: integer().notNull(),
    /** The hall's rules, frozen when the meeting was scheduled. */
    speakingSeconds: integer().notNull(),
    timesPerItem: integer().notNull(),
    alternate: boolean().notNull(),
    proxies: boolean().notNull(),
    neutralChair: boolean().notNull().default(true),
    status: text().$type<MeetingStatus>().notNull().default("scheduled"),
    /** The agenda item under discussion (its position), while open. */
    currentItem: integer(),
    /** The secret behind the changing sign-in code; never leaves the server. */
    codeSecret: text().notNull(),
    /** Grows with every change of the live meeting: of two readings, the larger is the newer. */
    rev: integer().notNull().default(0),
    clientKey: text().notNull(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    openedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("meetings_hall_idx").on(t.hallId, t.startsAt),
    uniqueIndex("meetings_client_key").on(t.createdBy, t.clientKey),
    check("meetings_quorum_positive", sql`${t.quorum} > 0`),
  ],
);

/** An agenda item: a proposal of the hall, in order, with its time box. */
export const meetingItems = pgTable(
  "meeting_items",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    meetingId: integer()
      .notNull()
      .references(() => meetings.id),
    position: integer().notNull(),
    proposalId: integer()
      .notNull()
      .references(() => proposals.id),
    minutes: integer().notNull(),
    startedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("meeting_items_position").on(t.meetingId, t.position)],
);

/** The people invited (the electorate of the room's votes comes from those signed in). */
export const meetingInvites = pgTable(
  "meeting_invites",
  {
    meetingId: integer()
      .notNull()
      .references(() => meetings.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.userId] }), index("meeting_invites_user_idx").on(t.userId)],
);

export const signInWays = ["code", "staff", "proxy"] as const;
export type SignInWay = (typeof signInWays)[number];

/** Who signed in (签到), how, and for a proxy whom they hold the place of. */
export const meetingAttendance = pgTable(
  "meeting_attendance",
  {
    meetingId: integer()
      .notNull()
      .references(() => meetings.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    way: text().$type<SignInWay>().notNull(),
    /** Staff who marked them, or for a proxy the member present who holds this place. */
    byUserId: integer().references(() => users.id),
    signedInAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.userId] })],
);

export const handStatuses = ["waiting", "speaking", "spoken", "withdrawn"] as const;
export type HandStatus = (typeof handStatuses)[number];

/**
 * A raised hand on an agenda item; once called, the speech itself: when it
 * started and how many seconds it was given (the countdown every screen
 * computes), a warning, one extension, when it ended.
 */
export const meetingHands = pgTable(
  "meeting_hands",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    meetingId: integer()
      .notNull()
      .references(() => meetings.id),
    itemId: integer()
      .notNull()
      .references(() => meetingItems.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    stance: text().$type<HandStance>().notNull(),
    status: text().$type<HandStatus>().notNull().default("waiting"),
    raisedAt: timestamp({ withTimezone: true }).notNull(),
    startedAt: timestamp({ withTimezone: true }),
    allottedSeconds: integer(),
    extended: boolean().notNull().default(false),
    warnedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("meeting_hands_item_idx").on(t.itemId, t.status),
    // One hand up at a time per person and item.
    uniqueIndex("meeting_hands_one_waiting").on(t.itemId, t.userId).where(sql`${t.status} = 'waiting'`),
    // One speaker at a time in a meeting.
    uniqueIndex("meeting_hands_one_speaking").on(t.meetingId).where(sql`${t.status} = 'speaking'`),
  ],
);

export const motionKinds = ["main", "amendment"] as const;
export type MotionKind = (typeof motionKinds)[number];
export const motionStatuses = ["moved", "seconded", "voting", "passed", "failed", "withdrawn"] as const;
export type MotionStatus = (typeof motionStatuses)[number];

/**
 * A motion (动议) on an agenda item, or an amendment to one: moved by a member
 * present, seconded by another, put to the vote by the chair; the chair enters
 * the hands counted in the room (docs/decisions/0040).
 */
export const meetingMotions = pgTable(
  "meeting_motions",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    meetingId: integer()
      .notNull()
      .references(() => meetings.id),
    itemId: integer()
      .notNull()
      .references(() => meetingItems.id),
    kind: text().$type<MotionKind>().notNull(),
    /** The motion an amendment would change. */
    amendsId: integer(),
    text: text().notNull(),
    movedBy: integer()
      .notNull()
      .references(() => users.id),
    secondedBy: integer().references(() => users.id),
    status: text().$type<MotionStatus>().notNull().default("moved"),
    /** The result: every channel together (phones, hands counted in the room, paper). */
    votesFor: integer(),
    votesAgainst: integer(),
    abstentions: integer(),
    /** The result by channel, as the chair recorded it (null for results recorded before channels were kept). */
    channels: jsonb().$type<MotionChannels>(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("meeting_motions_item_idx").on(t.itemId)],
);

/** One channel's count on a motion. */
export interface ChannelCount {
  for: number;
  against: number;
  abstain: number;
}
/** How the room voted on a motion: ballots from phones, hands the chair counted, paper ballots the chair counted. */
export interface MotionChannels {
  phones: ChannelCount;
  hands: ChannelCount;
  paper: ChannelCount;
}


/**
 * A ballot cast from a phone on a motion being voted in the room: one per
 * person present and motion (a second tap changes it, never adds one). The
 * chair adds the hands of those without a phone and records the result.
 */
export const meetingBallots = pgTable(
  "meeting_ballots",
  {
    motionId: integer()
      .notNull()
      .references(() => meetingMotions.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    choice: text().$type<BallotChoice>().notNull(),
    castAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.motionId, t.userId] })],
);

/** The minutes (纪要) of a meeting: drafted from the record, edited by the convener; every version kept. */
export const meetingMinutes = pgTable(
  "meeting_minutes",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    meetingId: integer()
      .notNull()
      .references(() => meetings.id),
    version: integer().notNull(),
    body: text().notNull(),
    published: boolean().notNull().default(false),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("meeting_minutes_version").on(t.meetingId, t.version)],
);
