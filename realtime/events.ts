/**
 * The typed event maps shared by the socket.io server and the browser.
 * Event names are `domain:action`; rooms are `user:<id>`, `hall:<id>`,
 * `proposal:<id>`, `vote:<id>`, `whistle:<id>`, `department:<id>`, `activity:<id>`, `project:<id>`, `meeting:<id>`,
 * `need:<id>`, `wish:<id>`,
 * and `home` (the district's pulse, realtime/pulse.server.ts).
 */
export interface NotificationPayload {
  id: number;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  createdAt: string;
}

export interface ServerToClientEvents {
  "notification:new": (notification: NotificationPayload) => void;
  /**
   * Someone else's decision changed what a person's own page (`/me`) shows without a notification
   * (a position revoked, a membership changed). Room `user:<id>`: the page cache forgets their copy.
   */
  "me:changed": (payload: { userId: number }) => void;
  /** Something on a unit's staff desk changed (a new claim, a decision): refresh the queue. */
  "desk:changed": (payload: { unitId: number }) => void;
  /** A hall's list or membership changed. */
  "hall:changed": (payload: { hallId: number }) => void;
  /** A proposal's state, seconds or minutes changed. */
  "proposal:changed": (payload: ProposalChange) => void;
  /** A comment appeared or changed (edited, hidden, restored). */
  "comment:upserted": (comment: CommentPayload) => void;
  /** Something on a whistle's timeline happened: refresh it. */
  "whistle:changed": (payload: { whistleId: number; proposalId: number | null }) => void;
  /** Turnout (and, when results are live, the tally) or the state of a vote changed. */
  "vote:changed": (payload: { voteId: number; state: string; ballots: number; counts: number[] | null; paper?: number; abstentions?: number | null }) => void;
  /** A need's claims or state changed: open pages reload it (each viewer's page query decides what they see). */
  "need:changed": (payload: { needId: number }) => void;
  /** A micro-wish was claimed, given back, fulfilled, confirmed, sent back or withdrawn: open pages reload it. Only the id travels (never the person). */
  "wish:changed": (payload: { wishId: number }) => void;
  /** Slots, the waitlist or attendance of an activity changed. */
  "activity:changed": (payload: ActivityChange) => void;
  /** The live state of a meeting in a room changed (queue, floor, countdown, quorum, motions): the whole state, to replace. */
  "meeting:changed": (payload: MeetingLive) => void;
  /** Ballots from phones on a motion being voted: its counts alone (`asOf`: when they were read; of two readings, the larger is the newer, also against a whole state's `asOf`). */
  "meeting:tally": (payload: { meetingId: number; motionId: number; phones: { for: number; against: number; abstain: number }; total: number; asOf: number }) => void;
  /** Something the home page lists changed somewhere in the district (at most one every two seconds). */
  "home:changed": (payload: { at: number }) => void;
  /** A service project's state or its number of bids changed (never anything of a bid's contents). Room `project:<id>`. */
  "project:changed": (payload: { projectId: number; status: string; bidCount: number }) => void;
  /** The evaluation panel's progress: how many declared their conflicts and how many submitted scores. Room `project:<id>`. */
  "project:panel": (payload: { projectId: number; evaluators: number; declared: number; submitted: number }) => void;
}

/**
 * Everything a phone, the chair's console and the wall show of a meeting
 * while it runs. Times are ISO instants of the server's clock; `serverNow`
 * lets each screen correct for its own clock (modules/meetings/rules.ts
 * clockOffset), so every countdown shows the same second.
 */
export interface MeetingLive {
  meetingId: number;
  /** Of two states, the larger rev is the newer. */
  rev: number;
  /** The room's number when the state was read: the page applies only the room's later events (ADR 0046). */
  seq: number;
  /** When it was read (a number that grows with every reading on a node): a phone's counts from a newer `meeting:tally` win over an older state's. */
  asOf: number;
  status: "scheduled" | "open" | "closed" | "cancelled";
  serverNow: string;
  present: number;
  quorum: number;
  item: { id: number; position: number; count: number; proposalId: number; title: string; minutes: number; startedAt: string | null } | null;
  speaker: { handId: number; userId: number; name: string; stance: "for" | "against"; startedAt: string; allottedSeconds: number; extended: boolean; warnedAt: string | null } | null;
  /** The first waiting hands, in the order they will be called, with names (what a list shows; a room of 300 sends only these). */
  queue: { handId: number; userId: number; name: string; stance: "for" | "against"; spoken: number }[];
  /** Every waiting hand's person, in the order they will be called: a phone finds its own place here. */
  order: number[];
  /** How many times each person has spoken on the item: [userId, times]. */
  spoken: [number, number][];
  motions: {
    id: number;
    kind: "main" | "amendment";
    amendsId: number | null;
    text: string;
    status: "moved" | "seconded" | "voting" | "passed" | "failed" | "withdrawn";
    movedBy: number;
    movedByName: string;
    secondedByName: string | null;
    votesFor: number | null;
    votesAgainst: number | null;
    abstentions: number | null;
    /** Ballots cast from phones on it, by choice (as open as hands raised in the room). */
    phones: { for: number; against: number; abstain: number };
    /** Once decided: the result by channel (phones, hands counted, paper); null for results kept before channels were. */
    channels: { phones: { for: number; against: number; abstain: number }; hands: { for: number; against: number; abstain: number }; paper: { for: number; against: number; abstain: number } } | null;
  }[];
}

