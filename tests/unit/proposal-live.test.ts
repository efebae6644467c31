import { describe, expect, it } from "vitest";
import type { CommentPayload, ProposalChange, RoomEvent } from "#realtime/events";
import { appendPage, applyToDebate, applyToHead, upsertComment, type DebateState, type LiveHead } from "~/modules/proposals/live";
import { foldHeard } from "~/realtime/live-room";

const comment = (id: number, over: Partial<CommentPayload> = {}): CommentPayload =>
  ({
    id,
    proposalId: 1,
    parentId: null,
    depth: 0,
    stance: "support",
    body: `comment ${id}`,
    authorId: 10,
    authorName: "王",
    organizationName: null,
    partyBadge: false,
    staffAccount: null,
    createdAt: "2026-12-06T02:00:00.000Z",
    editedAt: null,
    hidden: null,
    isNew: true,
    ...over,
  }) as CommentPayload;

const empty = (): DebateState => ({ comments: [], totals: { support: 0, oppose: 0, neutral: 0, all: 0, threads: 0 }, nextAfter: null });

describe("the proposal page's live merge", () => {
  it("counts a new comment once by stance, and a reply as no new thread", () => {
    let d = upsertComment(empty(), comment(1));
    d = upsertComment(d, comment(2, { parentId: 1, depth: 1, stance: "oppose" }));
    expect(d.totals).toEqual({ support: 1, oppose: 1, neutral: 0, all: 2, threads: 1 });
  });

  it("moves a stance when a comment is edited, and takes a hidden one out of the stance totals", () => {
    let d = upsertComment(empty(), comment(1));
    d = upsertComment(d, comment(1, { stance: "neutral", isNew: undefined }));
    expect(d.totals).toMatchObject({ support: 0, neutral: 1, all: 1 });
    d = upsertComment(d, comment(1, { stance: "neutral", hidden: { byReports: true, reason: "reports" }, isNew: undefined }));
    expect(d.totals).toMatchObject({ support: 0, neutral: 0, all: 1 });
    expect(d.comments).toHaveLength(1);
  });

  it("applies onto a racing reload what was heard after its number: a new comment, an edit and a hide all stay", () => {
    const heard: RoomEvent[] = [
      { seq: 7, event: "comment:upserted", args: [comment(3, { body: "heard" })] },
      { seq: 8, event: "comment:upserted", args: [comment(1, { body: "edited", isNew: undefined })] },
      { seq: 9, event: "comment:upserted", args: [comment(3, { body: null, hidden: { reason: "off topic", byReports: false }, isNew: undefined })] },
    ];
    // The reload read the room at 6: it has comment 1 as first written, and not comment 3.
    const stale: DebateState = upsertComment(empty(), comment(1));
    const shown = foldHeard(stale, 6, heard, applyToDebate);
    expect(shown.comments.map((c) => [c.id, c.body])).toEqual([
      [1, "edited"],
      [3, null],
    ]);
    expect(shown.totals).toMatchObject({ all: 2, support: 1 });
    // A reload read at 8 has both comments and the edit: only the hide is applied again.
    const newer = upsertComment(upsertComment(empty(), comment(1, { body: "edited" })), comment(3, { body: "heard" }));
    const seen: number[] = [];
    foldHeard(newer, 8, heard, (d, e) => (seen.push(e.seq), applyToDebate(d, e)));
    expect(seen).toEqual([9]);
  });

  it("appends the next page without doubling a comment heard meanwhile", () => {
    const d = upsertComment(empty(), comment(5));
    const next = appendPage(d, { comments: [comment(4), comment(5)], nextAfter: null });
    expect(next.comments.map((c) => c.id)).toEqual([5, 4]);
    expect(next.nextAfter).toBeNull();
  });

  it("never lets a reload read before a second undo it, and lets a withdrawn second come off", () => {
    const change = (seq: number, state: string, seconds: number): RoomEvent => ({
      seq,
      event: "proposal:changed",
      args: [{ proposalId: 1, hallId: 1, state, seconds, rev: seq, secondsRequired: 5 } satisfies ProposalChange],
    });
    // Heard live: the fifth second (12); a reload that read the room at 11 (four seconds) arrives after it.
    const stale: LiveHead = { state: "open", seconds: 4, rev: 11 };
    expect(foldHeard(stale, 11, [change(12, "open", 5)], applyToHead)).toMatchObject({ seconds: 5 });
    // A second taken back is newer news with fewer seconds: the count goes down; a new state stays.
    expect(foldHeard(stale, 11, [change(12, "open", 5), change(13, "open", 4)], applyToHead)).toMatchObject({ seconds: 4 });
    expect(foldHeard(stale, 11, [change(13, "open", 4), change(14, "on_agenda", 5)], applyToHead)).toMatchObject({ state: "on_agenda" });
    // A reload that already has it applies nothing.
    expect(foldHeard({ state: "on_agenda", seconds: 5, rev: 14 }, 14, [change(14, "on_agenda", 5)], applyToHead)).toMatchObject({ rev: 14 });
  });
});
