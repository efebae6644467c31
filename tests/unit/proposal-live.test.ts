import { describe, expect, it } from "vitest";
import type { CommentPayload } from "#realtime/events";
import { appendPage, mergeHead, upsertComment, withHeard, type DebateState } from "~/modules/proposals/live";

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

  it("keeps a comment heard live that a racing reload does not have yet, and lets loaded data win", () => {
    const heard = [comment(3, { body: "heard" })];
    const stale: DebateState = upsertComment(empty(), comment(1));
    const merged = withHeard(stale, heard);
    expect(merged.comments.map((c) => c.id)).toEqual([1, 3]);
    expect(merged.totals.all).toBe(2);
    const fresh = upsertComment(stale, comment(3, { body: "from the database" }));
    expect(withHeard(fresh, heard).comments.find((c) => c.id === 3)!.body).toBe("from the database");
    expect(withHeard(fresh, heard).totals.all).toBe(2);
  });

  it("appends the next page without doubling a comment heard meanwhile", () => {
    const d = upsertComment(empty(), comment(5));
    const next = appendPage(d, { comments: [comment(4), comment(5)], nextAfter: null });
    expect(next.comments.map((c) => c.id)).toEqual([5, 4]);
    expect(next.nextAfter).toBeNull();
  });

  it("keeps the newer reading by rev: a stale reload never undoes a second, a withdrawn second comes off", () => {
    // Heard live: the fifth second (rev 12); then a reload that read the database before it (rev 11) arrives.
    expect(mergeHead({ state: "open", seconds: 5, rev: 12 }, { state: "open", seconds: 4, rev: 11 })).toEqual({ state: "open", seconds: 5, rev: 12 });
    // A second taken back is newer news with fewer seconds: the count goes down.
    expect(mergeHead({ state: "open", seconds: 5, rev: 12 }, { state: "open", seconds: 4, rev: 13 })).toEqual({ state: "open", seconds: 4, rev: 13 });
    // A new state is newer news too; stale data of the old state does not bring it back.
    const onAgenda = { state: "on_agenda" as const, seconds: 5, rev: 14 };
    expect(mergeHead({ state: "open", seconds: 4, rev: 13 }, onAgenda)).toEqual(onAgenda);
    expect(mergeHead(onAgenda, { state: "open", seconds: 4, rev: 13 })).toEqual(onAgenda);
  });
});