export interface ActivityChange {
  activityId: number;
  /** Every role's places after a change of places; empty when only attendance changed (ADR 0046: counts travel only under the activity's lock). */
  roles: { roleId: number; signedUp: number; waitlisted: number }[];
  /** Attendance changed too (a check-in, a verification). The organiser's screen reloads its roster on every change. */
  attendance?: boolean;
}

export interface ProposalChange {
  proposalId: number;
  hallId: number;
  state: string;
  seconds: number;
  /** The id of the proposal's latest event when `seconds` was read: of two readings, the larger is the newer. */
  rev: number;
  secondsRequired: number;
  /** Something the page shows besides these figures changed (minutes, history): reload its data. */
  reload?: boolean;
}

export interface CommentPayload {
  id: number;
  proposalId: number;
  parentId: number | null;
  depth: number;
  stance: "support" | "oppose" | "neutral";
  /** Null while hidden: the stub shows the reason instead. */
  body: string | null;
  authorId: number;
  authorName: string;
  organizationName: string | null;
  partyBadge: boolean;
  /** Set when the author holds a staff position: their account name, shown with a verified badge (a display name alone could impersonate staff). */
  staffAccount: string | null;
  createdAt: string;
  editedAt: string | null;
  hidden: { reason: string; byReports: boolean } | null;
  /** Set on the event that announces a new comment (not an edit, hide or restore). */
  isNew?: true;
}

export interface ClientToServerEvents {
  /** Ask to watch a public room; the answer says whether it was allowed. */
  "room:join": (room: string, ack: (allowed: boolean) => void) => void;
  "room:leave": (room: string) => void;
  /**
   * What the room heard after `since` (its number in the page's data, or the
   * last event heard), in order; null when too far behind: reload the page.
   * Answered only for public rooms the socket has joined.
   */
  "room:catch-up": (room: string, since: number, ack: (missed: RoomEvent[] | null) => void) => void;
}

export interface InterServerEvents {
  /** A message published on another node, for this node's sockets in its room. */
  relay: (message: OutboxMessage) => void;
}

export interface SocketData {
  userId: number | null;
}

export type ServerEvent = keyof ServerToClientEvents;
export type EventArgs<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>;

/** A message waiting in a command's outbox until its transaction commits. */
export interface OutboxMessage<E extends ServerEvent = ServerEvent> {
  room: string;
  event: E;
  args: EventArgs<E>;
  /** The room's sequence number for this message, once numbered (public rooms only; ADR 0046). */
  seq?: number;
}

/**
 * Sent after the arguments of every event to a public room: which room and
 * its number there. Handlers that do not care never see it (it is one
 * argument more than they declare).
 */
export interface RoomMeta {
  room: string;
  seq: number;
}

/** A room's event with its number, as a page applies it (one type per event, so `event` narrows `args`). */
export type RoomEvent<E extends ServerEvent = ServerEvent> = E extends ServerEvent ? { seq: number; event: E; args: EventArgs<E> } : never;

export function isRoomMeta(value: unknown): value is RoomMeta {
  return typeof value === "object" && value !== null && typeof (value as RoomMeta).room === "string" && typeof (value as RoomMeta).seq === "number";
}

/** Rooms anyone may watch (public pages); private rooms are joined by the server only. */
const PUBLIC_ROOM = /^(?:(?:hall|proposal|vote|whistle|unit|department|activity|project|need|wish|meeting):\d{1,12}|home)$/;

/** The room of the district's pulse: the home page's lists changed. */
export const HOME_ROOM = "home";

export function isPublicRoom(room: string): boolean {
  return PUBLIC_ROOM.test(room);
}
